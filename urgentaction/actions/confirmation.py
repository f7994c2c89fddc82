"""Confirming a supporter's address before a letter goes out in their name.

The link in the email carries a random token (192 bits) of which only a hash is kept.
Opening it (GET or HEAD, as mail scanners do) changes nothing; a button POSTs. Once the
letter is confirmed every link for it stops working, and an unknown, used or expired
token gets the same answer. A browser that confirmed an address gets a signed, long-lived
cookie naming it (by keyed hash), so its next letter needs no new confirmation; knowing
someone's address is never enough.

The request only stores the email's row, pointing at the letter, in the letter's own
transaction; the worker makes the link and renders the email just before it sends it
(``render_confirmation``). So the token is never stored, not even encrypted: a token kept
encrypted on the row until sent, or one derived from a stored nonce with HASH_KEY, would
let whoever holds a copy of the database and that key open the letter's link (a backup
taken while the email waits, a key that leaks later), and HASH_KEY, unlike
ENCRYPTION_KEYS, cannot be rotated without losing every keyed hash. What this costs:
each try to send makes a new link. One made for a try that failed was never sent, so
nobody knows its token; a try that reached the mail server but was not recorded (a
worker killed just then) sends the email again, with a second link that works as well
as the first. All of a letter's links go when it is confirmed, expires or is erased.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action, ConfirmationLink, Delivery, Review
from urgentaction.actions.review import count_letter
from urgentaction.core.events import Event, emit
from urgentaction.lib.hashing import hash_token
from urgentaction.lib.outbox import OutboxStatus, Withdrawn
from urgentaction.mailings.emails import in_language, render_email, store_email
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.consent import confirm_consent
from urgentaction.supporters.models import Supporter

COOKIE_NAME = "ua_confirmed"
COOKIE_SALT = "urgentaction.actions.confirmed-addresses"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365
REMEMBERED_ADDRESSES = 5


# The emails that carry a link to confirm a letter, rendered when sent.
CONFIRMATION_EMAILS = ("confirm_letter", "confirm_reminder")


def request_confirmation(action: Action, *, template: str = "confirm_letter") -> None:
    """Queue the email that carries a new link for ``action``; call inside the
    transaction that stores or reminds it. The worker makes the link when it sends it."""
    store_email(to=action.email, template=template, action=action)


def render_confirmation(email: OutboundEmail) -> tuple[str, str, str]:
    """The words of a confirmation email, with a new link, made just before it is sent,
    in the language its letter was written in."""
    action = (
        Action.objects.awaiting_confirmation()
        .select_related("campaign")
        .filter(pk=email.action_id)
        .first()
    )
    if action is None:
        # Confirmed, expired or erased while the email waited: no link would work.
        raise Withdrawn
    token = secrets.token_urlsafe(24)
    ConfirmationLink.objects.create(action=action, token_hash=hash_token(token))
    with in_language(action.language):
        url = settings.SITE_URL + reverse("actions:confirm", kwargs={"token": token})
    context = {
        "action": action,
        "campaign": action.campaign,
        "targets": list(action.campaign.targets.all()),
        "copy_targets": list(action.campaign.copy_targets.all()),
        "confirm_url": url,
        "expires": action.created_at + timedelta(days=settings.CONFIRMATION_EXPIRY_DAYS),
    }
    return render_email(email.kind, context, language=action.language)


def _awaiting(token: str, now: datetime) -> QuerySet[Action]:
    """The letter that ``token`` confirms: none if the token is unknown, used or expired."""
    links = ConfirmationLink.objects.filter(token_hash=hash_token(token)).values("action_id")
    in_time = now - timedelta(days=settings.CONFIRMATION_EXPIRY_DAYS)
    return Action.objects.awaiting_confirmation().filter(pk__in=links, created_at__gt=in_time)


def letter_to_confirm(token: str) -> Action | None:
    """The letter ``token`` would send, to show its writer before the button. Changes
    nothing (mail scanners open links)."""
    return _awaiting(token, timezone.now()).select_related("campaign").first()


@transaction.atomic
def confirm(token: str) -> Action | None:
    """Release the letter that ``token`` confirms; None if the token is unknown, used or
    expired (all three look the same to the caller)."""
    now = timezone.now()
    letter = _awaiting(token, now)
    action_id = letter.values_list("pk", flat=True).first()
    if action_id is None or not letter.filter(pk=action_id).update(confirmed_at=now):
        return None
    action = Action.objects.select_related("campaign", "consent").get(pk=action_id)
    if action.review != Review.HELD:
        Delivery.objects.filter(action=action, status=Delivery.Status.HELD).update(
            status=Delivery.Status.PENDING, next_attempt_at=now
        )
    count_letter(action.pk)
    update_supporter_details(action)
    emit(Event.ACTION_CONFIRMED, action=action)
    if action.consent_id:
        # They ticked the box for updates: confirming the letter confirms the address.
        confirm_consent(action.consent)
    ConfirmationLink.objects.filter(action=action).delete()
    return action


def update_supporter_details(action: Action) -> None:
    """Keep the supporter's latest details, once they have proved the address is theirs."""
    Supporter.objects.filter(pk=action.supporter_id).update(
        **{field: getattr(action, field) for field in Supporter.DETAIL_FIELDS}
    )


