from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from urgentaction.actions.models import Action
from urgentaction.letters.documents import letter_pdf

LINK_SALT = "urgentaction.letters.download"


def letter_url(action: Action) -> str:
    """A private link to the supporter's printable letter: signed, so it cannot be
    guessed or turned into another supporter's, and it expires (LETTER_LINK_DAYS)."""
    token = signing.dumps(action.pk, salt=LINK_SALT)
    return reverse("letters:download", kwargs={"token": token})


@never_cache
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        action_id = signing.loads(token, salt=LINK_SALT, max_age=settings.LETTER_LINK_DAYS * 86400)
    except signing.BadSignature:
        raise Http404 from None
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
