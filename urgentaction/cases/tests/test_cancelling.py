"""Recording an outcome cancels the case's letters not yet delivered (held, waiting for
confirmation, queued or paced): nothing cancelled is ever sent, however far a worker
had got, and the counts stay right."""

from datetime import timedelta

import pytest
import time_machine
from django.core.mail import get_connection
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from urgentaction.actions import digests
from urgentaction.actions.cancelling import undelivered
from urgentaction.actions.counts import LetterCount, Stage, TargetCount
from urgentaction.actions.delivery import build_message, deliver_due
from urgentaction.actions.models import Action, BlockedWord, Delivery, Digest, Review
from urgentaction.actions.review import approve
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.campaigns.models import Campaign, Role, Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.outcomes import record_outcome
from urgentaction.conftest import confirm_path
from urgentaction.lib import outbox
from urgentaction.lib.outbox import OutboxStatus, claim_one
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return TargetFactory(email="fs@government.example", hourly_cap=None)


@pytest.fixture
def ambassador():
    return TargetFactory(office="Ambassador", email="ambassador@example.org", hourly_cap=None)


@pytest.fixture
def campaign(office, ambassador):
    return CampaignFactory(targets=[office], copy_targets=[ambassador])


def write(campaign, **data) -> Action:
    """A letter written on the campaign's page, as a supporter writes it."""
    data.setdefault("email", f"writer{Action.objects.count()}@people.example")
    Client().post(campaign.get_absolute_url(), valid_data(**data))
    return Action.objects.order_by("pk").last()


def record(campaign: Campaign) -> None:
    record_outcome(
        campaign=campaign,
        kind="released",
        on=timezone.localdate(),
        texts={"en-gb": "They were released."},
        by=None,
    )


def claimed(delivery: Delivery) -> Delivery:
    """The delivery as a worker holds it, read into its batch."""
    assert claim_one(Delivery.objects.all(), delivery.pk)
    return Delivery.objects.select_related("action__campaign", "target").get(pk=delivery.pk)


def test_a_queued_letter_and_its_copy_are_cancelled_and_never_sent(campaign, smtp_server):
    campaign.requires_confirmation = False
    campaign.save()
    letter = write(campaign)

    record(campaign)
    call_command("worker", "--until-idle")

    assert smtp_server.messages == []
    assert set(letter.deliveries.values_list("role", "status")) == {
        (Role.TO, OutboxStatus.CANCELLED),
        (Role.COPY, OutboxStatus.CANCELLED),
    }
    assert Action.objects.with_deliveries().get(pk=letter.pk).state == "cancelled"


def test_a_letter_waiting_its_turn_at_the_targets_pace_is_cancelled(campaign, smtp_server):
    Target.objects.filter(email="fs@government.example").update(hourly_cap=1)
    campaign.requires_confirmation = False
    campaign.save()
    first, paced = write(campaign), write(campaign)
    deliver_due()
    assert first.deliveries.get(role=Role.TO).status == OutboxStatus.SENT

    record(campaign)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("worker", "--until-idle")

    to_office = [m for m in smtp_server.messages if "fs@government.example" in m["To"]]
    assert len(to_office) == 1  # the first letter, before the outcome
    assert paced.deliveries.get(role=Role.TO).status == OutboxStatus.CANCELLED


def test_a_letter_a_live_worker_already_holds_is_never_sent(campaign, smtp_server):
    mine = claimed(DeliveryFactory(action__campaign=campaign))  # in the worker's batch

    record(campaign)
    outbox.send(mine, build=build_message, connection=get_connection(), on_failure=print)

    mine.refresh_from_db()
    assert smtp_server.messages == []
    assert (mine.status, mine.sent_at, mine.leased_until) == (OutboxStatus.CANCELLED, None, None)


def test_a_letter_whose_worker_died_holding_it_is_never_sent(campaign, smtp_server):
    delivery = DeliveryFactory(action__campaign=campaign)
    claimed(delivery)  # ...and that worker died: its lease runs out.

    record(campaign)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert smtp_server.messages == []
    assert delivery.status == OutboxStatus.CANCELLED


def test_a_letter_written_as_the_outcome_was_recorded_is_refused_by_the_worker(
    campaign, smtp_server
):
    record(campaign)
    late = DeliveryFactory(action__campaign=campaign)  # committed just after the outcome

    call_command("worker", "--until-idle")

    late.refresh_from_db()
    assert smtp_server.messages == []
    assert late.status == OutboxStatus.CANCELLED


def test_a_letter_waiting_for_confirmation_is_deleted_and_its_link_sends_nothing(
    campaign, smtp_server
):
    letter = write(campaign)
    confirm_email = OutboundEmail.objects.get(kind="confirm_letter", action=letter)
    path = confirm_path(confirm_email)

    record(campaign)
    page = Client().post(path)
    call_command("worker", "--until-idle")

    letter.refresh_from_db()
    assert "This link no longer works" in page.content.decode()
    assert letter.expired_at is not None and letter.confirmed_at is None
    assert (letter.body, letter.email) == ("", "")
    assert set(letter.deliveries.values_list("status", flat=True)) == {OutboxStatus.CANCELLED}
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0
    # Not even the email asking to confirm it, which had not gone yet.
    assert smtp_server.messages == []


