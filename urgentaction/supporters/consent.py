"""Consent to updates: given with double opt-in, withdrawn in one click, kept as records."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from urgentaction.core.events import Event, emit
from urgentaction.lib.hashing import hash_token
from urgentaction.supporters.models import AccessLink, Consent, ConsentText, Supporter, Suppression


def new_link(
    *, purpose: str, supporter: Supporter, days: float, consent: Consent | None = None
) -> str:
    """Store a single-use link's hash; return the token for the email."""
    token = secrets.token_urlsafe(24)
    AccessLink.objects.create(
        purpose=purpose,
        token_hash=hash_token(token),
        supporter=supporter,
        consent=consent,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token


def find_link(token: str, purpose: str) -> AccessLink | None:
    """The unexpired link for ``token``; None for unknown, used or expired ones alike."""
    return (
        AccessLink.objects.select_related("supporter", "consent")
        .filter(token_hash=hash_token(token), purpose=purpose, expires_at__gt=timezone.now())
        .first()
    )


def use_link(token: str, purpose: str) -> AccessLink | None:
    """Like ``find_link``, and the link is used up."""
    link = find_link(token, purpose)
    if link is None or not AccessLink.objects.filter(pk=link.pk).delete()[0]:
        return None
    return link


def record_consent(
    *,
    supporter: Supporter,
    text: ConsentText,
    method: str,
    campaign=None,
    page_url: str = "",
    confirmed: bool = False,
    language: str = settings.LANGUAGE_CODE,
) -> Consent:
    consent = Consent.objects.create(
        language=language,
        supporter=supporter,
        email_hash=supporter.email_hash,
        text=text,
        method=method,
        campaign=campaign,
        page_url=page_url[:500],
        confirmed_at=timezone.now() if confirmed else None,
    )
    if confirmed:
        Suppression.objects.filter(email_hash=supporter.email_hash).delete()
        emit(Event.SIGNUP_CONFIRMED, consent=consent)
    return consent


@transaction.atomic
def confirm_signup(token: str) -> Consent | None:
    link = use_link(token, AccessLink.Purpose.CONFIRM_SIGNUP)
    if link is None or link.consent is None:
        return None
    confirm_consent(link.consent)
    return link.consent


def confirm_consent(consent: Consent) -> None:
    now = timezone.now()
    confirmed = Consent.objects.filter(pk=consent.pk, confirmed_at=None, withdrawn_at=None)
    if confirmed.update(confirmed_at=now):
        consent.confirmed_at = now
        emit(Event.SIGNUP_CONFIRMED, consent=consent)
    Suppression.objects.filter(email_hash=consent.email_hash).delete()


@transaction.atomic
def withdraw(supporter: Supporter, *, how: str) -> int:
    """Stop all updates to this person: every consent, confirmed or waiting, ends now."""
    ended = Consent.objects.filter(supporter=supporter, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_how=how
    )
    if ended:
        emit(Event.PERSON_UNSUBSCRIBED, supporter=supporter, how=how)
    return ended
