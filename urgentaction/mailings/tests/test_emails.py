import pytest

from urgentaction.actions.tests.factories import ActionFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.mailings.emails import build_message, queue_email
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_replies_to_our_emails_reach_the_organisation(settings):
    settings.CONTACT_EMAIL = "help@rights.example"
    email = queue_email(
        to="ada@people.example",
        template="my_data_link",
        context={"supporter": ActionFactory().supporter, "url": "https://x.example/"},
    )

    message = build_message(email)

    assert message.reply_to == ["help@rights.example"]
    assert "noreply@" in message.from_email


def test_without_a_contact_address_no_email_has_a_reply_to(settings):
    settings.CONTACT_EMAIL = ""
    email = queue_email(
        to="ada@people.example",
        template="my_data_link",
        context={"supporter": ActionFactory().supporter, "url": "https://x.example/"},
    )

    assert build_message(email).reply_to == []


@pytest.mark.parametrize("contact", ["help@rights.example", ""])
def test_an_email_invites_a_reply_only_where_one_reaches_someone(client, settings, contact):
    settings.CONTACT_EMAIL = contact
    client.post(CampaignFactory().get_absolute_url(), valid_data())

    email = OutboundEmail.objects.get(kind="confirm_letter")

    for body in (email.text, email.html):
        assert "If this was not you, ignore this email: nothing will be sent." in body
        assert ("reply to tell us" in body) == bool(contact)


def test_without_a_contact_address_a_held_letter_points_its_writer_to_erasing_it(client, settings):
    settings.CONTACT_EMAIL = ""
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data(website="http://spam.example"))

    email = OutboundEmail.objects.get(kind="letter_received")

    for body in (email.text, email.html):
        assert "If this was not you, erase it: ask for a link at " in body
        assert "http://127.0.0.1:8000/my-data/" in body
        assert "reply" not in body
