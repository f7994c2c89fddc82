"""Durable outbox rows and the way workers take and settle them.

A row is claimed with a short conditional UPDATE (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so that workers pass each other by), found still ours just before it is sent
(``still_claimed``), sent with no transaction open, then settled with another conditional
UPDATE that only applies while the row is still ours. A worker that dies mid-send leaves
a lease that expires; the row is then due again.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.compiled import Compiled, compile_once, fetch, statement_cursor
from urgentaction.lib.encryption import EncryptedTextField

logger = logging.getLogger(__name__)

# Temporary failures are retried for this long after the first attempt.
RETRY_WINDOW = timedelta(days=5)
LONGEST_WAIT = timedelta(hours=4)


class OutboxStatus(models.TextChoices):
    HELD = "held", _("Held")
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> "OutboxQuerySet":
        """Rows a worker may claim: pending and due, or stuck past their lease."""
        now = now or timezone.now()
        pending = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        abandoned = Q(status=OutboxStatus.SENDING, leased_until__lt=now)
        return self.filter(pending | abandoned)


class OutboxRow(models.Model):
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    leased_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    # Mail servers quote addresses in their replies: encrypted like the rest.
    last_error = EncryptedTextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    first_attempt_at = models.DateTimeField(_("first tried"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def new_message_id(from_address: str) -> str:
        domain = from_address.rpartition("@")[2] or "localhost"
        return f"<{uuid.uuid4().hex}@{domain}>"


def claim_due(
    queryset: OutboxQuerySet,
    *,
    limit: int,
    fields: tuple[str, ...] = (),
    choose: Callable[[list[tuple]], list[int]] | None = None,
) -> list[int]:
    """Claim up to ``limit`` due rows of ``queryset`` for this worker; return their ids.

    ``choose``, if given, picks which of the due rows to take: it is handed up to four
    times ``limit`` candidates as (pk, *fields) tuples, oldest due first."""
    now = timezone.now()
    due = queryset.due(now).order_by("next_attempt_at")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        if choose is None:
            ids = list(due.values_list("pk", flat=True)[:limit])
        else:
            ids = choose(list(due.values_list("pk", *fields)[: limit * 4]))[:limit]
        if ids:
            queryset.model.objects.filter(pk__in=ids).due(now).update(
                status=OutboxStatus.SENDING,
                leased_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
                attempts=F("attempts") + 1,
            )
    return ids


def claim_one(queryset: OutboxQuerySet, pk: int) -> bool:
    """Claim one row by id, if it is due and nobody else has it."""
    now = timezone.now()
    claimed = (
        queryset.due(now)
        .filter(pk=pk)
        .update(
            status=OutboxStatus.SENDING,
            leased_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


@dataclass(frozen=True)
class SendError:
    permanent: bool
    # For staff: the server's reply or the error, which may quote personal data.
    detail: str
    # For logs: a reply code or an error class, never personal data.
    summary: str


class Withdrawn(Exception):
    """What the row would send is gone (its writer erased their data, or its case ended):
    it is cancelled, never sent."""


def classify(error: Exception) -> SendError:
    """Whether a failed send is worth retrying. Only a mail server's 5xx reply about the
    message or its recipient, or a message that cannot be made from what it holds (a
    ValueError: a header with a line break, an address that is none), is final.
    Everything else (4xx replies, timeouts, dropped connections, and errors nobody
    foresaw, such as a database briefly locked while a message is built) is retried with
    back-off until the retry window closes."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        code = error.smtp_code
        # Our own mail server refusing us (wrong password, sender not allowed) says
        # nothing about the letter or its recipient: keep the letter and retry.
        ours = isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError)
        return SendError(500 <= code < 600 and not ours, f"{code} {text}", f"SMTP {code}")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return SendError(
            500 <= code < 600, f"{code} {text.decode(errors='replace')}", f"SMTP {code}"
        )
    name = type(error).__name__
    return SendError(isinstance(error, ValueError), f"{name}: {error}", name)


