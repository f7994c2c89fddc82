"""/my-data/: asking for a link to one's data, which has us email the address typed in."""

import pytest

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.lib.forms import TOO_MANY_UNPROVEN
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


def ask(client, email: str, **extra):
    return client.post("/my-data/", {"email": email}, **extra)


def test_it_refuses_a_network_past_its_allowance_and_keeps_what_was_typed(client, settings):
    settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR = 3
    SupporterFactory(email="ada@people.example")
    for _ in range(3):
        assert ask(client, "someone@people.example").status_code == 302

    refused = ask(client, "ada@people.example")
    elsewhere = ask(client, "ada@people.example", REMOTE_ADDR="198.51.100.7")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert str(TOO_MANY_UNPROVEN) in html
    assert 'href="#id_email"' in html and 'value="ada@people.example"' in html
    assert elsewhere.status_code == 302
    assert OutboundEmail.objects.filter(kind="my_data_link").count() == 1
