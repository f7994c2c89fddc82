"""Signing with initials only: for supporters with family in the country concerned, the
office sees the writer's initials and town, never their name, address or email."""

import email.policy
import io

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from urgentaction.actions.models import Action, Delivery, initials
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, valid_data
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.letters.documents import letter_pdf

pytestmark = pytest.mark.django_db

HIDDEN = ["Lovelace", "Ada", "1 High Street", "LS1 1AA", "ada@people.example"]


def test_it_makes_initials_in_any_script():
    assert initials("Ada King Lovelace") == "A. K. L."
    assert initials("김 영희") == "김. 영."


def test_a_letter_signed_with_initials_shows_the_office_only_initials_and_town(smtp_server):
    campaign = CampaignFactory(requires_confirmation=False, reply_email="cases@rights.example")
    Client().post(campaign.get_absolute_url(), valid_data(initials_only="on"))

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    raw = letter.as_bytes(policy=email.policy.SMTP).decode()
    assert [hidden for hidden in HIDDEN if hidden in raw] == []
    assert letter["From"].addresses[0].display_name == "A. L. via Test Rights Network"
    assert letter["Reply-To"].addresses[0].addr_spec == "cases@rights.example"
    assert letter.get_content().replace("\r\n", "\n").rstrip().endswith("A. L.\nLeeds")
    assert Action.objects.get().initials_only is True


def test_without_its_own_address_a_campaign_takes_replies_at_the_sites(settings, smtp_server):
    settings.REPLIES_EMAIL = "replies@rights.example"
    DeliveryFactory(action=ActionFactory(initials_only=True))

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    assert letter["Reply-To"].addresses[0].addr_spec == "replies@rights.example"


def test_the_printed_letter_shows_only_initials_and_town():
    action = ActionFactory(initials_only=True, channel="post")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter_pdf(action))).pages)

    assert "A. L." in text
    assert "Leeds" in text
    assert [hidden for hidden in HIDDEN if hidden in text] == []


def test_a_digest_gives_no_address_for_a_letter_signed_with_initials(smtp_server):
    delivery = DeliveryFactory(action=ActionFactory(initials_only=True))
    Target.objects.filter(pk=delivery.target_id).update(mode=Target.Mode.DAILY)

    call_command("worker", "--until-idle")

    [digest] = smtp_server.messages
    body = digest.get_content()
    assert "from A. L. (signed with initials only" in body
    assert [hidden for hidden in HIDDEN if hidden in body] == []
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_the_form_offers_initials_and_the_cases_safety_advice(client):
    advice = "If you have family in North Korea, consider signing with your initials."
    with_advice = CampaignFactory(safety_advice=advice)
    without = CampaignFactory()

    page = client.get(with_advice.get_absolute_url()).content.decode()
    plain = client.get(without.get_absolute_url()).content.decode()

    assert "Sign with my initials only" in page
    assert advice in page
    assert "Your safety" not in plain


def test_a_letter_signed_in_full_still_takes_replies_to_its_writer(smtp_server):
    DeliveryFactory()

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    assert letter["Reply-To"].addresses[0].display_name == "Ada Lovelace"
