import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import ask_for_link, open_link
from urgentaction.core.tests.dumps import dump, readable
from urgentaction.mailings.models import OutboundEmail
from urgentaction.mailings.signups import sign_up
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.supporters.models import (
    AccessLink,
    Consent,
    ConsentText,
    Supporter,
    Suppression,
)

SENTENCE = "My grandmother fled from Hoeryong in 1998 and I think of her every day."


@pytest.fixture
def wording(db):
    return ConsentText.objects.create(wording="Email me news.", details="Twice a month at most.")


def write_letter(client, campaign, **data):
    body = f"Dear Foreign Secretary\n\n{SENTENCE}\n\nYours sincerely"
    client.post(campaign.get_absolute_url(), valid_data(body=body, wants_updates="on", **data))


def erase(client, path: str):
    open_link(client, path)
    return client.post("/my-data/yours/erase/")


@pytest.mark.django_db
def test_asking_gives_the_same_answer_whether_or_not_we_hold_anything(client, wording):
    write_letter(client, CampaignFactory())

    known = client.post("/my-data/", {"email": "ada@people.example"})
    unknown = client.post("/my-data/", {"email": "nobody@people.example"})
    answer_my_data_requests()

    assert known["Location"] == unknown["Location"] == "/my-data/check-your-inbox/"
    assert OutboundEmail.objects.filter(kind="my_data_link").count() == 1


@pytest.mark.django_db
def test_it_explains_an_accent_before_the_at_when_asking_for_data(client, wording):
    response = client.post("/my-data/", {"email": "zoë@example.org"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "without accents or other special characters before the @, like name@" in html
    assert 'value="zoë@example.org"' in html


@pytest.mark.django_db
def test_the_link_shows_and_downloads_everything(client, wording):
    campaign = CampaignFactory(title="Free the three")
    write_letter(client, campaign)
    path = ask_for_link(client)

    visitor = Client()
    open_link(visitor, path)
    page = visitor.get("/my-data/yours/").content.decode()
    data = json.loads(b"".join(visitor.get("/my-data/yours/data.json")))

    assert SENTENCE in page
    assert "ada@people.example" in page
    assert data["about_you"]["email"] == "ada@people.example"
    [letter] = data["letters"]
    assert (letter["campaign"], SENTENCE in letter["letter"]) == ("Free the three", True)
    assert data["consents"][0]["wording"] == "Email me news.\nTwice a month at most."
    assert {email["kind"] for email in data["emails_to_you"]} >= {"confirm_letter"}


@pytest.mark.django_db
def test_an_expired_or_unknown_link_shows_nothing(client, wording):
    write_letter(client, CampaignFactory())
    path = ask_for_link(client)
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    for made_up in (False, True):
        link = "/my-data/made-up/" if made_up else path
        assert "This link no longer works" in client.get(link).content.decode()
        assert "This link no longer works" in client.post(link).content.decode()
    assert client.get("/my-data/yours/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_trace_in_a_dump_of_the_database_and_keeps_the_counts(client, wording):
    campaign = CampaignFactory(requires_confirmation=False)
    write_letter(client, campaign, first_name="Hyeonseo", last_name="Parkington")
    path = ask_for_link(client)
    assert "Hyeonseo" in readable(dump()) and SENTENCE in readable(dump())

    response = erase(client, path)

    assert "Your data has been erased" in response.content.decode()
    # Not even to someone holding the encryption keys.
    text = readable(dump())
    for trace in ["ada@people.example", "Hyeonseo", "Parkington", SENTENCE, "1 High Street"]:
        assert trace not in text, trace
    campaign.refresh_from_db()
    assert Campaign.objects.get(pk=campaign.pk).action_count == 1
    assert Suppression.objects.filter(reason="erased").count() == 1
    assert Consent.objects.get().withdrawn_how == "erased"


@pytest.mark.django_db
def test_an_erased_person_stays_suppressed_until_they_consent_again(client, wording):
    write_letter(client, CampaignFactory())
    erase(client, ask_for_link(client))

    sign_up(first_name="Ada", last_name="L", email="ada@people.example", text=wording, page_url="")

    assert not Supporter.objects.subscribed().exists()
    consent = Consent.objects.filter(method=Consent.Method.SIGNUP_FORM).get()
    assert consent.confirmed_at is None
    assert Supporter.objects.with_email("ada@people.example").get().email == "ada@people.example"
