"""How long webhook messages are kept: none waits longer than the retry window, and the
delivery log, which keeps no payload, goes after ``LOG_DAYS``."""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from urgentaction.api.models import WebhookDelivery
from urgentaction.api.webhooks.delivery import RETRY_WINDOW
from urgentaction.lib.outbox import OutboxStatus

logger = logging.getLogger(__name__)

LOG_DAYS = 30
PRUNE_BATCH = 1000


def drop_stale_messages() -> int:
    """Messages that waited ``RETRY_WINDOW`` without a try (held while their endpoint was
    disabled, or never picked up) fail, and their payloads go: they may name people, and
    would tell of what is long past."""
    stale = WebhookDelivery.objects.filter(
        Q(status=OutboxStatus.HELD) | Q(status=OutboxStatus.PENDING, first_attempt_at=None),
        created_at__lt=timezone.now() - RETRY_WINDOW,
    )
    never_picked_up = stale.filter(status=OutboxStatus.PENDING).count()
    if never_picked_up:
        logger.warning(
            "%s webhook messages were never tried in %s days: is send_webhooks running?",
            never_picked_up,
            RETRY_WINDOW.days,
        )
    return stale.update(
        status=OutboxStatus.FAILED,
        payload="",
        last_error=f"Not sent within {RETRY_WINDOW.days} days.",
    )


def prune_delivery_log() -> int:
    """Settled messages go ``LOG_DAYS`` after they were recorded."""
    old = WebhookDelivery.objects.filter(
        status__in=[OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED],
        created_at__lt=timezone.now() - timedelta(days=LOG_DAYS),
    )
    batch = list(old.values_list("pk", flat=True)[:PRUNE_BATCH])
    return WebhookDelivery.objects.filter(pk__in=batch).delete()[0]
