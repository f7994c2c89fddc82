from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import confirm, remember_address
from urgentaction.actions.models import Action
from urgentaction.actions.services import report_sent
from urgentaction.campaigns.models import Campaign
from urgentaction.letters.views import letter_url


# Shows the letter, name and address of the person whose session it is: no cache may keep it.
@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """After-action page. The action is found through the session, never the URL, so the
    address can be bookmarked and shared without exposing anyone's letter."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    action = (
        Action.objects.filter(pk=request.session.get("action_id"), campaign=campaign)
        .select_related("campaign")
        .first()
    )
    targets = list(campaign.targets.all())
    context = {
        "campaign": campaign,
        "action": action,
        "repeat": request.session.get("repeat", False),
        "targets": targets,
        "page_url": request.build_absolute_uri(campaign.get_absolute_url()),
        "expiry_days": settings.CONFIRMATION_EXPIRY_DAYS,
    }
    if action is not None:
        context["compose_links"] = compose_links(action, [t.email for t in targets])
        if campaign.offers_post:
            context["letter_url"] = letter_url(action)
            context["letter_link_days"] = settings.LETTER_LINK_DAYS
    return render(request, "actions/thanks.html", context)


@never_cache
@require_http_methods(["POST"])
def sent_it(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did you send it?" Yes: a letter the supporter sent themselves now counts."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    action = Action.objects.filter(pk=request.session.get("action_id"), campaign=campaign).first()
    if action is not None:
        report_sent(action)
    return redirect("actions:thanks", slug=campaign.slug)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_letter(request: HttpRequest, token: str) -> HttpResponse:
    """GET and HEAD show a button and change nothing (mail scanners follow links); the
    button POSTs. Unknown, used and expired tokens all get the same page."""
    if request.method != "POST":
        return render(request, "actions/confirm.html")
    action = confirm(token)
    if action is None:
        context = {"expiry_days": settings.CONFIRMATION_EXPIRY_DAYS}
        return render(request, "actions/confirm_invalid.html", context)
    request.session["action_id"] = action.pk
    request.session["repeat"] = False
    response = redirect("actions:thanks", slug=action.campaign.slug)
    remember_address(request, response, action.supporter.email_hash)
    return response


def compose_links(action: Action, recipients: list[str]) -> dict[str, str]:
    """Links that open the letter, ready to send, in the supporter's own email."""
    to = ",".join(recipients)
    body = action.signed_body()
    crlf_body = body.replace("\n", "\r\n")
    mailto_query = urlencode({"subject": action.subject, "body": crlf_body}, quote_via=quote)
    return {
        "mailto": f"mailto:{quote(to, safe='@,')}?{mailto_query}",
        "gmail": "https://mail.google.com/mail/?"
        + urlencode(
            {"view": "cm", "fs": "1", "to": to, "su": action.subject, "body": body},
            quote_via=quote,
        ),
        "outlook": "https://outlook.live.com/mail/0/deeplink/compose?"
        + urlencode({"to": to, "subject": action.subject, "body": body}, quote_via=quote),
    }
