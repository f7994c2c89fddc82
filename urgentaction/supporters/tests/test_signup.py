"""/updates/: how often the sign-up form has us email an address."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from urgentaction.core.forms import TOO_MANY_UNPROVEN
from urgentaction.core.tests.proofs import solved_proof
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wording():
    return ConsentText.objects.create(wording="Yes, email me news.", details="Leave any time.")


def sign_up(client, email: str, **data):
    fields = {"first_name": "Ada", "last_name": "Lovelace", "email": email, "agree": "on"}
    return client.post("/updates/", {**fields, **data})


def test_it_refuses_a_network_past_its_allowance_of_sign_ups_without_a_proof(client, settings):
    settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = 2
    for number in range(2):
        assert sign_up(client, f"p{number}@people.example").status_code == 302

    refused = sign_up(client, "typed@people.example", first_name="Hyeonseo")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert str(TOO_MANY_UNPROVEN) in html
    assert 'href="#send"' in html
    assert 'value="typed@people.example"' in html and 'value="Hyeonseo"' in html
    assert OutboundEmail.objects.filter(kind="confirm_signup").count() == 2


def test_it_still_takes_sign_ups_with_a_proof_or_from_another_network(client, settings):
    settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = 1
    sign_up(client, "first@people.example")

    proven = sign_up(client, "proven@people.example", altcha=solved_proof())
    elsewhere = client.post(
        "/updates/",
        {"first_name": "Bo", "last_name": "Li", "email": "bo@people.example", "agree": "on"},
        REMOTE_ADDR="198.51.100.7",
    )

    assert proven.status_code == elsewhere.status_code == 302
    assert OutboundEmail.objects.filter(kind="confirm_signup").count() == 3


def test_it_sends_no_second_confirmation_while_the_first_waits_in_the_inbox(client, settings):
    first = sign_up(client, "ada@people.example")
    again = sign_up(client, "ada@people.example", altcha=solved_proof())
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.LINK_RESEND_MINUTES)):
        later = sign_up(client, "ada@people.example", altcha=solved_proof())

    assert first["Location"] == again["Location"] == later["Location"]
    assert OutboundEmail.objects.filter(kind="confirm_signup").count() == 2