def never() -> bool:
    return False


def still_claimed(row: OutboxRow) -> bool:
    """Whether this worker's claim on ``row`` still stands, asked just before it is sent:
    False if another worker took the row over after our lease ran out, or erasure or a
    case's outcome cancelled it while we held it. While at least half the lease is left
    (a batch takes a fraction of it) that is one read, which commits nothing; a lease
    half gone (a slow batch) is renewed instead, so that no row is sent with too little
    of its lease left for the send."""
    if lease_half_gone(row):
        return renew(row)
    return bool(fetch(_claimed_sql(type(row)), claim_values(row)))


def lease_half_gone(row: OutboxRow) -> bool:
    return row.leased_until - timezone.now() < timedelta(
        seconds=settings.DELIVERY_LEASE_SECONDS / 2
    )


# Stand for a claimed row's id and lease in SQL compiled once (lib/compiled.py).
ROW, LEASE = -1, datetime(2000, 1, 1, tzinfo=UTC)


def claimed(queryset: OutboxQuerySet) -> OutboxQuerySet:
    """The row of ``queryset`` with id ``ROW`` while it is still claimed with lease
    ``LEASE``: for SQL compiled once, run with ``claim_values``."""
    return queryset.filter(pk=ROW, status=OutboxStatus.SENDING, leased_until=LEASE)


def claim_values(row: OutboxRow) -> dict[object, object]:
    """What ``ROW`` and ``LEASE`` stand for, as the database takes them, for ``row``."""
    lease = type(row)._meta.get_field("leased_until")
    return {
        ROW: row.pk,
        lease.get_db_prep_value(LEASE, connection): lease.get_db_prep_value(
            row.leased_until, connection
        ),
    }


@cache
def _claimed_sql(model: type[OutboxRow]) -> Compiled:
    return compile_once(lambda: claimed(model.objects.all()).values("pk"))


def send(
    row: OutboxRow,
    *,
    build: Callable[[OutboxRow], EmailMessage],
    connection: BaseEmailBackend,
    on_failure: Callable[[OutboxRow, str], object],
    on_sent: Callable[[OutboxRow], object] = lambda row: None,
    still_ours: Callable[[OutboxRow], bool] = still_claimed,
) -> None:
    """Build one claimed row's message, then send it and settle the row. A temporary
    failure goes back for a retry; a permanent one, or one past the retry window, goes
    to ``on_failure``. ``on_sent`` runs in the transaction that records the success.

    Between building and sending, ``still_ours`` (by default ``still_claimed``) finds the
    row still ours and still due to go: a row another worker took over after
    our lease ran out, or one that erasure cancelled while we held it, is never sent."""
    try:
        message = build(row)
    except Withdrawn:
        cancel(row)
        return
    except Exception as error:
        _failed(row, error, on_failure)
        return
    if not still_ours(row):
        return
    try:
        _keep_open(connection)
        message.connection = connection
        message.send()
    except Exception as error:
        connection.close()
        _failed(row, error, on_failure)
        return
    with transaction.atomic():
        if mark_sent(row):
            on_sent(row)


def _failed(
    row: OutboxRow, error: Exception, on_failure: Callable[[OutboxRow, str], object]
) -> None:
    failure = classify(error)
    if isinstance(error, smtplib.SMTPException | OSError | ValueError):
        logger.warning("%s %s not sent: %s", type(row).__name__, row.pk, failure.summary)
    else:
        # Nobody foresaw this one: its traceback is what a maintainer needs.
        logger.exception("%s %s not sent: %s", type(row).__name__, row.pk, failure.summary)
    if failure.permanent or not retry_later(row, failure.detail):
        on_failure(row, failure.detail)


def _keep_open(connection: BaseEmailBackend) -> None:
    """Open the connection once for the whole batch. (Left closed, Django's SMTP backend
    would connect, greet and quit for every single message.) A failure here is met again
    by the send that follows, which classifies it."""
    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        connection.close()


