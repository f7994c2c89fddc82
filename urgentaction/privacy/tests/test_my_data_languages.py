"""/ko/my-data/: the link is emailed by the worker in Korean, to the Korean pages."""

import re

import pytest

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.privacy.rights import export_data
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


def test_a_request_made_in_korean_is_answered_in_korean(client):
    SupporterFactory(email="ada@people.example")

    client.post("/ko/my-data/", {"email": "ada@people.example"})
    answer_my_data_requests()

    sent = OutboundEmail.objects.get(kind="my_data_link")
    path = re.search(r"http://127\.0\.0\.1:8000(/ko/my-data/[^\s]+/)", sent.text)[1]
    assert client.post(path)["Location"] == "/ko/my-data/yours/"
    assert '<html lang="ko"' in client.get("/ko/my-data/yours/").content.decode()


def test_a_request_made_in_english_stays_in_english(client):
    SupporterFactory(email="ada@people.example")

    client.post("/my-data/", {"email": "ada@people.example"})
    answer_my_data_requests()

    assert "/ko/" not in OutboundEmail.objects.get(kind="my_data_link").text


def test_the_data_shows_the_consent_in_the_words_and_language_it_was_given_in():
    supporter = SupporterFactory(email="ada@people.example")
    text = ConsentText.objects.create(
        wording="Email me news.",
        details="Rarely.",
        wording_ko="소식을 받겠습니다.",
        details_ko="가끔.",
    )
    Consent.objects.create(
        supporter=supporter,
        email_hash=supporter.email_hash,
        text=text,
        method=Consent.Method.SIGNUP_FORM,
        language="ko",
    )

    [consent] = export_data(supporter)["consents"]

    assert consent["wording"] == "소식을 받겠습니다.\n가끔."
    assert consent["language"] == "ko"
