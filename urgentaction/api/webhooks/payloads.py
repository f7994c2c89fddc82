"""What each event's webhook says, and recording it: a row per listening endpoint, in the
transaction of the change that caused it (core/events.py).

Payloads follow Standard Webhooks' shape, ``{"type", "timestamp", "data"}``, and the
API's names (OSDI's, docs/api.md). Names, email and postal addresses and letters are in
them only for an endpoint with ``personal``."""

import copy
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery
from urgentaction.api.models import WEBHOOKS, WebhookDelivery, WebhookEndpoint
from urgentaction.api.present import identifier, outreach_data
from urgentaction.campaigns.models import Campaign
from urgentaction.core.events import Event
from urgentaction.core.kept import Kept
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.supporters.models import Consent, Supporter

UNSENT = [OutboxStatus.PENDING, OutboxStatus.HELD, OutboxStatus.SENDING]

# The endpoints told of events, kept behind their version (moved by every change to an
# endpoint or a key's revocation: api/models.py): a letter's submit reads the version
# with its own, so that it records its events without reading the endpoints.
LISTENING = Kept(
    WEBHOOKS, lambda: list(WebhookEndpoint.objects.listening().only("events", "personal"))
)


def person_identifier(pk: int) -> str:
    return f"urgentaction:person:{pk}"


def _campaign(campaign: Campaign) -> dict[str, object]:
    return {"identifiers": [identifier(campaign.pk)], "slug": campaign.slug}


def _person(supporter_id: int, *, email: str, personal: bool, **names: str) -> dict[str, object]:
    """A person by their identifier; their address (and any ``names``) when personal."""
    shown: dict[str, object] = {"identifiers": [person_identifier(supporter_id)]}
    if personal:
        shown |= {**names, "email_addresses": [{"address": email, "primary": True}]}
    return shown


def _action(*, action: Action, personal: bool) -> dict[str, object]:
    # outreach_data reads ``erased`` as the letter list annotates it.
    letter = copy.copy(action)
    letter.erased = not action.email
    outreach = outreach_data(letter, personal=personal)
    if "person" in outreach:
        outreach["person"] = {"identifiers": [person_identifier(action.supporter_id)]} | (
            outreach["person"]
        )
    return {"outreach": outreach, "campaign": _campaign(action.campaign)}


def _letter(*, delivery: Delivery, personal: bool, **extra: object) -> dict[str, object]:
    action, target = delivery.action, delivery.target
    shown = {
        "outreach": {"identifiers": [identifier(action.pk)]},
        "campaign": _campaign(action.campaign),
        "target": {
            "title": target.office,
            "name": target.holder,
            "organization": target.organisation,
        },
        **extra,
    }
    if personal and action.email:
        shown["person"] = _person(
            action.supporter_id,
            email=action.email,
            personal=True,
            given_name=action.first_name,
            family_name=action.last_name,
        )
    return shown


def _signup(*, consent: Consent, personal: bool) -> dict[str, object]:
    supporter = consent.supporter
    return {
        "person": _person(
            supporter.pk,
            email=supporter.email,
            personal=personal,
            given_name=supporter.first_name,
            family_name=supporter.last_name,
        ),
        "consent": {
            "method": consent.method,
            "wording_version": consent.text_id,
            "language": consent.language,
            "campaign": _campaign(consent.campaign) if consent.campaign_id else None,
            "given_date": consent.given_at,
            "confirmed_date": consent.confirmed_at,
        },
    }


def _unsubscribed(*, supporter: Supporter, how: str, personal: bool) -> dict[str, object]:
    return {"person": _person(supporter.pk, email=supporter.email, personal=personal), "how": how}


def _erased(*, supporter: Supporter, reason: str, personal: bool) -> dict[str, object]:
    return {
        "person": _person(supporter.pk, email=supporter.email, personal=personal),
        "reason": reason,
    }


DATA: dict[str, Callable[..., dict[str, object]]] = {
    Event.ACTION_CREATED: _action,
    Event.ACTION_CONFIRMED: _action,
    Event.LETTER_DELIVERED: _letter,
    Event.LETTER_FAILED: _letter,
    Event.SIGNUP_CONFIRMED: _signup,
    Event.PERSON_UNSUBSCRIBED: _unsubscribed,
    Event.PERSON_ERASED: _erased,
}


def _about_whom(event: str, about: dict[str, Any]) -> int | None:
    """The person a payload may name, so that erasing them can withdraw it. (The erasure
    event itself is about nobody any more.)"""
    if event == Event.PERSON_ERASED:
        return None
    if "action" in about:
        return about["action"].supporter_id
    if "delivery" in about:
        return about["delivery"].action.supporter_id
    if "consent" in about:
        return about["consent"].supporter_id
    return about["supporter"].pk


def record_event(event: str, about: dict[str, Any]) -> None:
    """The listener (core/events.py): a delivery row for each endpoint listening for
    ``event``, in the caller's transaction."""
    if event == Event.PERSON_ERASED:
        forget(supporter_id=about["supporter"].pk)
    endpoints = [e for e in LISTENING.get() if event in e.events]
    if not endpoints:
        return
    now = timezone.now()
    bodies = {
        personal: json.dumps(
            {"type": event, "timestamp": now, "data": DATA[event](personal=personal, **about)},
            cls=DjangoJSONEncoder,
        )
        for personal in {endpoint.personal for endpoint in endpoints}
    }
    supporter_id = _about_whom(event, about)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            payload=bodies[endpoint.personal],
            supporter_id=supporter_id,
            message_id=f"msg_{uuid.uuid4().hex}",
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )


def forget(*, supporter_id: int) -> None:
    """A person is being erased: what has not yet gone to endpoints with personal data
    never goes, and no payload that names them is kept. (Others' payloads name nobody.)"""
    theirs = WebhookDelivery.objects.filter(supporter_id=supporter_id)
    personal = theirs.filter(endpoint__personal=True)
    personal.filter(status__in=UNSENT).update(status=OutboxStatus.CANCELLED, leased_until=None)
    personal.update(payload="", last_error="")
    theirs.update(supporter=None)
