"""The thank-you page's state, signed in its address (``?state=``): the letter it shows and
whether the submit was a repeat. Not in a session: a submit writes nothing but the letter
and sets no cookie, and a page in another site's frame, where browsers keep no cookie,
works the same way.

The value names the campaign and the letter by their ids and nothing of the person, and
expires after ``STATE_SECONDS``: a forged, expired or another campaign's state shows the
thank-you page without a letter. Only the browser that sent a letter is sent to its
address; the access logs leave query strings out.

The site's own thank-you page does not keep it there: people copy a page's address to
share the campaign, and the letter shows its writer's name and address. Opened with its
state, the page moves it into a cookie for that page alone (``keep_in_cookie``), and
shows itself at its plain address. A page in another site's frame keeps the state in its
address, which nobody sees there to copy."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from urgentaction.campaigns.models import Campaign

# How long the thank-you page's address shows the letter it names.
STATE_SECONDS = 3600
# The cookie the site's own thank-you page keeps its state in.
COOKIE = "ua_thanks"


def to_thanks(
    url_name: str, campaign: Campaign, action_id: int | None, repeat: bool, *, salt: str
) -> HttpResponse:
    """A redirect to the thank-you page ``url_name`` with its state signed under ``salt``."""
    state = signing.dumps([campaign.pk, action_id, repeat], salt=salt)
    thanks = reverse(url_name, kwargs={"slug": campaign.slug})
    # An address, not a view's name: redirect() would first try to reverse it.
    return HttpResponseRedirect(f"{thanks}?{urlencode({'state': state})}")


def read_state(state: str, campaign: Campaign, *, salt: str) -> tuple[int | None, bool]:
    """The letter a thank-you page's state names, and whether it was a repeat; (None,
    False) for a state forged, expired or of another campaign."""
    try:
        campaign_id, action_id, repeat = signing.loads(state, salt=salt, max_age=STATE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None, False
    if campaign_id != campaign.pk:
        return None, False
    return action_id, bool(repeat)


def keep_in_cookie(request: HttpRequest, state: str, *, valid: bool) -> HttpResponse:
    """The thank-you page opened with its state in the address: a redirect to the same
    page without it, the state kept for that page alone in a cookie that lasts no longer
    than the state does; one not ``valid`` (forged, expired) clears an earlier one."""
    response = redirect(request.path)
    if valid:
        response.set_cookie(
            COOKIE,
            state,
            max_age=STATE_SECONDS,
            path=request.path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE, path=request.path, samesite="Lax")
    return response
