from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from urgentaction.api.models import WebhookDelivery
from urgentaction.api.webhooks.registry import register_endpoint
from urgentaction.api.webhooks.retention import drop_stale_messages, prune_delivery_log
from urgentaction.core import housekeeping
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint():
    endpoint, _ = register_endpoint(
        url="https://93.184.215.14/hooks", events=["person.unsubscribed"], personal=True
    )
    return endpoint


def message(at) -> WebhookDelivery:
    with time_machine.travel(at):
        withdraw(ConsentFactory().supporter, how="unsubscribe link")
    return WebhookDelivery.objects.latest("pk")


def test_messages_that_waited_three_days_untried_fail_and_lose_their_payload(endpoint):
    now = timezone.now()
    held = message(now - timedelta(days=3, minutes=1))
    never_tried = message(now - timedelta(days=3, minutes=1))
    recent = message(now - timedelta(days=2))
    WebhookDelivery.objects.filter(pk__in=[held.pk, recent.pk]).update(status=OutboxStatus.HELD)

    assert drop_stale_messages() == 2

    for row in (held, never_tried):
        row.refresh_from_db()
        assert (row.status, row.payload) == (OutboxStatus.FAILED, "")
        assert row.last_error == "Not sent within 3 days."
    recent.refresh_from_db()
    assert recent.status == OutboxStatus.HELD and recent.payload


def test_a_message_being_retried_is_left_to_its_retry_window(endpoint):
    retried = message(timezone.now() - timedelta(days=4))
    WebhookDelivery.objects.filter(pk=retried.pk).update(
        attempts=1, first_attempt_at=timezone.now() - timedelta(days=1)
    )

    assert drop_stale_messages() == 0


def test_the_delivery_log_goes_after_thirty_days(endpoint):
    now = timezone.now()
    old, kept = message(now - timedelta(days=31)), message(now - timedelta(days=29))
    waiting = message(now - timedelta(days=31))
    WebhookDelivery.objects.filter(pk__in=[old.pk, kept.pk]).update(
        status=OutboxStatus.SENT, payload=""
    )
    WebhookDelivery.objects.filter(pk=waiting.pk).update(status=OutboxStatus.SENDING)

    assert prune_delivery_log() == 1

    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {kept.pk, waiting.pk}


def test_the_worker_runs_the_webhooks_jobs():
    names = {job.name for job in housekeeping.registered()}

    assert {
        "urgentaction.api.webhooks.delivery.disable_failing_endpoints",
        "urgentaction.api.webhooks.retention.drop_stale_messages",
        "urgentaction.api.webhooks.retention.prune_delivery_log",
    } <= names
