import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from urgentaction.actions.tests.factories import SupporterFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.updates import update_email
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.django_db

LINK_TOKEN = re.compile(
    r"/(?:confirm|my-data|updates/(?:confirm|unsubscribe|preferences))/([^/\s\"'<>]+)/"
    r"|subject=unsubscribe%20([^\s\"'<>]+)"
)


@pytest.fixture
def emails(client):
    """One of each email that carries a personal link and is stored with its words (the
    letter's confirmation is stored without, and its link is made as it is sent)."""
    ConsentText.objects.create(wording="Email me news.")
    client.post(CampaignFactory().get_absolute_url(), valid_data(altcha=""))
    client.post("/my-data/", {"email": "ada@people.example"})
    answer_my_data_requests()
    client.post(
        "/updates/",
        {"first_name": "Bo", "last_name": "Li", "email": "bo@people.example", "agree": "on"},
    )
    update = Update.objects.create(campaign=CampaignFactory(), subject="Free", body="Thanks.")
    update_email(update, SupporterFactory(email="cy@people.example")).save()
    return list(OutboundEmail.objects.exclude(kind="confirm_letter"))


def tokens(email: OutboundEmail) -> set[str]:
    stored = f"{email.text}\n{email.html}\n{json.dumps(email.headers)}"
    return {token for match in LINK_TOKEN.findall(stored) for token in match if token}


def test_a_letters_confirmation_keeps_no_link_for_staff_to_see(client):
    client.post(CampaignFactory().get_absolute_url(), valid_data(altcha=""))

    email = OutboundEmail.objects.get(kind="confirm_letter")

    assert (email.subject, email.text, email.html, email.headers) == ("", "", "", {})


def test_it_shows_staff_who_may_only_view_emails_no_live_link(emails):
    clerk = get_user_model().objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename="view_outboundemail"))
    client = Client()
    sign_in_staff(client, clerk)
    assert {email.kind for email in emails} == {
        "my_data_link",
        "confirm_signup",
        "update",
    }

    for email in emails:
        page = client.get(reverse("admin:mailings_outboundemail_change", args=[email.pk]))

        html = page.content.decode()
        assert page.status_code == 200
        assert tokens(email) and not any(token in html for token in tokens(email)), email.kind
        assert email.subject in html
        assert "/…/" in html
