"""Copies to: a campaign's copy targets (an ambassador, say) get the same letter with a
"Copy to:" line naming them, as a delivery of its own, paced at their own rate."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions import digests
from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.test_take_action import post, valid_data
from urgentaction.campaigns.models import Role, Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import with_words
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db

LETTER = "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely\n\nAda Lovelace\n"


@pytest.fixture
def ambassador():
    return TargetFactory(
        office="Ambassador of the People's Republic of China to the United Kingdom",
        holder="",
        salutation="Your Excellency",
        email="ambassador@example.org",
        hourly_cap=None,
    )


@pytest.fixture
def campaign(ambassador):
    target = TargetFactory(email="fs@government.example", hourly_cap=None)
    return CampaignFactory(targets=[target], copy_targets=[ambassador], requires_confirmation=False)


def by_recipient(messages) -> dict[str, object]:
    return {message["To"].addresses[0].addr_spec: message for message in messages}


def test_a_letter_sent_for_the_supporter_gets_a_delivery_for_each_copy_target(
    client, campaign, ambassador
):
    post(client, campaign, valid_data())

    deliveries = Delivery.objects.order_by("role")
    assert [(d.target.email, d.role) for d in deliveries] == [
        ("ambassador@example.org", Role.COPY),
        ("fs@government.example", Role.TO),
    ]
    assert len({d.message_id for d in deliveries}) == 2


def test_the_copy_is_the_same_letter_with_a_copy_to_line_naming_its_addressee(
    client, campaign, smtp_server
):
    post(client, campaign, valid_data())

    call_command("worker", "--until-idle")

    sent = by_recipient(smtp_server.messages)
    original = sent["fs@government.example"]
    copy = sent["ambassador@example.org"]
    assert copy["Subject"] == original["Subject"] == "Please stop the deportation"
    assert copy["Reply-To"] == original["Reply-To"] == "Ada Lovelace <ada@people.example>"
    assert copy["Message-ID"] != original["Message-ID"]
    original_body = original.get_content().replace("\r\n", "\n")
    copy_body = copy.get_content().replace("\r\n", "\n")
    assert LETTER in original_body and LETTER in copy_body
    assert "Copy to:" not in original_body
    assert copy_body.endswith(
        "United Kingdom\n\n"
        "Copy to: Ambassador of the People's Republic of China to the United Kingdom\n"
    )


def test_a_copy_is_paced_at_its_own_targets_rate(client, campaign, ambassador, smtp_server):
    Target.objects.filter(pk=ambassador.pk).update(hourly_cap=1)
    for n in range(3):
        post(client, campaign, valid_data(email=f"writer{n}@people.example"))

    deliver_due()
    deliver_due()

    letters = Delivery.objects.filter(role=Role.TO)
    copies = Delivery.objects.filter(role=Role.COPY)
    assert [d.status for d in letters] == [OutboxStatus.SENT] * 3
    assert sorted(d.status for d in copies) == [OutboxStatus.PENDING] * 2 + [OutboxStatus.SENT]
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        deliver_due()
    assert copies.filter(status=OutboxStatus.SENT).count() == 2


def test_only_a_letter_to_its_addressee_counts_it_as_delivered(client, campaign, smtp_server):
    post(client, campaign, valid_data())
    Delivery.objects.filter(role=Role.TO).update(status=OutboxStatus.HELD)

    call_command("worker", "--until-idle")

    action = Action.objects.get()
    assert Delivery.objects.get(role=Role.COPY).status == OutboxStatus.SENT
    assert action.delivered_at is None
    assert Action.objects.with_deliveries().get().state == "queued"


def test_a_copy_in_a_daily_digest_says_it_is_a_copy(client, campaign, ambassador, smtp_server):
    Target.objects.filter(pk=ambassador.pk).update(mode=Target.Mode.DAILY)
    post(client, campaign, valid_data())

    digests.schedule_digests()
    call_command("worker", "--until-idle")

    body = by_recipient(smtp_server.messages)["ambassador@example.org"].get_content()
    assert "Copy to: Ambassador of the People's Republic of China" in body


def test_in_test_mode_the_copy_goes_to_the_test_address_too(client, campaign, smtp_server):
    campaign.test_mode, campaign.test_email = True, "staff@rights.example"
    campaign.save()
    post(client, campaign, valid_data())

    call_command("worker", "--until-idle")

    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [
        "staff@rights.example"
    ] * 2
    bodies = [m.get_content() for m in smtp_server.messages]
    assert sum("Copy to: Ambassador" in body for body in bodies) == 1


def test_a_letter_sent_from_the_supporters_own_email_copies_them_in(client, campaign):
    sent = post(client, campaign, valid_data(channel="mail_app"))

    response = client.get(sent["Location"], follow=True)

    links = response.context["compose_links"]
    query = dict(part.split("=") for part in urlsplit(links["mailto"]).query.split("&"))
    assert unquote(query["cc"]) == "ambassador@example.org"
    assert parse_qs(urlsplit(links["gmail"]).query)["cc"] == ["ambassador@example.org"]
    assert parse_qs(urlsplit(links["outlook"]).query)["cc"] == ["ambassador@example.org"]
    assert "Copy to (Cc)" in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_writer_is_told_before_confirming_that_a_copy_goes_too(client, campaign):
    campaign.requires_confirmation = True
    campaign.save()
    post(client, campaign, valid_data())

    email = with_words(OutboundEmail.objects.get(kind="confirm_letter"))
    expected = "Copy to: Ambassador of the People's Republic of China to the United Kingdom"
    assert expected in email.text
    assert expected.replace("Copy to:", "<strong>Copy to:</strong>").replace("'", "&#x27;") in (
        email.html
    )
    link = re.search(r"http://[^/]+(/confirm/[^\s]+/)", email.text).group(1)
    page = client.get(link).content.decode()
    assert "<dt>Copy to</dt><dd>Ambassador of the People&#x27;s Republic" in page