def renew(row: OutboxRow) -> bool:
    """Extend this worker's lease on a row; False if the row is no longer ours (another
    worker took it over, or erasure cancelled it)."""
    lease = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    ours = type(row).objects.filter(
        pk=row.pk, status=OutboxStatus.SENDING, leased_until=row.leased_until
    )
    if not ours.update(leased_until=lease):
        return False
    row.leased_until = lease
    return True


def release(row: OutboxRow, *, until: datetime | None = None) -> None:
    """Hand back a claimed row that was not tried (the worker is stopping, or the row
    must wait): it is due again at ``until``, and the claim does not count as a try."""
    type(row).objects.filter(
        pk=row.pk, status=OutboxStatus.SENDING, leased_until=row.leased_until
    ).update(
        status=OutboxStatus.PENDING,
        leased_until=None,
        next_attempt_at=until or timezone.now(),
        attempts=F("attempts") - 1,
    )


def cancel(row: OutboxRow) -> bool:
    """Cancel a claimed row that must never go."""
    return _settle(row, status=OutboxStatus.CANCELLED)


def mark_sent(row: OutboxRow, **extra: object) -> bool:
    return _settle(row, status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **extra)


def mark_failed(row: OutboxRow, detail: str, **extra: object) -> bool:
    return _settle(row, status=OutboxStatus.FAILED, last_error=detail[:2000], **extra)


def retry_later(row: OutboxRow, detail: str, *, window: timedelta = RETRY_WINDOW) -> bool:
    """Put a row back for another try with exponential back-off. False, changing
    nothing, once the retry ``window`` has passed: the caller then fails the row."""
    delay = min(timedelta(minutes=2 ** max(row.attempts - 1, 0)), LONGEST_WAIT)
    next_attempt = timezone.now() + delay
    # The window runs from the first attempt (this one, if none came before): a letter
    # that waited days for confirmation or its turn still gets its five days.
    if next_attempt > (row.first_attempt_at or timezone.now()) + window:
        return False
    _settle(
        row, status=OutboxStatus.PENDING, next_attempt_at=next_attempt, last_error=detail[:2000]
    )
    return True


def _settle(row: OutboxRow, **fields: object) -> bool:
    """Record an outcome, and the first attempt if this was it, only if the row is still
    claimed (a lease that ran out may have let another worker take it)."""
    meta = type(row)._meta
    values = [
        meta.get_field(name).get_db_prep_save(value, connection) for name, value in fields.items()
    ]
    lease = meta.get_field("leased_until").get_db_prep_value(row.leased_until, connection)
    now = meta.get_field("first_attempt_at").get_db_prep_save(timezone.now(), connection)
    with statement_cursor() as cursor:
        cursor.execute(
            _settle_sql(type(row), tuple(fields)),
            [*values, now, row.pk, OutboxStatus.SENDING.value, lease],
        )
        return cursor.rowcount == 1


@cache
def _settle_sql(model: type[OutboxRow], names: tuple[str, ...]) -> str:
    """The UPDATE that ``_settle`` runs for ``names``, written once per model and fields:
    every letter and email runs one, and the ORM took longer to build it than the
    database to run it."""
    meta, quote = model._meta, connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    sets = ", ".join(f"{column(name)} = %s" for name in names)
    lease, first = column("leased_until"), column("first_attempt_at")
    return (
        f"UPDATE {quote(meta.db_table)} SET {sets}, {lease} = NULL, "  # noqa: S608
        f"{first} = COALESCE({first}, %s) "
        f"WHERE {quote(meta.pk.column)} = %s AND {column('status')} = %s AND {lease} = %s"
    )


def first_attempt() -> Coalesce:
    """For an update that settles a row: the first attempt's time, now if none came before."""
    return Coalesce("first_attempt_at", Value(timezone.now()))
