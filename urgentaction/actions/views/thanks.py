"""The thank-you page, "Did you send it?", and the link that confirms a letter."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import (
    confirm,
    letter_to_confirm,
    remember_address,
)
from urgentaction.actions.estimates import expected_departures
from urgentaction.actions.links import letter_url
from urgentaction.actions.models import Action
from urgentaction.actions.services import report_sent
from urgentaction.actions.thanks_state import COOKIE, keep_in_cookie, read_state, to_thanks
from urgentaction.campaigns.models import Campaign

THANKS_SALT = "urgentaction.actions.thanks"


# Shows the letter, name and address of the person whose state it is: no cache may keep it.
@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """After-action page. The letter is found through the signed state (``thanks_state``),
    which only the browser that sent it is given, in the address and then in a cookie
    for this page; without a valid one, the page thanks and shows no letter."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    in_address = request.GET.get("state")
    state = request.COOKIES.get(COOKIE, "") if in_address is None else in_address
    action_id, repeat = read_state(state, campaign, salt=THANKS_SALT)
    if in_address is not None:
        return keep_in_cookie(request, in_address, valid=action_id is not None or repeat)
    context = thanks_context(request, campaign, action_id=action_id, repeat=repeat)
    context["sent_url"] = reverse("actions:sent", kwargs={"slug": campaign.slug})
    context["thanks_state"] = state if action_id is not None else ""
    return render(request, "actions/thanks.html", context)


def thanks_context(
    request: HttpRequest, campaign: Campaign, *, action_id: int | None, repeat: bool
) -> dict[str, object]:
    """What the thank-you page shows: the letter ``action_id`` if it is this campaign's,
    what happens next for its channel, the count and the share links."""
    action = Action.objects.filter(pk=action_id, campaign=campaign).first()
    if action is not None:
        action.campaign = campaign
    targets = list(campaign.targets.all())
    copy_targets = list(campaign.copy_targets.all())
    context = {
        "campaign": campaign,
        "action": action,
        "repeat": repeat,
        "targets": targets,
        "copy_targets": copy_targets,
        "page_url": request.build_absolute_uri(campaign.get_absolute_url()),
        "expiry_days": settings.CONFIRMATION_EXPIRY_DAYS,
    }
    if action is not None:
        context["expected"] = expected_departures(action)
        context["compose_links"] = compose_links(
            action, [t.email for t in targets], copies=[t.email for t in copy_targets]
        )
        if campaign.offers_post:
            context["letter_url"] = letter_url(action)
            context["letter_link_days"] = settings.LETTER_LINK_DAYS
    return context


@never_cache
@require_http_methods(["POST"])
def sent_it(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did you send it?" Yes: a letter the supporter sent themselves now counts."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    action_id, repeat = read_state(request.POST.get("state", ""), campaign, salt=THANKS_SALT)
    action = Action.objects.filter(pk=action_id, campaign=campaign).first()
    if action is not None:
        report_sent(action)
    return to_thanks("actions:thanks", campaign, action_id, repeat, salt=THANKS_SALT)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_letter(request: HttpRequest, token: str) -> HttpResponse:
    """GET and HEAD show the letter and a button, and change nothing (mail scanners follow
    links); the button POSTs. Unknown, used and expired tokens all get the same page."""
    action = confirm(token) if request.method == "POST" else letter_to_confirm(token)
    if action is None:
        context = {"expiry_days": settings.CONFIRMATION_EXPIRY_DAYS}
        return render(request, "actions/confirm_invalid.html", context)
    if request.method != "POST":
        context = {
            "action": action,
            "campaign": action.campaign,
            "targets": list(action.campaign.targets.all()),
            "copy_targets": list(action.campaign.copy_targets.all()),
            "opening": opening(action.body),
        }
        return render(request, "actions/confirm.html", context)
    response = to_thanks("actions:thanks", action.campaign, action.pk, False, salt=THANKS_SALT)
    remember_address(request, response, action.supporter.email_hash)
    return response


def opening(letter: str, length: int = 320) -> str:
    """The first lines of a letter, cut at a word, for someone to recognise it by."""
    if len(letter) <= length:
        return letter
    return letter[:length].rsplit(maxsplit=1)[0].rstrip(" ,;:") + " …"


def compose_links(
    action: Action, recipients: list[str], *, copies: list[str] = ()
) -> dict[str, str]:
    """Links that open the letter, ready to send, in the supporter's own email, with the
    campaign's copy targets copied in (Cc)."""
    to = ",".join(recipients)
    cc = {"cc": ",".join(copies)} if copies else {}
    body = action.signed_body()
    crlf_body = body.replace("\n", "\r\n")
    mailto_query = urlencode({**cc, "subject": action.subject, "body": crlf_body}, quote_via=quote)
    return {
        "mailto": f"mailto:{quote(to, safe='@,')}?{mailto_query}",
        "gmail": "https://mail.google.com/mail/?"
        + urlencode(
            {"view": "cm", "fs": "1", "to": to, **cc, "su": action.subject, "body": body},
            quote_via=quote,
        ),
        "outlook": "https://outlook.live.com/mail/0/deeplink/compose?"
        + urlencode({"to": to, **cc, "subject": action.subject, "body": body}, quote_via=quote),
    }
