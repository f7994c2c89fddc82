"""A person who erases their data while a letter of theirs is on its way: nothing of it
may go, however far the worker had got (issue: an erased letter went out blank)."""

from datetime import timedelta

import pytest
from django.core.mail import get_connection
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions.delivery import build_message
from urgentaction.actions.models import Delivery, Digest
from urgentaction.actions.tests.factories import DeliveryFactory
from urgentaction.campaigns.models import Target
from urgentaction.conftest import erase_through_my_data
from urgentaction.lib import outbox
from urgentaction.lib.outbox import OutboxStatus, claim_one
from urgentaction.mailings.emails import build_message as build_email
from urgentaction.mailings.emails import queue_email
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


def claimed(delivery: Delivery) -> Delivery:
    assert claim_one(Delivery.objects.all(), delivery.pk)
    return Delivery.objects.select_related("action__campaign", "target").get(pk=delivery.pk)


def test_a_letter_whose_worker_died_is_never_sent_once_its_writer_erased(smtp_server):
    delivery = DeliveryFactory()
    claimed(delivery)  # ...and that worker died.
    erase_through_my_data(delivery.action.email)
    Delivery.objects.filter(pk=delivery.pk).update(leased_until=timezone.now())

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert [m.recipients for m in smtp_server.messages] == []
    assert (delivery.status, delivery.sent_at) == (OutboxStatus.CANCELLED, None)


def test_a_letter_held_in_a_live_workers_batch_is_not_sent_once_its_writer_erased(smtp_server):
    mine = claimed(DeliveryFactory())  # read into the worker's batch, with the full letter
    erase_through_my_data(mine.action.email)

    outbox.send(mine, build=build_message, connection=get_connection(), on_failure=print)

    mine.refresh_from_db()
    assert smtp_server.messages == []
    assert mine.status == OutboxStatus.CANCELLED


def test_a_claimed_letter_with_nothing_left_in_it_is_cancelled_not_sent(smtp_server):
    # Erased by code that did not cancel letters being sent: the row is still "sending".
    delivery = DeliveryFactory()
    mine = claimed(delivery)
    type(mine.action).objects.filter(pk=mine.action.pk).update(email="", body="", first_name="")
    mine.action.refresh_from_db()

    outbox.send(mine, build=build_message, connection=get_connection(), on_failure=print)

    delivery.refresh_from_db()
    assert smtp_server.messages == []
    assert delivery.status == OutboxStatus.CANCELLED


def test_an_email_to_a_person_who_erased_while_it_was_claimed_is_not_sent(smtp_server):
    delivery = DeliveryFactory()
    queue_email(
        to=delivery.action.email,
        template="letter_received",
        context={"action": delivery.action, "campaign": delivery.action.campaign},
        action=delivery.action,
    )
    email = OutboundEmail.objects.get(kind="letter_received")
    assert claim_one(OutboundEmail.objects.all(), email.pk)
    email.refresh_from_db()
    erase_through_my_data(delivery.action.email)

    outbox.send(email, build=build_email, connection=get_connection(), on_failure=print)

    email.refresh_from_db()
    assert smtp_server.messages == []
    assert email.status == OutboxStatus.CANCELLED


def test_a_digest_leaves_out_the_letter_of_a_person_who_erased(smtp_server):
    kept = DeliveryFactory()
    gone = DeliveryFactory(action__campaign=kept.action.campaign)
    Target.objects.filter(pk=kept.target_id).update(mode=Target.Mode.DAILY)
    digest = Digest.objects.create(target=kept.target, message_id="<digest@rights.example>")
    Delivery.objects.filter(pk__in=[kept.pk, gone.pk]).update(digest=digest)
    erase_through_my_data(gone.action.email)

    call_command("worker", "--until-idle")

    [message] = smtp_server.messages
    body = message.get_content()
    assert kept.action.email in body
    assert gone.action.email not in body
    assert "Letter 2" not in body
    gone.refresh_from_db()
    assert (gone.status, gone.sent_at) == (OutboxStatus.CANCELLED, None)


def test_a_digest_whose_every_writer_erased_is_cancelled(smtp_server):
    gone = DeliveryFactory()
    Target.objects.filter(pk=gone.target_id).update(mode=Target.Mode.DAILY)
    digest = Digest.objects.create(target=gone.target, message_id="<digest@rights.example>")
    Delivery.objects.filter(pk=gone.pk).update(digest=digest)
    erase_through_my_data(gone.action.email)
    Digest.objects.filter(pk=digest.pk).update(next_attempt_at=timezone.now() - timedelta(1))

    call_command("worker", "--until-idle")

    digest.refresh_from_db()
    assert smtp_server.messages == []
    assert digest.status == OutboxStatus.CANCELLED
