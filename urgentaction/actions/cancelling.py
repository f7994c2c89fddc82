"""Cancelling a case's letters not yet delivered, when staff record its outcome.

A letter waiting for its writer to confirm it expires (its text is deleted, as it would
have been a week later); one held for review leaves the queue unreviewed; every copy not
yet gone, to a target or a copy target, queued, waiting its turn at the target's pace,
or held by a worker this very moment, is cancelled. A worker checks, in the statement
that renews its claim just before it sends, that the row is still its own to send, so a
cancelled letter never goes. Letters already counted stay counted (their writers did
write); none cancelled is ever counted as delivered, or counted at all if it was not yet.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from urgentaction.actions.confirmation import expire
from urgentaction.actions.models import WAITING, Action, Delivery, Digest, Review
from urgentaction.campaigns.models import Campaign, Channel, Target
from urgentaction.lib.outbox import OutboxStatus


@dataclass(frozen=True)
class Undelivered:
    """A case's letters not yet delivered, by why they wait: what staff are shown before
    they confirm, and what was cancelled after."""

    awaiting_confirmation: int
    held_for_review: int
    queued: int
    # The emails to targets and copy targets those letters make.
    emails: int

    @property
    def letters(self) -> int:
        return self.awaiting_confirmation + self.held_for_review + self.queued


def _awaiting(campaigns: Iterable[Campaign]) -> QuerySet[Action]:
    return Action.objects.awaiting_confirmation().filter(campaign__in=campaigns)


def _held(campaigns: Iterable[Campaign]) -> QuerySet[Action]:
    """Held for review, and not among those still waiting for their writers."""
    return (
        Action.objects.held()
        .filter(campaign__in=campaigns)
        .exclude(channel=Channel.EMAIL, confirmed_at=None)
    )


def _deliveries(campaigns: Iterable[Campaign]) -> QuerySet[Delivery]:
    return Delivery.objects.filter(action__campaign__in=campaigns, status__in=WAITING)


def undelivered(*, campaigns: Iterable[Campaign]) -> Undelivered:
    """How many letters of ``campaigns`` have not gone yet, and why. Changes nothing."""
    campaigns = list(campaigns)
    waiting = _deliveries(campaigns).filter(action=OuterRef("pk"))
    queued = Action.objects.filter(
        Exists(waiting),
        campaign__in=campaigns,
        confirmed_at__isnull=False,
        review__in=[Review.NONE, Review.APPROVED],
    )
    return Undelivered(
        awaiting_confirmation=_awaiting(campaigns).count(),
        held_for_review=_held(campaigns).count(),
        queued=queued.count(),
        emails=_deliveries(campaigns).count(),
    )


@transaction.atomic
def cancel_undelivered(*, campaigns: Iterable[Campaign]) -> Undelivered:
    """Cancel every letter of ``campaigns`` not yet delivered; return what was cancelled."""
    campaigns = list(campaigns)
    now = timezone.now()
    cancelled = undelivered(campaigns=campaigns)
    for action_id in _awaiting(campaigns).values_list("pk", flat=True):
        expire(action_id, now=now)
    Action.objects.held().filter(campaign__in=campaigns).update(
        review=Review.CLOSED, reviewed_at=now
    )
    deliveries = _deliveries(campaigns)
    _set_aside_digests(deliveries, campaigns=campaigns, now=now)
    deliveries.update(status=OutboxStatus.CANCELLED, leased_until=None)
    return cancelled


def _set_aside_digests(deliveries: QuerySet[Delivery], *, campaigns: list[Campaign], now) -> None:
    """A daily digest not yet sent that gathered any of ``deliveries`` is cancelled (a
    worker holding it finds it no longer its own), and its other letters wait for the
    next digest, made at once."""
    digests = list(
        Digest.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING],
            pk__in=deliveries.exclude(digest=None).values("digest_id"),
        ).values_list("pk", "target_id")
    )
    if not digests:
        return
    ids = [pk for pk, _target in digests]
    Digest.objects.filter(pk__in=ids).update(status=OutboxStatus.CANCELLED, leased_until=None)
    Delivery.objects.filter(digest_id__in=ids, status=OutboxStatus.PENDING).exclude(
        action__campaign__in=campaigns
    ).update(digest=None)
    Target.objects.filter(pk__in={target for _pk, target in digests}).update(next_digest_at=now)
