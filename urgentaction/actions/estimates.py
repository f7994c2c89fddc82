"""When a supporter's letter should go, for those queued behind their target's pace, so
that the page after sending can say so rather than leave them wondering."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Target

# Sooner than this needs no time: the page says "within the next few minutes".
WORTH_SAYING = timedelta(minutes=2)


@dataclass(frozen=True)
class Expected:
    target: Target
    at: datetime

    def when(self) -> str:
        """ "at about 14:32", or on another day "at about 09:00 on 5 March", in the site's
        time zone."""
        local = timezone.localtime(self.at)
        time = date_format(local, "TIME_FORMAT")
        if local.date() == timezone.localdate():
            return _("at about %(time)s") % {"time": time}
        day = date_format(local, "MONTH_DAY_FORMAT")
        return _("at about %(time)s on %(day)s") % {"time": time, "day": day}


def expected_departures(action: Action) -> list[Expected]:
    """For each of ``action``'s letters that waits behind its target's pace or sending
    hours, when it should go: its place in the target's queue (letters written before
    it go first), spread at the target's pace from the next free slot."""
    now = timezone.now()
    single = Q(target__mode=Target.Mode.EACH) | Q(action__campaign__test_mode=True)
    waiting = (
        action.deliveries.filter(single, status=Delivery.Status.PENDING, digest=None)
        .select_related("target")
        .order_by("pk")
    )
    expected = []
    for delivery in waiting:
        target = delivery.target
        place = Delivery.objects.filter(
            target=target, status=Delivery.Status.PENDING, digest=None, pk__lte=delivery.pk
        ).count()
        at = target.expected_send(place, now=now)
        if at - now >= WORTH_SAYING:
            expected.append(Expected(target=target, at=at))
    return expected
