"""Sending webhooks from their outbox, as ``send_webhooks`` does, apart from letters.

Rows are claimed with lib/outbox.py as letters are, at most one per endpoint at a time,
and each request runs in a thread of a small pool, so that a slow endpoint holds up only
its own messages. Only the calling thread reads and writes the database: it claims and
signs, the threads make the requests, and it settles what they found.

A try that times out or gets a 5xx is made again with back-off for ``RETRY_WINDOW``,
with the same ``webhook-id``. An endpoint whose every try has failed for
``DISABLE_AFTER`` is disabled at its next failure, or by the worker's housekeeping if
back-off puts that later: its waiting messages are held, and staff are told."""

import logging
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from urgentaction.api.models import WebhookDelivery, WebhookEndpoint, WebhookEndpointQuerySet
from urgentaction.api.webhooks import sending
from urgentaction.api.webhooks.sending import Answer
from urgentaction.lib import outbox
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import queue_email

logger = logging.getLogger(__name__)

RETRY_WINDOW = timedelta(days=3)
DISABLE_AFTER = timedelta(hours=24)
# Requests in flight at once, each to a different endpoint.
THREADS = 8


class Sender:
    """Webhook requests in flight, at most one per endpoint, each in a thread."""

    def __init__(self, *, threads: int = THREADS, timeout: float = sending.TIMEOUT) -> None:
        self.threads = threads
        self.timeout = timeout
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook")
        self.in_flight: dict[Future, WebhookDelivery] = {}

    def start_due(self, *, stop: Callable[[], bool] = outbox.never) -> int:
        """Claim due messages of endpoints with none in flight, and start sending them;
        return how many were claimed."""
        free = self.threads - len(self.in_flight)
        if free <= 0:
            return 0
        busy = {row.endpoint_id for row in self.in_flight.values()}
        due = WebhookDelivery.objects.filter(endpoint__in=WebhookEndpoint.objects.listening())
        ids = outbox.claim_due(
            due.exclude(endpoint_id__in=busy),
            limit=free,
            fields=("endpoint_id",),
            choose=_one_per_endpoint,
        )
        for row in WebhookDelivery.objects.filter(pk__in=ids).select_related("endpoint"):
            if stop():
                outbox.release(row)
                continue
            request = sending.signed_request(
                url=row.endpoint.url,
                body=row.payload.encode(),
                secret=row.endpoint.secret,
                message_id=row.message_id,
                at=timezone.now(),
            )
            # Still ours, and still to go (erasure cancels rows): checked just before.
            if outbox.renew(row):
                future = self.pool.submit(sending.post, request, timeout=self.timeout)
                self.in_flight[future] = row
        return len(ids)

    def settle_done(self, *, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for a request to end, then settle every one
        that has; return how many."""
        if not self.in_flight:
            return 0
        done, _ = wait(self.in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in done:
            settle(self.in_flight.pop(future), _answer(future))
        return len(done)

    def finish(self) -> None:
        """Let the requests in flight end, and settle them."""
        while self.in_flight:
            self.settle_done(timeout=self.timeout)
        self.pool.shutdown()

    @property
    def busy(self) -> bool:
        return bool(self.in_flight)


def _answer(future: Future) -> Answer:
    try:
        return future.result()
    except Exception as error:
        # Nobody foresaw this one: its traceback is what a maintainer needs.
        logger.exception("A webhook request failed unexpectedly")
        return Answer(delivered=False, retry=True, summary=type(error).__name__)


def _one_per_endpoint(candidates: list[tuple]) -> list[int]:
    chosen, endpoints = [], set()
    for pk, endpoint_id in candidates:
        if endpoint_id not in endpoints:
            endpoints.add(endpoint_id)
            chosen.append(pk)
    return chosen


@transaction.atomic
def settle(row: WebhookDelivery, answer: Answer) -> None:
    """Record what came of a try. A settled message keeps no payload."""
    if answer.delivered:
        if outbox.mark_sent(row, payload=""):
            endpoint = WebhookEndpoint.objects.filter(pk=row.endpoint_id)
            endpoint.exclude(failing_since=None).update(failing_since=None, last_failure="")
        return
    logger.warning(
        "Webhook %s to endpoint %s not delivered: %s", row.pk, row.endpoint_id, answer.summary
    )
    if not (answer.retry and outbox.retry_later(row, answer.summary, window=RETRY_WINDOW)):
        outbox.mark_failed(row, answer.summary, payload="")
    _endpoint_failed(row.endpoint_id, answer.summary)


def _endpoint_failed(endpoint_id: int, summary: str) -> None:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id)
    endpoint.filter(failing_since=None).update(failing_since=timezone.now())
    endpoint.update(last_failure=summary[:200])
    _disable_if_failing_too_long(endpoint_id)


def disable_failing_endpoints() -> int:
    """Disable each endpoint whose every try has failed for ``DISABLE_AFTER`` without
    waiting for its next try, which back-off may put hours away (run by the worker's
    housekeeping). Returns how many were disabled."""
    failing = WebhookEndpoint.objects.filter(
        disabled_at=None, failing_since__lte=timezone.now() - DISABLE_AFTER
    )
    return sum(_disable_if_failing_too_long(pk) for pk in failing.values_list("pk", flat=True))


@transaction.atomic
def _disable_if_failing_too_long(endpoint_id: int) -> bool:
    """Disable the endpoint if it has failed for ``DISABLE_AFTER`` and is not disabled
    yet: hold its waiting messages and tell staff, once."""
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id)
    failing_too_long = endpoint.filter(disabled_at=None, failing_since__lte=now - DISABLE_AFTER)
    if not failing_too_long.update(disabled_at=now):
        return False
    WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.HELD
    )
    _tell_staff(endpoint.get())
    return True


def _tell_staff(endpoint: WebhookEndpoint) -> None:
    """Email every active staff member who manages webhooks (superusers included)."""
    staff = (
        get_user_model()
        .objects.with_perm(
            "api.change_webhookendpoint", backend="django.contrib.auth.backends.ModelBackend"
        )
        .filter(is_staff=True)
        .exclude(email="")
    )
    url = settings.SITE_URL + reverse("admin:api_webhookendpoint_change", args=[endpoint.pk])
    for address in sorted(set(staff.values_list("email", flat=True))):
        queue_email(
            to=address,
            template="webhook_disabled",
            context={"endpoint": endpoint, "admin_url": url},
        )


@transaction.atomic
def enable(endpoints: WebhookEndpointQuerySet) -> int:
    """Enable disabled endpoints again: what they held goes now."""
    disabled = list(endpoints.exclude(disabled_at=None).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(endpoint_id__in=disabled, status=OutboxStatus.HELD).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now()
    )
    return WebhookEndpoint.objects.filter(pk__in=disabled).update(
        disabled_at=None, failing_since=None, last_failure=""
    )
