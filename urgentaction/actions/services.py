import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, When
from django.utils import timezone

from urgentaction.actions.confirmation import (
    prepare_confirmation,
    request_confirmation,
    update_supporter_details,
)
from urgentaction.actions.models import Action, ActionQuerySet, Delivery, Review
from urgentaction.actions.review import count_letter
from urgentaction.actions.screening import content_reasons
from urgentaction.actions.similarity import review_reasons
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.emails import queue_email
from urgentaction.supporters.consent import record_consent, request_signup_confirmation
from urgentaction.supporters.models import Consent, ConsentText, Supporter

REPEAT_NOTICE_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class Screening:
    """What the checks of a new letter found: whether it must wait for its writer to
    confirm it whatever the campaign and the browser, and why to hold it for review."""

    must_confirm: bool = False
    held_reasons: tuple[str, ...] = ()


class Refused(Exception):
    """A check turned the letter away (its form says why); nothing was written."""


@dataclass(frozen=True)
class Outcome:
    action: Action
    # False when the supporter had already written on this campaign (or this very form
    # was submitted before): no new letter was made.
    created: bool


def take_action(
    *,
    campaign: Campaign,
    form_token: uuid.UUID,
    channel: str,
    subject: str,
    body: str,
    first_name: str,
    last_name: str,
    email: str,
    address_line1: str,
    address_line2: str,
    town: str,
    postcode: str,
    country: str,
    wants_updates: bool,
    consent_text: ConsentText | None,
    page_url: str = "",
    source: str = "",
    referrer: str = "",
    confirmed_addresses: frozenset[str] = frozenset(),
    screen: Callable[[], Screening] = Screening,
) -> Outcome:
    """Record a supporter's letter, with a delivery per target when we send it, in one
    transaction. A letter sent in the supporter's name waits for them to confirm their
    address, unless the campaign does not ask for it or this browser has confirmed the
    address before (``confirmed_addresses``: keyed hashes it proved).

    ``screen`` runs in the same transaction unless the same form was sent before: it may
    raise Refused (nothing is written), or say the letter must be confirmed or held."""
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "address_line1": address_line1,
        "address_line2": address_line2,
        "town": town,
        "postcode": postcode,
        "country": country,
    }
    hashed = email_hash(email)
    # What can be known or made without writing is done before the transaction, which on
    # SQLite holds the database's one write lock: the checks that only read, and the
    # confirmation email's words, when the campaign and the browser already say it will
    # be needed (a letter that needs it only for want of a proof of work renders it later).
    targets = list(campaign.targets.all())
    fingerprint, similar = review_reasons(campaign, body, targets)
    blocked = content_reasons(email=email, subject=subject, body=body)
    now = timezone.now()
    draft = Action(
        campaign=campaign, channel=channel, subject=subject, body=body, created_at=now, **details
    )
    expected = channel == Channel.EMAIL and _confirms_by_default(
        campaign, hashed, confirmed_addresses
    )
    confirmation = prepare_confirmation(draft, targets=targets) if expected else None
    try:
        with transaction.atomic():
            resubmitted = _resubmitted(form_token, hashed)
            if resubmitted is not None:
                # This very form sent again (a double click): its random token shows it
                # came from the browser that wrote the letter.
                return Outcome(resubmitted, created=False)
            # Whether this address wrote on this campaign before shows in the answer
            # only once the submission passed the proof of work and the limits, so that
            # nobody can ask it for free.
            screening = screen()
            earlier = _earlier_action(campaign, form_token, hashed)
            if earlier is not None:
                return Outcome(earlier, created=False)
            if Action.objects.filter(form_token=form_token).exists():
                # The token came with someone else's address: a copied or replayed form.
                form_token = uuid.uuid4()
            # An existing supporter's details change only once they confirm this letter:
            # knowing an address must not be enough to rewrite its owner's details.
            supporter, _ = Supporter.objects.get_or_create(
                email_hash=hashed,
                defaults={
                    "email": email,
                    **{field: details[field] for field in Supporter.DETAIL_FIELDS},
                },
            )
            needs_confirmation = channel == Channel.EMAIL and (
                screening.must_confirm
                or _confirms_by_default(campaign, hashed, confirmed_addresses)
            )
            # Everything that holds a letter is known before anything is written, so the
            # rows are written once, as they will stay.
            reasons = [
                *screening.held_reasons,
                *blocked,
                *(similar if channel == Channel.EMAIL else []),
            ]
            action = Action.objects.create(
                campaign=campaign,
                supporter=supporter,
                form_token=form_token,
                channel=channel,
                subject=subject,
                body=body,
                wants_updates=wants_updates and consent_text is not None,
                source=source,
                referrer=referrer,
                created_at=now,
                confirmed_at=None if needs_confirmation else now,
                review=Review.HELD if reasons else Review.NONE,
                held_reasons=reasons,
                fingerprint=fingerprint,
                **details,
            )
            if channel == Channel.EMAIL:
                waits = needs_confirmation or reasons
                Delivery.objects.bulk_create(
                    Delivery(
                        action=action,
                        target=target,
                        status=Delivery.Status.HELD if waits else Delivery.Status.PENDING,
                        message_id=Delivery.new_message_id(settings.LETTERS_FROM_EMAIL),
                    )
                    for target in targets
                )
            if hashed in confirmed_addresses:
                update_supporter_details(action)
            if action.wants_updates:
                _consent_with_letter(action, consent_text, page_url, hashed in confirmed_addresses)
            if needs_confirmation:
                (confirmation or prepare_confirmation(action, targets=targets)).store(action)
            elif reasons and channel == Channel.EMAIL:
                # A held letter is still acknowledged, so a real person knows we have it.
                queue_email(
                    to=email,
                    template="letter_received",
                    context={"action": action, "campaign": campaign},
                    action=action,
                )
            elif channel == Channel.EMAIL:
                count_letter(action.pk)
            return Outcome(action, created=True)
    except IntegrityError:
        # Two submits raced each other (a double click, or one supporter in two tabs):
        # the other one won.
        earlier = _earlier_action(campaign, form_token, hashed)
        if earlier is None:
            raise
        return Outcome(earlier, created=False)


