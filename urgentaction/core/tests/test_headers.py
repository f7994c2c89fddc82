import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from urgentaction.actions.links import letter_url
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.actions.thanks_state import to_thanks
from urgentaction.actions.views import THANKS_SALT
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.supporters.consent import new_link
from urgentaction.supporters.links import preferences_url, unsubscribe_url
from urgentaction.supporters.models import AccessLink

pytestmark = pytest.mark.django_db


def test_public_pages_carry_the_security_headers(client):
    response = client.get(CampaignFactory().get_absolute_url())

    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 3
    assert all(re.search(r' src="/static/', script) for script in scripts)


def path(url: str) -> str:
    return urlsplit(url).path


def thanks_address(action) -> str:
    """The thank-you page as its letter's browser is sent to it, its state naming it."""
    sent = to_thanks("actions:thanks", action.campaign, action.pk, False, salt=THANKS_SALT)
    return sent["Location"]


def my_data_link(action) -> str:
    token = new_link(purpose=AccessLink.Purpose.MY_DATA, supporter=action.supporter, days=1)
    return reverse("privacy:my_data_open", args=[token])


# Pages that show a supporter's details, or that a personal link or the session's letter
# leads to: the method, and the path for a supporter's letter.
PERSONAL_PAGES = {
    "thanks": ("get", lambda action: thanks_address(action)),
    "did you send it": (
        "post",
        lambda action: reverse("actions:sent", args=[action.campaign.slug]),
    ),
    "confirm letter": ("get", lambda action: reverse("actions:confirm", args=["a-token"])),
    "confirm letter, pressed": (
        "post",
        lambda action: reverse("actions:confirm", args=["a-token"]),
    ),
    "letter pdf": ("get", letter_url),
    "sign-up form": ("post", lambda action: reverse("supporters:signup")),
    "confirm sign-up": ("get", lambda action: reverse("supporters:confirm", args=["a-token"])),
    "confirm sign-up, pressed": (
        "post",
        lambda action: reverse("supporters:confirm", args=["a-token"]),
    ),
    "unsubscribe": ("get", lambda action: path(unsubscribe_url(action.supporter))),
    "unsubscribe, pressed": ("post", lambda action: path(unsubscribe_url(action.supporter))),
    "preferences": ("get", lambda action: path(preferences_url(action.supporter))),
    "my data form": ("post", lambda action: reverse("privacy:my_data_request")),
    "my data link": ("get", my_data_link),
    "my data link, pressed": ("post", my_data_link),
    "my data": ("get", lambda action: reverse("privacy:my_data")),
    "my data as json": ("get", lambda action: reverse("privacy:my_data_json")),
    "my data erased": ("post", lambda action: reverse("privacy:my_data_erase")),
}


@pytest.mark.parametrize("page", PERSONAL_PAGES)
def test_it_keeps_pages_with_personal_data_out_of_every_cache(client, page):
    action = ActionFactory()
    session = client.session
    session["my_data"] = {
        "supporter": action.supporter.pk,
        "hash": action.supporter.email_hash[:16],
        "until": time.time() + 60,
    }
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    method, url = PERSONAL_PAGES[page]

    response = getattr(client, method)(url(action))

    assert response.status_code in (200, 302)
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
