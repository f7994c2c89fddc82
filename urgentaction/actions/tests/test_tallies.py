import importlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command

from urgentaction.actions.bounces import record_bounce
from urgentaction.actions.counts import LetterCount, TargetCount
from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.actions.review import approve, reject
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import confirm_path
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.django_db


def counts(campaign) -> dict[tuple, int]:
    rows = LetterCount.objects.filter(campaign=campaign)
    return {(r.stage, r.channel, r.source, r.hour): r.count for r in rows}


def stages(campaign) -> dict[str, int]:
    totals = LetterCount.objects.filter(campaign=campaign).totals("stage")
    return {row["stage"]: row["total"] for row in totals}


HOUR = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


@time_machine.travel(datetime(2026, 6, 1, 22, 30, tzinfo=UTC), tick=False)
def test_a_new_letter_counts_as_written_in_its_hour_with_its_source(client):
    campaign = CampaignFactory(requires_confirmation=True)

    client.post(campaign.get_absolute_url(), valid_data(source="Newsletter "))

    assert counts(campaign) == {("written", "email", "newsletter", HOUR): 1}


def test_confirming_counts_the_letter_once(client):
    campaign = CampaignFactory()
    client.post(campaign.get_absolute_url(), valid_data())
    path = confirm_path(OutboundEmail.objects.get(kind="confirm_letter"))

    client.post(path)
    client.post(path)

    assert stages(campaign) == {"written": 1, "confirmed": 1}


def test_a_letter_that_needs_no_confirmation_counts_at_once(client):
    campaign = CampaignFactory(requires_confirmation=False)
    ConsentText.objects.create(wording="Email me news.", details="Now and then.")

    client.post(campaign.get_absolute_url(), valid_data(wants_updates="on", consent_version=""))

    assert stages(campaign) == {"written": 1, "confirmed": 1, "signed_up": 1}


def test_held_letters_count_as_held_then_approved_or_rejected(client, admin_user):
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data(website="spam"))
    client.post(campaign.get_absolute_url(), valid_data(website="spam", email="b@people.example"))
    first, second = Action.objects.order_by("pk")
    assert first.review == Review.HELD

    approve(first, by=admin_user)
    approve(first, by=admin_user)
    reject(second, by=admin_user)

    assert stages(campaign) == {
        "written": 2,
        "held": 2,
        "approved": 1,
        "rejected": 1,
        "confirmed": 1,
    }


def test_delivering_counts_each_letter_once_and_each_copy_for_its_target(smtp_server):
    targets = [TargetFactory(), TargetFactory(office="Home Secretary")]
    campaign = CampaignFactory(targets=targets)
    action = ActionFactory(campaign=campaign, source="radio")
    for target in targets:
        DeliveryFactory(action=action, target=target)

    call_command("worker", "--until-idle")

    assert stages(campaign) == {"delivered": 1}
    assert LetterCount.objects.get(stage="delivered").source == "radio"
    per_target = TargetCount.objects.filter(campaign=campaign)
    assert sorted((c.target_id, c.sent, c.failed, c.bounced) for c in per_target) == sorted(
        (target.pk, 1, 0, 0) for target in targets
    )
    action.refresh_from_db()
    assert per_target.first().last_sent_at >= action.delivered_at


def test_a_refused_letter_counts_as_failed_and_a_bounce_as_bounced(smtp_server):
    refused = DeliveryFactory()
    smtp_server.rcpt_reply = "550 No such mailbox"
    call_command("worker", "--until-idle")
    bounced = DeliveryFactory(action__campaign=refused.action.campaign, status=Delivery.Status.SENT)

    record_bounce(token=bounced.bounce_token, detail="Bounced: 5.1.1")

    [count] = TargetCount.objects.all()
    assert (count.sent, count.failed, count.bounced) == (0, 1, 1)


@time_machine.travel(datetime(2026, 6, 1, 22, 30, tzinfo=UTC), tick=False)
def test_erasing_a_supporter_leaves_the_counts_of_a_shared_tag_as_they_were(client):
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data(source="radio"))
    client.post(campaign.get_absolute_url(), valid_data(source="radio", email="b@people.example"))
    before = counts(campaign)

    erase_supporter(Action.objects.order_by("pk").first().supporter)

    assert counts(campaign) == before
    assert Action.objects.order_by("pk").first().source == ""


@time_machine.travel(datetime(2026, 6, 1, 22, 30, tzinfo=UTC), tick=False)
def test_a_tag_only_the_erased_person_used_is_counted_untagged_from_then_on(client):
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data(source="for-ada-only"))
    client.post(campaign.get_absolute_url(), valid_data(source="", email="b@people.example"))
    before = stages(campaign)

    erase_supporter(Action.objects.order_by("pk").first().supporter)

    assert stages(campaign) == before
    assert counts(campaign)[("written", "email", "", HOUR)] == 2
    assert not LetterCount.objects.filter(source="for-ada-only").exists()


MIGRATION = "urgentaction.actions.migrations.0015_count_existing_letters"


def test_the_migration_counts_the_letters_stored_before_it():
    migration = importlib.import_module(MIGRATION)
    campaign = CampaignFactory()
    written = datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
    action = ActionFactory(
        campaign=campaign, source="radio", created_at=written, counted_at=written
    )
    DeliveryFactory(action=action, status=Delivery.Status.SENT, sent_at=written)
    DeliveryFactory(action__campaign=campaign, status=Delivery.Status.FAILED)
    LetterCount.objects.all().delete()
    TargetCount.objects.all().delete()

    migration.count_existing(apps, None)

    nine = written.replace(minute=0)
    assert counts(campaign)[("written", "email", "radio", nine)] == 1
    assert stages(campaign) == {"written": 2, "confirmed": 1, "delivered": 1}
    [target] = TargetCount.objects.filter(campaign=campaign)
    assert (target.sent, target.failed, target.bounced, target.last_sent_at) == (1, 1, 0, written)