def _confirms_by_default(
    campaign: Campaign, hashed: str, confirmed_addresses: frozenset[str]
) -> bool:
    """Whether a letter by email waits for its writer, proof of work or not: unless the
    campaign does not ask, or this browser has proved the address before."""
    return campaign.requires_confirmation and hashed not in confirmed_addresses


def _consent_with_letter(
    action: Action, text: ConsentText, page_url: str, address_proven: bool
) -> None:
    """The box on the letter form: confirmed with the letter, or at once where this
    browser has proved the address; otherwise by its own email (double opt-in)."""
    consent = record_consent(
        supporter=action.supporter,
        text=text,
        method=Consent.Method.ACTION_FORM,
        campaign=action.campaign,
        page_url=page_url,
        confirmed=address_proven,
    )
    Action.objects.filter(pk=action.pk).update(consent=consent)
    action.consent = consent
    letter_confirms_it = action.awaiting_confirmation
    if not address_proven and not letter_confirms_it:
        request_signup_confirmation(consent)


def earlier_actions(campaign: Campaign, form_token: uuid.UUID, hashed: str) -> ActionQuerySet:
    """The letters a submission may repeat, the one to use first: the same form sent
    again, or the same person on the same campaign."""
    theirs = Action.objects.filter(supporter__email_hash=hashed)
    return theirs.filter(
        Q(form_token=form_token) | Q(campaign=campaign) & ActionQuerySet.CURRENT
    ).order_by(Case(When(form_token=form_token, then=0), default=1), "pk")


def _resubmitted(form_token: uuid.UUID, hashed: str) -> Action | None:
    """The letter this very form made, if it was sent before with the same address."""
    same_form = Action.objects.filter(form_token=form_token, supporter__email_hash=hashed)
    return same_form.select_related("campaign").first()


def _earlier_action(campaign: Campaign, form_token: uuid.UUID, hashed: str) -> Action | None:
    """The letter this submission repeats, if any."""
    return earlier_actions(campaign, form_token, hashed).select_related("campaign").first()


@transaction.atomic
def tell_of_repeat(action: Action) -> None:
    """Someone wrote again with this address: tell its owner (at most once a day), rather
    than the browser, which has not shown it knows more than the address."""
    now = timezone.now()
    recent = now - REPEAT_NOTICE_INTERVAL
    claimed = Action.objects.filter(pk=action.pk).exclude(repeat_notified_at__gt=recent)
    if not claimed.update(repeat_notified_at=now):
        return
    if action.awaiting_confirmation:
        # Their first letter still waits for them: send the link again.
        request_confirmation(action, template="confirm_reminder")
        return
    queue_email(
        to=action.email,
        template="letter_repeat",
        context={
            "action": action,
            "campaign": action.campaign,
            "targets": list(action.campaign.targets.all()),
        },
        action=action,
    )


@transaction.atomic
def report_sent(action: Action) -> bool:
    """The supporter says they sent or posted their letter themselves: count it, once."""
    if action.channel == Channel.EMAIL:
        return False
    reported = Action.objects.filter(pk=action.pk, reported_sent_at=None).update(
        reported_sent_at=timezone.now()
    )
    count_letter(action.pk)
    return bool(reported)
