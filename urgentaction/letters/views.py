from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from urgentaction.actions.links import letter_in_link
from urgentaction.actions.models import Action
from urgentaction.letters.documents import letter_pdf


@never_cache
def download(request: HttpRequest, token: str) -> HttpResponse:
    action_id = letter_in_link(token, max_age_seconds=settings.LETTER_LINK_DAYS * 86400)
    if action_id is None:
        raise Http404
    action = (
        Action.objects.current()
        .exclude(body="")
        .select_related("campaign")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    response = HttpResponse(letter_pdf(action), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letter.pdf"'
    return response