def remembered_addresses(request: HttpRequest) -> list[str]:
    """Keyed hashes of the addresses this browser has confirmed."""
    value = request.get_signed_cookie(
        COOKIE_NAME, default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return [item for item in value.split(",") if item]


def remember_address(request: HttpRequest, response: HttpResponse, email_hash: str) -> None:
    known = [email_hash, *(h for h in remembered_addresses(request) if h != email_hash)]
    response.set_signed_cookie(
        COOKIE_NAME,
        ",".join(known[:REMEMBERED_ADDRESSES]),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )


def send_reminders() -> int:
    """One reminder, a day after an unconfirmed letter was written."""
    now = timezone.now()
    due = Action.objects.awaiting_confirmation().filter(
        reminded_at=None,
        created_at__lte=now - timedelta(hours=settings.CONFIRMATION_REMINDER_HOURS),
        created_at__gt=now - timedelta(days=settings.CONFIRMATION_EXPIRY_DAYS),
    )
    sent = 0
    for action_id in due.values_list("pk", flat=True)[:200]:
        with transaction.atomic():
            if Action.objects.filter(pk=action_id, reminded_at=None).update(reminded_at=now):
                action = Action.objects.select_related("campaign").get(pk=action_id)
                request_confirmation(action, template="confirm_reminder")
                sent += 1
    return sent


def expire_unconfirmed() -> int:
    """Unconfirmed letters older than the expiry are cancelled and their text deleted."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.CONFIRMATION_EXPIRY_DAYS)
    stale = Action.objects.awaiting_confirmation().filter(created_at__lte=cutoff)
    return sum(expire(action_id, now=now) for action_id in stale.values_list("pk", flat=True)[:500])


@transaction.atomic
def expire(action_id: int, *, now: datetime) -> bool:
    """A letter still waiting for its writer to confirm it never goes: it is cancelled,
    its links stop working and its text is deleted. False if it no longer waits."""
    # Whoever wrote it never proved the address was theirs: keep nothing of it.
    forgotten = dict.fromkeys(Action.PERSONAL_FIELDS, "")
    if not (
        Action.objects.awaiting_confirmation()
        .filter(pk=action_id)
        .update(expired_at=now, **forgotten)
    ):
        return False
    Delivery.objects.filter(action_id=action_id, status=Delivery.Status.HELD).update(
        status=Delivery.Status.CANCELLED
    )
    ConfirmationLink.objects.filter(action_id=action_id).delete()
    emails = OutboundEmail.objects.filter(action_id=action_id)
    emails.filter(status=OutboxStatus.PENDING).update(status=OutboxStatus.CANCELLED)
    emails.update(text="", html="")
    return True
