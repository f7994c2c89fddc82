"""Letters held for review: nothing suspicious is dropped, and nothing held goes out or
counts until staff approve it."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from urgentaction.actions import tallies
from urgentaction.actions.counts import Stage
from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.mailings.emails import queue_email

READY = Q(channel=Channel.EMAIL, confirmed_at__isnull=False) | (
    ~Q(channel=Channel.EMAIL) & Q(reported_sent_at__isnull=False)
)


def count_letter(action_id: int) -> bool:
    """Count a letter in its campaign's total once it is real (confirmed, or sent by
    the supporter) and not held, rejected or cancelled unreviewed; exactly once."""
    counted = Action.objects.filter(
        READY, pk=action_id, counted_at=None, review__in=[Review.NONE, Review.APPROVED]
    ).update(counted_at=timezone.now())
    if counted:
        action = Action.objects.only("campaign_id", "channel", "source").get(pk=action_id)
        Campaign.objects.filter(pk=action.campaign_id).update(
            action_count=F("action_count") + 1, counted_at=timezone.now()
        )
        tallies.count(action, Stage.CONFIRMED)
    return bool(counted)


@transaction.atomic
def approve(action: Action, *, by) -> bool:
    approved = Action.objects.filter(pk=action.pk, review=Review.HELD).update(
        review=Review.APPROVED, reviewed_at=timezone.now(), reviewed_by=by
    )
    if approved:
        tallies.count(action, Stage.APPROVED)
    if approved and action.confirmed_at is not None:
        Delivery.objects.filter(action=action, status=Delivery.Status.HELD).update(
            status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
        )
    count_letter(action.pk)
    return bool(approved)


@transaction.atomic
def reject(action: Action, *, by) -> bool:
    rejected = Action.objects.filter(pk=action.pk, review=Review.HELD).update(
        review=Review.REJECTED, reviewed_at=timezone.now(), reviewed_by=by
    )
    if rejected:
        tallies.count(action, Stage.REJECTED)
        Delivery.objects.filter(
            action=action, status__in=[Delivery.Status.HELD, Delivery.Status.PENDING]
        ).update(status=Delivery.Status.CANCELLED)
    return bool(rejected)


def escalate_overdue() -> int:
    """Held letters nobody reviewed in MODERATION_ESCALATE_HOURS are escalated (marked,
    and MODERATION_EMAIL told), never dropped."""
    cutoff = timezone.now() - timedelta(hours=settings.MODERATION_ESCALATE_HOURS)
    overdue = Action.objects.held().filter(created_at__lt=cutoff, escalated_at=None)
    count = overdue.update(escalated_at=timezone.now())
    if count and settings.MODERATION_EMAIL:
        queue_email(
            to=settings.MODERATION_EMAIL,
            template="moderation_overdue",
            context={"count": count, "waiting": Action.objects.held().count()},
        )
    return count
