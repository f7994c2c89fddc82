import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone

from urgentaction.actions.confirmation import confirm
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import same_page
from urgentaction.mailings.emails import with_words
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.links import unsubscribe_url
from urgentaction.supporters.models import Consent, ConsentText, Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def wording():
    return ConsentText.objects.create(
        wording="Yes, email me news of our urgent actions.",
        details="At most twice a month; leave any time.",
    )


def link_in(email: OutboundEmail, pattern: str) -> str:
    text = with_words(email).text
    return re.search(rf"http://127\.0\.0\.1:8000({pattern}[^\s\"]+/)", text).group(1)


def test_the_box_is_unticked_and_shows_the_current_wording(client, wording):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    checkbox = re.search(r"<input[^>]*name=\"wants_updates\"[^>]*>", html).group(0)
    assert "checked" not in checkbox
    assert wording.wording in html
    assert wording.details in html
    assert f'name="consent_version" value="{wording.pk}"' in html


def test_the_recorded_wording_is_the_one_shown_even_if_staff_changed_it(client, wording):
    campaign = CampaignFactory()
    client.get(campaign.get_absolute_url())
    ConsentText.objects.create(wording="New words written meanwhile.", details="…")

    client.post(
        campaign.get_absolute_url(),
        valid_data(wants_updates="on", consent_version=str(wording.pk)),
    )

    consent = Consent.objects.get()
    assert consent.text == wording
    assert (consent.method, consent.campaign) == (Consent.Method.ACTION_FORM, campaign)
    assert consent.page_url == f"http://testserver{campaign.get_absolute_url()}"
    assert consent.confirmed_at is None


def test_no_consent_without_the_tick(client, wording):
    client.post(CampaignFactory().get_absolute_url(), valid_data())

    assert not Consent.objects.exists()
    assert Action.objects.get().wants_updates is False


def test_confirming_the_letter_confirms_updates_only_if_the_box_was_ticked(client, wording):
    campaign = CampaignFactory()
    client.post(campaign.get_absolute_url(), valid_data(wants_updates="on"))
    client.post(campaign.get_absolute_url(), valid_data(email="bob@people.example"))
    tokens = [link_in(e, "/confirm/").split("/")[2] for e in OutboundEmail.objects.order_by("pk")]

    for token in tokens:
        confirm(token)

    assert Consent.objects.get().confirmed_at is not None
    assert list(Supporter.objects.subscribed().values_list("email", flat=True)) == [
        "ada@people.example"
    ]


def test_a_letter_sent_by_the_supporter_asks_for_updates_by_its_own_email(client, wording):
    client.post(
        CampaignFactory().get_absolute_url(), valid_data(channel="post", wants_updates="on")
    )

    assert OutboundEmail.objects.get().kind == "confirm_signup"
    assert Consent.objects.get().confirmed_at is None


def sign_up(client, **data) -> OutboundEmail:
    fields = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@people.example"}
    client.post("/updates/", {**fields, "agree": "on", **data})
    return OutboundEmail.objects.filter(kind="confirm_signup").latest("pk")


def test_signing_up_asks_to_confirm_and_nothing_more(client, wording):
    html = client.get("/updates/").content.decode()
    assert wording.wording in html

    response = client.post(
        "/updates/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@people.example",
            "agree": "on",
        },
    )

    assert response["Location"] == "/updates/check-your-inbox/"
    email = OutboundEmail.objects.get()
    assert email.kind == "confirm_signup"
    assert wording.wording in email.text
    consent = Consent.objects.get()
    assert (consent.method, consent.text, consent.confirmed_at) == (
        Consent.Method.SIGNUP_FORM,
        wording,
        None,
    )
    assert not Supporter.objects.subscribed().exists()


