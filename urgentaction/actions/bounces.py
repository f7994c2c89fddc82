"""Bounces that come back after a letter was accepted.

Each letter is sent from its own return address, ``bounces+<token>@domain`` (VERP), so a
bounce names the letter without our having to trust anything inside it. A mail server
pipes bounces to ``manage.py process_bounce``; a provider reports them to Anymail's
tracking webhook. Either way the letter is marked failed, the supporter is told, and
the target's address counts a failure.
"""

import email.policy
import re
from email.message import EmailMessage
from email.parser import HeaderParser

from anymail.signals import AnymailTrackingEvent, EventType
from django.conf import settings

from urgentaction.actions.delivery import record_final_failure
from urgentaction.actions.models import Delivery
from urgentaction.campaigns.models import Target

BOUNCE_EVENTS = {EventType.BOUNCED, EventType.REJECTED, EventType.FAILED}
# RFC 3464, and RFC 6533 for internationalised addresses.
DSN_TYPES = {"message/delivery-status", "message/global-delivery-status"}


def token_from_address(address: str) -> str | None:
    local, _, domain = settings.BOUNCE_ADDRESS.partition("@")
    pattern = rf"{re.escape(local)}\+([0-9a-f]{{32}})@{re.escape(domain)}"
    match = re.fullmatch(pattern, address.strip().strip("<>"), re.IGNORECASE)
    return match.group(1).lower() if match else None


def permanent_failure(message: EmailMessage) -> str | None:
    """The reason given by a delivery status notification (RFC 3464) that reports a
    permanent failure; None for delays, auto-replies and anything else."""
    for part in message.walk():
        if part.get_content_type() not in DSN_TYPES:
            continue
        for fields in _field_blocks(part):
            status = str(fields.get("Status", "")).strip()
            action = str(fields.get("Action", "")).strip().lower()
            if status.startswith("5") or action == "failed":
                diagnostic = " ".join(str(fields.get("Diagnostic-Code", "")).split())
                return f"Bounced: {status} {diagnostic}".strip()
    return None


def _field_blocks(part: EmailMessage) -> list:
    """The blocks of fields in a delivery report. Python splits message/delivery-status
    into blocks itself; other report types arrive as one message whose body holds the
    remaining blocks as text."""
    parser = HeaderParser(policy=email.policy.default)
    blocks = []
    for block in part.get_payload():
        blocks.append(block)
        body = block.get_payload()
        if isinstance(body, str) and body.strip():
            blocks += [parser.parsestr(text) for text in re.split(r"\n\s*\n", body) if text.strip()]
    return blocks


def record_bounce(*, token: str, detail: str) -> Delivery | None:
    """Fail the letter a bounce is about; None if there is no such sent letter."""
    delivery = (
        Delivery.objects.filter(bounce_token=token, status=Delivery.Status.SENT)
        .select_related("action__campaign", "target")
        .first()
    )
    if delivery is None:
        return None
    record_final_failure(delivery, detail, was=Delivery.Status.SENT)
    return delivery


def on_tracking_event(sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """Anymail tracking webhook: act on bounces and complaints about letters."""
    token = (event.metadata or {}).get("bounce_token")
    if not token:
        return
    if event.event_type in BOUNCE_EVENTS:
        reason = event.description or event.mta_response or event.reject_reason or ""
        record_bounce(token=token, detail=f"{esp_name}: {event.event_type} {reason}".strip())
    elif event.event_type == EventType.COMPLAINED:
        target_id = Delivery.objects.filter(bounce_token=token).values("target_id")
        Target.objects.filter(pk__in=target_id).update(
            last_failure=f"{esp_name}: the office marked a letter as spam"
        )
