"""Who held each office when. A target is an office ("Foreign Secretary") whose holder
staff change when a new one takes it; the worker notices within a minute, closes the
old holder's tenure and opens the new one's, so that the responsiveness page counts
letters and replies for the person who held the office when the letter went."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from urgentaction.campaigns.models import Target
from urgentaction.cases.models import Tenure


def record_tenures() -> int:
    """Open a tenure for each target whose holder has none open (a new target, or a new
    holder), closing the one before; return how many were opened."""
    current = Tenure.objects.filter(target=OuterRef("pk"), until=None, holder=OuterRef("holder"))
    opened = 0
    for target in Target.objects.exclude(Exists(current)).only("pk", "holder"):
        opened += _open(target, timezone.now())
    return opened


def _open(target: Target, now: datetime) -> bool:
    try:
        with transaction.atomic():
            closed = Tenure.objects.filter(target=target, until=None).update(until=now)
            # A target's first tenure reaches back to its first letter.
            Tenure.objects.create(
                target=target, holder=target.holder, since=now if closed else None
            )
    except IntegrityError:
        # Another worker opened it at the same moment.
        return False
    return True


def tenure_at(target: Target, moment: datetime) -> Tenure:
    """The tenure ``moment`` falls in. A target's tenures cover all time, from its first
    one (which the worker opens within a minute of the target being made, or this does)."""
    tenures = Tenure.objects.filter(target=target)
    if not tenures.exists():
        _open(target, timezone.now())
    return tenures.covering(moment).get()
