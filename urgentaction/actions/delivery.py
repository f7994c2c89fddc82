"""Sending letters from the outbox.

A worker claims a delivery with one conditional UPDATE, talks to the mail server with
no transaction open, then records the outcome with another conditional UPDATE. A
worker that dies mid-send leaves a lease that expires, so the letter is tried again:
delivery is at-least-once, and the stable Message-ID lets a repeat be recognised.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from urgentaction.actions.models import Delivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BATCH_SIZE = 50


class PermanentFailure(Exception):
    """The mail server refused the letter for good (a 5xx reply)."""


def build_message(delivery: Delivery) -> EmailMessage:
    action = delivery.action
    sender = formataddr(
        (f"{action.sender_name} via {settings.ORG_NAME}", settings.LETTERS_FROM_EMAIL)
    )
    return EmailMessage(
        subject=action.subject,
        body=action.signed_body(),
        from_email=sender,
        to=[formataddr((delivery.target.display_name, delivery.target.email))],
        reply_to=[formataddr((action.sender_name, action.email))],
        headers={"Message-ID": delivery.message_id},
    )


def claim(delivery_id: int) -> bool:
    """Take a due delivery for this worker; False if another worker has it or it is not due."""
    now = timezone.now()
    claimed = (
        Delivery.objects.due(now)
        .filter(pk=delivery_id)
        .update(
            status=Delivery.Status.SENDING,
            leased_until=now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def deliver_due(*, limit: int = BATCH_SIZE) -> int:
    """Send up to ``limit`` due letters over one SMTP connection; return how many were tried."""
    candidates = list(
        Delivery.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    tried = 0
    connection = get_connection()
    try:
        for delivery_id in candidates:
            if claim(delivery_id):
                tried += 1
                _send(delivery_id, connection)
    finally:
        connection.close()
    return tried


def _send(delivery_id: int, connection) -> None:
    delivery = Delivery.objects.select_related("action", "target").get(pk=delivery_id)
    try:
        message = build_message(delivery)
        message.connection = connection
        message.send()
    except smtplib.SMTPResponseException as error:
        connection.close()
        detail = f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
        if 500 <= error.smtp_code < 600:
            _record_failure(delivery, detail)
        else:
            _record_retry(delivery, detail)
    except smtplib.SMTPRecipientsRefused as error:
        connection.close()
        code, text = next(iter(error.recipients.values()))
        detail = f"{code} {text.decode(errors='replace')}"
        if 500 <= code < 600:
            _record_failure(delivery, detail)
        else:
            _record_retry(delivery, detail)
    except (smtplib.SMTPException, OSError) as error:
        connection.close()
        _record_retry(delivery, f"{type(error).__name__}: {error}")
    except Exception as error:
        # A letter that cannot even be built will not build on a retry either; record it
        # and carry on, so that one bad row never stops the others.
        logger.exception("Delivery %s could not be sent", delivery_id)
        _record_failure(delivery, f"{type(error).__name__}: {error}")
    else:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), leased_until=None, last_error=""
        )


def _record_failure(delivery: Delivery, detail: str) -> None:
    logger.warning("Delivery %s failed: %s", delivery.pk, detail)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.FAILED, leased_until=None, last_error=detail[:2000]
    )


def _record_retry(delivery: Delivery, detail: str) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        _record_failure(delivery, detail)
        return
    delay = timedelta(minutes=2 ** (delivery.attempts - 1))
    logger.info("Delivery %s will be retried in %s: %s", delivery.pk, delay, detail)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now() + delay,
        leased_until=None,
        last_error=detail[:2000],
    )
