"""Where a letter is, in one plain word for the staff's list of letters: the same rules
read from a loaded letter (Action.state) and asked of the database (a filter on the list),
so that the filter finds exactly the letters the list shows in that state."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Channel


class Review(models.TextChoices):
    NONE = "", _("Not held")
    HELD = "held", _("Held for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # Still held when staff recorded the case's outcome: it was cancelled unreviewed.
    CLOSED = "closed", _("Not reviewed: the case ended")


class State(models.TextChoices):
    WAITING = "waiting", _("waiting for confirmation")
    HELD = "held", _("held for review")
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")


def state_of(action) -> State:
    """``action``'s state; it needs ``with_deliveries()``'s annotations."""
    if action.review == Review.REJECTED:
        return State.REJECTED
    if action.expired_at:
        return State.EXPIRED
    if action.review == Review.CLOSED:
        return State.CANCELLED
    if action.review == Review.HELD:
        return State.HELD
    if action.channel != Channel.EMAIL:
        return State.SENT if action.reported_sent_at else State.WAITING
    if action.confirmed_at is None:
        return State.WAITING
    if action.copies_failed:
        return State.FAILED
    if action.copies_waiting:
        return State.QUEUED
    if action.copies_cancelled and not action.copies_sent:
        return State.CANCELLED
    # Sent, or sent so long ago that its copies were pruned (privacy/retention.py).
    return State.SENT


# The same, as conditions on the rows with ``with_deliveries()``'s annotations.
_GOING = Q(expired_at=None) & ~Q(review__in=[Review.HELD, Review.REJECTED, Review.CLOSED])
_ON_THEIR_OWN = _GOING & ~Q(channel=Channel.EMAIL)
_CONFIRMED = _GOING & Q(channel=Channel.EMAIL) & ~Q(confirmed_at=None)
STATE_ROWS = {
    State.REJECTED: Q(review=Review.REJECTED),
    State.EXPIRED: ~Q(expired_at=None) & ~Q(review=Review.REJECTED),
    State.HELD: Q(review=Review.HELD, expired_at=None),
    State.WAITING: (_ON_THEIR_OWN & Q(reported_sent_at=None))
    | (_GOING & Q(channel=Channel.EMAIL, confirmed_at=None)),
    State.FAILED: _CONFIRMED & Q(copies_failed=True),
    State.QUEUED: _CONFIRMED & Q(copies_failed=False, copies_waiting=True),
    State.SENT: (_ON_THEIR_OWN & ~Q(reported_sent_at=None))
    | (
        _CONFIRMED
        & Q(copies_failed=False, copies_waiting=False)
        & (Q(copies_sent=True) | Q(copies_cancelled=False))
    ),
    State.CANCELLED: Q(review=Review.CLOSED, expired_at=None)
    | (
        _CONFIRMED
        & Q(copies_failed=False, copies_waiting=False, copies_sent=False, copies_cancelled=True)
    ),
}
