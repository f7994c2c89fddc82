from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions.counts import TargetCount
from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.tests.factories import OutboundEmailFactory, UpdateFactory
from urgentaction.privacy.retention import (
    anonymise_inactive_supporters,
    delete_old_letters,
    prune_sent_rows,
)
from urgentaction.supporters.models import Consent, ConsentText, Supporter

pytestmark = pytest.mark.django_db


def test_letter_texts_go_28_days_after_delivery_and_counts_stay(smtp_server):
    campaign = CampaignFactory(action_count=2)
    sent = DeliveryFactory(action=ActionFactory(campaign=campaign, body="Sent letter."))
    waiting = DeliveryFactory(
        action=ActionFactory(campaign=campaign, body="Still waiting."), status=Delivery.Status.HELD
    )
    call_command("worker", "--until-idle")

    with time_machine.travel(timezone.now() + timedelta(days=27)):
        delete_old_letters()
    assert Action.objects.get(pk=sent.action_id).body == "Sent letter."

    with time_machine.travel(timezone.now() + timedelta(days=29)):
        delete_old_letters()

    assert Action.objects.get(pk=sent.action_id).body == ""
    assert Action.objects.get(pk=waiting.action_id).body == "Still waiting."
    assert Campaign.objects.get(pk=campaign.pk).action_count == 2
    assert Action.objects.count() == 2


def test_letters_supporters_posted_themselves_go_28_days_after_writing():
    action = ActionFactory(channel=Channel.POST, body="Posted.")

    with time_machine.travel(timezone.now() + timedelta(days=29)):
        delete_old_letters()

    action.refresh_from_db()
    assert action.body == ""


def test_people_with_no_consent_and_nothing_done_for_two_years_are_anonymised():
    quiet = SupporterFactory(email="quiet@people.example")
    subscribed = SupporterFactory(email="reader@people.example")
    Consent.objects.create(
        supporter=subscribed,
        email_hash=subscribed.email_hash,
        text=ConsentText.objects.create(wording="w", details="d"),
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
    )

    with time_machine.travel(timezone.now() + timedelta(days=800)):
        anonymise_inactive_supporters()

    assert Supporter.objects.get(pk=quiet.pk).email == ""
    assert Supporter.objects.get(pk=subscribed.pk).email == "reader@people.example"


def test_sent_rows_go_whole_28_days_after_they_went_and_the_counts_stay(smtp_server):
    campaign = CampaignFactory(action_count=3)
    sent = DeliveryFactory(action=ActionFactory(campaign=campaign))
    call_command("worker", "--until-idle")
    failed = DeliveryFactory(action=ActionFactory(campaign=campaign), status=OutboxStatus.FAILED)
    cancelled = DeliveryFactory(
        action=ActionFactory(campaign=campaign), status=OutboxStatus.CANCELLED
    )
    went = {"status": OutboxStatus.SENT, "sent_at": timezone.now()}
    OutboundEmailFactory(**went)
    sending = UpdateFactory(campaign=campaign, status=Update.Status.SENDING)
    OutboundEmailFactory(update=sending, **went)
    before = TargetCount.objects.get(campaign=campaign)
    assert (before.sent, Delivery.objects.get(pk=sent.pk).status) == (1, OutboxStatus.SENT)

    with time_machine.travel(timezone.now() + timedelta(days=27)):
        assert prune_sent_rows() == 0
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert prune_sent_rows() == 2

    assert set(Delivery.objects.values_list("pk", flat=True)) == {failed.pk, cancelled.pk}
    assert list(OutboundEmail.objects.values_list("update", flat=True)) == [sending.pk]
    states = {action.pk: action.state for action in Action.objects.with_deliveries()}
    assert states == {
        sent.action_id: "sent",
        failed.action_id: "failed",
        cancelled.action_id: "cancelled",
    }
    after = TargetCount.objects.get(campaign=campaign)
    assert (after.sent, after.last_sent_at) == (before.sent, before.last_sent_at)
    assert Campaign.objects.get(pk=campaign.pk).action_count == 3
