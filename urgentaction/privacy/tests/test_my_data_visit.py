"""/my-data/: the emailed link works once, and opens a short visit in one browser."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.conftest import ask_for_link, open_link
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.visits import VISIT_MINUTES
from urgentaction.supporters.models import AccessLink, Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(client):
    SupporterFactory(email="ada@people.example")
    return ask_for_link(client)


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_link_shows_a_button_and_uses_nothing_up(client, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 200
    assert AccessLink.objects.exists()
    if method == "get":
        assert "Show my data" in response.content.decode()
    assert client.get("/my-data/yours/").status_code == 403


def test_the_button_uses_the_link_up_and_opens_the_data_in_that_browser_only(client, path):
    open_link(client, path)

    assert not AccessLink.objects.exists()
    assert "ada@people.example" in client.get("/my-data/yours/").content.decode()
    later = Client()
    for method in ("get", "post"):
        answer = getattr(later, method)(path).content.decode()
        assert "This link no longer works" in answer
        assert "ada@people.example" not in answer
    assert later.get("/my-data/yours/").status_code == 403
    assert later.get("/my-data/yours/data.json").status_code == 403


def test_the_page_is_titled_in_words_and_offers_to_close_it_once(client, path):
    open_link(client, path)

    html = client.get("/my-data/yours/").content.decode()

    assert re.search(r"<title>\s*Your data \N{EN DASH} Test Rights Network\s*</title>", html)
    assert html.count("On a shared computer?") == 1
    assert html.count('action="/my-data/yours/end/"') == 1


def test_the_visit_ends_after_half_an_hour(client, path):
    open_link(client, path)

    with time_machine.travel(timezone.now() + timedelta(minutes=VISIT_MINUTES, seconds=1)):
        page = client.get("/my-data/yours/")
        download = client.get("/my-data/yours/data.json")
        erase = client.post("/my-data/yours/erase/")

    for response in (page, download, erase):
        assert response.status_code == 403
        assert "ask for a new link" in response.content.decode().lower()
    assert "ada@people.example" not in page.content.decode()


def test_the_visit_can_be_closed_at_once(client, path):
    open_link(client, path)

    response = client.post("/my-data/yours/end/")

    assert response["Location"] == "/my-data/"
    assert client.get("/my-data/yours/").status_code == 403


def test_a_visit_to_data_since_erased_shows_nothing(client, path):
    open_link(client, path)
    client.post("/my-data/yours/erase/")

    assert client.get("/my-data/yours/").status_code == 403


def test_the_email_names_nobody_and_says_the_link_works_once(client, path):
    email = OutboundEmail.objects.get(kind="my_data_link")

    assert "It works once, within one day" in email.text
    assert "Ada" not in email.text and "Ada" not in email.html


def test_the_page_shows_dates_as_people_read_them_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    supporter = SupporterFactory(email="bo@people.example")
    with time_machine.travel(datetime(2027, 3, 1, 23, 30, tzinfo=UTC), tick=False):
        ActionFactory(supporter=supporter, campaign__title="Free the three")
        path = ask_for_link(client, "bo@people.example")
        open_link(client, path)

        html = client.get("/my-data/yours/").content.decode()
        data = json.loads(b"".join(client.get("/my-data/yours/data.json")))

    # 23:30 in London (UTC) is 08:30 the next morning in Seoul.
    assert "Written on 2 March 2027, 08:30" in html
    assert "+00:00" not in html
    assert data["letters"][0]["written"] == "2027-03-01T23:30:00+00:00"


def test_erasing_asks_first_and_says_what_goes_and_what_stays(client):
    supporter = SupporterFactory(email="bo@people.example")
    ActionFactory(supporter=supporter)
    ActionFactory(supporter=supporter)
    open_link(client, ask_for_link(client, "bo@people.example"))

    html = client.get("/my-data/yours/erase/").content.decode()

    assert "Erase your data?" in html
    assert "bo@people.example" in html
    assert "The text of your 2 letters" in html
    assert "each campaign's count stays right" in html
    assert "scrambled fingerprint of your email address" in html
    assert '<button type="submit" class="button button--warning">Erase my data</button>' in html
    assert 'href="/my-data/yours/">No, keep my data</a>' in html
    # Asking changed nothing.
    assert Supporter.objects.get(pk=supporter.pk).email == "bo@people.example"


def test_the_data_page_leads_to_the_question_not_straight_to_erasing(client, path):
    open_link(client, path)

    html = client.get("/my-data/yours/").content.decode()

    assert 'href="/my-data/yours/erase/">Erase my data…</a>' in html
    assert 'action="/my-data/yours/erase/"' not in html
