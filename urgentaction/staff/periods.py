"""Hours and days as staff read them: counters are kept per hour of UTC
(actions/tallies.py), and shown per day of the site's TIME_ZONE.

A zone whose offset from UTC is whole hours (Europe/London, winter or summer) splits
into days exactly; in one whose offset has half or quarter hours, the hour that straddles
midnight is counted on the day it starts."""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included (just ``last`` if it is earlier)."""
    first = min(first, last)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def last_days(count: int, *, today: date | None = None) -> list[date]:
    """The ``count`` days up to and including today, oldest first."""
    today = today or timezone.localdate()
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def per_day(rows: Iterable[dict], *, by: str | None = None) -> Counter:
    """Hourly totals (rows with ``hour`` and ``total``, and ``by`` if given) added up per
    local day: keys are days, or (value of ``by``, day) pairs."""
    days: Counter = Counter()
    for row in rows:
        day = local_day(row["hour"])
        days[(row[by], day) if by else day] += row["total"]
    return days