def test_signing_up_needs_the_tick_and_keeps_what_was_typed(client, wording):
    response = client.post(
        "/updates/", {"first_name": "Ada", "last_name": "", "email": "ada@people.example"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Tick the box to say you want updates" in html
    assert "Enter your last name" in html
    assert 'value="ada@people.example"' in html
    assert not Consent.objects.exists()


def test_it_refuses_an_encoded_word_in_a_name_and_says_why(client, wording):
    response = client.post(
        "/updates/",
        {
            "first_name": "Ada",
            "last_name": "=?utf-8?q?Eve=0D=0ABcc:_x@y?=",
            "email": "ada@people.example",
            "agree": "on",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter your last name without the characters =? and ?=" in html
    assert 'value="=?utf-8?q?Eve=0D=0ABcc:_x@y?="' in html
    assert not Consent.objects.exists()


def test_it_explains_an_accent_before_the_at_when_signing_up(client, wording):
    response = client.post(
        "/updates/",
        {"first_name": "Zoë", "last_name": "Lovelace", "email": "zoë@example.org", "agree": "on"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "without accents or other special characters before the @, like name@" in html
    assert 'value="zoë@example.org"' in html
    assert not Consent.objects.exists()


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_sign_up_link_changes_nothing(client, wording, method):
    path = link_in(sign_up(client), "/updates/confirm/")

    assert getattr(client, method)(path).status_code == 200
    assert Consent.objects.get().confirmed_at is None


def test_the_button_confirms_once_and_old_links_look_like_unknown_ones(client, wording):
    path = link_in(sign_up(client), "/updates/confirm/")

    first = client.post(path)
    again = client.post(path)
    unknown = client.post("/updates/confirm/no-such-token/")

    assert "You are signed up" in first.content.decode()
    assert same_page(again.content, path) == same_page(unknown.content, "no-such-token/")
    assert Supporter.objects.subscribed().count() == 1


def test_withdrawing_then_signing_up_again_keeps_both_records(client, wording):
    client.post(link_in(sign_up(client), "/updates/confirm/"))
    supporter = Supporter.objects.get()

    Client(enforce_csrf_checks=True).post(
        unsubscribe_url(supporter).removeprefix("http://127.0.0.1:8000")
    )
    assert not Supporter.objects.subscribed().exists()
    client.post(link_in(sign_up(client), "/updates/confirm/"))

    first, second = Consent.objects.order_by("given_at", "pk")
    assert first.withdrawn_at is not None and first.withdrawn_how == "unsubscribe link"
    assert second.confirmed_at is not None and second.withdrawn_at is None
    assert Supporter.objects.subscribed().count() == 1


def test_an_address_typed_in_again_and_again_gets_a_few_requests_a_day(client, wording, settings):
    settings.ACTIONS_PER_EMAIL_PER_DAY = 3
    responses = []
    for hours in range(5):
        # Each after the last link stopped counting as waiting in the inbox.
        with time_machine.travel(timezone.now() + timedelta(hours=hours)):
            responses.append(
                client.post(
                    "/updates/",
                    {"first_name": "Ada", "last_name": "L", "email": "ada@people.example"}
                    | {"agree": "on"},
                )
            )

    assert {response["Location"] for response in responses} == {"/updates/check-your-inbox/"}
    assert OutboundEmail.objects.filter(kind="confirm_signup").count() == 3


def test_the_sign_up_page_words_its_box_for_the_organisation_not_one_case(client):
    # The wording the migrations leave a new site with.
    html = client.get("/updates/").content.decode()

    assert "Yes, email me news of our urgent actions and how I can help." in html
    assert "this case" not in html


@pytest.mark.parametrize("staff_wrote_their_own", [False, True])
def test_a_site_still_on_the_first_wording_gets_one_for_the_organisation(staff_wrote_their_own):
    migration = importlib.import_module(
        "urgentaction.supporters.migrations.0008_consent_wording_for_the_organisation"
    )
    ConsentText.objects.all().delete()
    first = ConsentText.objects.create(wording=migration.FIRST_WORDING, details="Monthly.")
    if staff_wrote_their_own:
        ConsentText.objects.create(wording="Email me our news.", details="Monthly.")

    migration.word_it_for_the_organisation(apps, None)

    current = ConsentText.objects.current()
    if staff_wrote_their_own:
        assert current.wording == "Email me our news."
    else:
        assert current.wording == migration.WORDING
    assert ConsentText.objects.filter(pk=first.pk).exists()  # records keep what they saw


def test_check_your_inbox_does_not_repeat_the_address(client, wording):
    response = client.post(
        "/updates/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@people.example",
            "agree": "on",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Check your inbox" in html
    assert "ada@people.example" not in html
