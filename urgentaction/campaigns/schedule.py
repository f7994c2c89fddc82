"""Publishing and closing campaigns at the times staff chose (run by the worker)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.models.references import give_reference


def publish_and_close_due() -> tuple[int, int]:
    """Publish drafts whose time has come (those with a letter and a target, and for a
    follow-up a case already published, as the publishing page asks: a campaign nobody
    can write from, or a follow-up of nothing public, stays a draft) and close live
    campaigns whose time has come. The time is cleared once used, so that a campaign
    staff later reopen, or put back to draft, is not closed or published again by it.
    Returns how many of each."""
    now = timezone.now()
    ready = Campaign.objects.filter(
        Q(letter__isnull=False) & Q(targets__isnull=False),
        Q(follow_up_of=None) | Q(follow_up_of__reference_number__isnull=False),
        status=Campaign.Status.DRAFT,
        publish_at__lte=now,
    )
    published = 0
    # One at a time, in the order they were due: each takes the next reference number.
    due = Campaign.objects.filter(pk__in=ready.values("pk")).order_by("publish_at", "pk")
    for pk in due.values_list("pk", flat=True):
        published += _publish(pk, now)
    closed = Campaign.objects.filter(status=Campaign.Status.LIVE, close_at__lte=now).update(
        status=Campaign.Status.CLOSED, close_at=None, updated_at=now
    )
    return published, closed


@transaction.atomic
def _publish(pk: int, now: datetime) -> int:
    due = Campaign.objects.filter(pk=pk, status=Campaign.Status.DRAFT, publish_at__lte=now)
    if not due.update(
        status=Campaign.Status.LIVE,
        published_at=Coalesce("published_at", Value(now)),
        publish_at=None,
        # A new version of the page, so that no cache keeps the old one.
        updated_at=now,
    ):
        return 0  # staff changed it, or another worker published it, meanwhile
    give_reference(Campaign.objects.select_for_update().get(pk=pk))
    return 1