def test_a_letter_held_for_review_leaves_the_queue_and_never_goes_or_counts(
    campaign, admin_user, smtp_server
):
    BlockedWord.objects.create(phrase="pills")
    campaign.requires_confirmation = False
    campaign.save()
    held = write(campaign, body="Dear Foreign Secretary\r\n\r\nBuy pills.\r\n\r\nYours")
    assert Action.objects.held().count() == 1

    record(campaign)
    approved = approve(held, by=admin_user)
    call_command("worker", "--until-idle")

    held.refresh_from_db()
    assert not approved
    assert Action.objects.held().count() == 0
    assert (held.review, held.counted_at) == (Review.CLOSED, None)
    assert Action.objects.with_deliveries().get(pk=held.pk).state == "cancelled"
    assert set(held.deliveries.values_list("status", flat=True)) == {OutboxStatus.CANCELLED}
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0
    received = f"[{campaign.reference}] We have your letter: {campaign}"
    assert [m["Subject"] for m in smtp_server.messages] == [received]


def test_a_digest_holding_a_cancelled_letter_is_not_sent_and_its_others_go_next(
    office, campaign, smtp_server
):
    Target.objects.filter(pk=office.pk).update(mode=Target.Mode.DAILY)
    other_case = CampaignFactory(targets=[office])
    ours = DeliveryFactory(action__campaign=campaign, target=office, action__body="Ours.")
    theirs = DeliveryFactory(action__campaign=other_case, target=office, action__body="Theirs.")
    digests.schedule_digests()
    digest = Digest.objects.get()
    assert claim_one(Digest.objects.all(), digest.pk)
    held_by_worker = Digest.objects.select_related("target").get(pk=digest.pk)

    record(campaign)
    outbox.send(
        held_by_worker,
        build=digests.build_message,
        connection=get_connection(),
        on_failure=print,
    )
    assert smtp_server.messages == []
    call_command("worker", "--until-idle")

    [sent] = [m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == office.email]
    assert "Theirs." in sent.get_content() and "Ours." not in sent.get_content()
    digest.refresh_from_db()
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert digest.status == OutboxStatus.CANCELLED
    assert (ours.status, theirs.status) == (OutboxStatus.CANCELLED, OutboxStatus.SENT)


def test_a_late_letter_for_a_daily_digest_is_cancelled_not_gathered(office, campaign):
    Target.objects.filter(pk=office.pk).update(mode=Target.Mode.DAILY)
    record(campaign)
    late = DeliveryFactory(action__campaign=campaign, target=office)

    digests.schedule_digests()

    late.refresh_from_db()
    assert late.status == OutboxStatus.CANCELLED
    assert not Digest.objects.exists()


def test_counts_stay_right(campaign, office, smtp_server):
    campaign.requires_confirmation = False
    campaign.save()
    delivered = write(campaign)
    call_command("worker", "--until-idle")
    Target.objects.filter(pk=office.pk).update(next_send_at=timezone.now() + timedelta(days=1))
    queued = write(campaign)
    posted = write(campaign, channel="post")
    before = Campaign.objects.get(pk=campaign.pk).action_count

    record(campaign)
    call_command("worker", "--until-idle")

    assert before == 2  # the two letters by email; the posted one was never reported
    assert Campaign.objects.get(pk=campaign.pk).action_count == 2
    assert delivered.deliveries.get(role=Role.TO).status == OutboxStatus.SENT
    assert queued.deliveries.get(role=Role.TO).status == OutboxStatus.CANCELLED
    assert not posted.deliveries.exists()
    delivered_count = LetterCount.objects.filter(campaign=campaign, stage=Stage.DELIVERED)
    assert sum(delivered_count.values_list("count", flat=True)) == 1
    assert TargetCount.objects.get(campaign=campaign, target=office).sent == 1
    assert not Delivery.objects.queued().exists()
    assert Action.objects.with_deliveries().get(pk=queued.pk).state == "cancelled"
    assert Action.objects.with_deliveries().get(pk=delivered.pk).state == "sent"


def test_the_letters_of_other_cases_still_go(campaign, office, smtp_server):
    other = DeliveryFactory(action__campaign=CampaignFactory(targets=[office]), target=office)

    record(campaign)
    call_command("worker", "--until-idle")

    other.refresh_from_db()
    assert other.status == OutboxStatus.SENT
    assert len(smtp_server.messages) == 1


def test_staff_are_told_exactly_how_many_letters_wait_and_why(campaign, office, smtp_server):
    Target.objects.filter(pk=office.pk).update(hourly_cap=1)
    campaign.requires_confirmation = False
    campaign.save()
    for _ in range(3):
        write(campaign)
    deliver_due()  # the first letter, and every copy: the other two wait their turn
    BlockedWord.objects.create(phrase="pills")
    write(campaign, body="Dear Foreign Secretary\r\n\r\nBuy pills.\r\n\r\nYours")  # held
    campaign.requires_confirmation = True
    campaign.save()
    write(campaign)  # waiting for confirmation
    ActionFactory(campaign=campaign, channel="post")  # printed: not ours to deliver

    waiting = undelivered(campaigns=[campaign])

    assert (waiting.awaiting_confirmation, waiting.held_for_review, waiting.queued) == (1, 1, 2)
    assert waiting.letters == 4
    # Two letters waiting their turn; the held and the unconfirmed letter, with copies.
    assert waiting.emails == 2 + 2 + 2
    record(campaign)
    assert undelivered(campaigns=[campaign]).letters == 0
