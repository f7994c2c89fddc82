"""/my-data/: asking for a link to one's data, which has us email the address typed in."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.core.forms import TOO_MANY_UNPROVEN
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.models import MyDataRequest
from urgentaction.privacy.my_data_link import answer_my_data_requests

pytestmark = pytest.mark.django_db


def ask(client, email: str, **extra):
    return client.post("/my-data/", {"email": email}, **extra)


def links_sent() -> int:
    return OutboundEmail.objects.filter(kind="my_data_link").count()


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The statements run, without the values they were run with."""
    return [re.sub(r"'[^']*'|\b\d+(?:\.\d+)?\b", "?", query["sql"]) for query in queries]


def test_it_does_the_same_work_whether_or_not_we_hold_anything_for_the_address():
    SupporterFactory(email="ada@people.example")
    answers = {}
    for email in ["ada@people.example", "nobody@people.example"]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(Client(), email)
        answers[email] = (
            response.status_code,
            response["Location"],
            [template.name for template in response.templates],
            statements(queries),
        )

    known, unknown = answers.values()
    assert known == unknown
    assert links_sent() == 0
    assert MyDataRequest.objects.count() == 2


def test_the_worker_emails_a_link_only_to_an_address_we_hold_and_forgets_every_request(client):
    SupporterFactory(email="ada@people.example", first_name="Ada")
    ask(client, "ada@people.example")
    ask(client, "nobody@people.example")

    assert answer_my_data_requests() == 2

    email = OutboundEmail.objects.get(kind="my_data_link")
    assert email.to == "ada@people.example"
    assert "You asked to see what we hold about you" in email.text and "/my-data/" in email.text
    assert not MyDataRequest.objects.exists()
    assert answer_my_data_requests() == 0


def test_it_refuses_a_network_past_its_allowance_and_keeps_what_was_typed(client, settings):
    settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = 3
    SupporterFactory(email="ada@people.example")
    for _ in range(3):
        assert ask(client, "someone@people.example").status_code == 302

    refused = ask(client, "ada@people.example")
    elsewhere = ask(client, "ada@people.example", REMOTE_ADDR="198.51.100.7")
    answer_my_data_requests()

    html = refused.content.decode()
    assert refused.status_code == 400
    assert str(TOO_MANY_UNPROVEN) in html
    assert 'href="#id_email"' in html and 'value="ada@people.example"' in html
    assert elsewhere.status_code == 302
    assert links_sent() == 1


def test_it_sends_no_second_link_while_the_first_waits_in_the_inbox(client, settings):
    SupporterFactory(email="ada@people.example")
    ask(client, "ada@people.example")
    answer_my_data_requests()

    again = ask(client, "ada@people.example")
    answer_my_data_requests()
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.LINK_RESEND_MINUTES)):
        ask(client, "ada@people.example")
        answer_my_data_requests()

    assert again["Location"] == "/my-data/check-your-inbox/"
    assert links_sent() == 2
    assert not MyDataRequest.objects.exists()
