"""Counting hits in a sliding window, atomically across processes and machines: in Redis
when REDIS_URL is set, in the database otherwise.

Each window of ``window_seconds`` has a counter, added to in one atomic statement. A hit is
judged by the hits of the last ``window_seconds``, estimated as this window's count plus
the previous window's weighted by how much of it still falls in that span (as Cloudflare
and nginx do): a fixed window would let twice the limit through across its boundary."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from urgentaction.core.models import RateCounter
from urgentaction.lib.compiled import statement_cursor


@dataclass(frozen=True)
class Hit:
    """One hit to count: on ``key``, judged over the last ``window_seconds``."""

    key: str
    window_seconds: int


@dataclass(frozen=True)
class Counted:
    """A key's hits in the last ``window_seconds``: ``before`` this one, ``after`` it."""

    before: float
    after: float

    def within(self, limit: int) -> bool:
        """Whether this hit kept the key within ``limit``."""
        return self.after <= limit


@dataclass(frozen=True)
class Use:
    """One use of something that may be used only once (a proof of work), on ``key``,
    remembered until ``expires_at``: counted in the database, in the transaction of what
    it lets through, so that a refusal rolls it back with the rest."""

    key: str
    expires_at: datetime


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; True while the last ``window_seconds`` have seen at most
    ``limit`` (this one included)."""
    return hits(Hit(key, window_seconds))[key].within(limit)


def hits(*counted: Hit, once: Use | None = None) -> dict[str, Counted]:
    """Count one hit for each key, at once (one statement on the database, one round trip
    to Redis); each key's count before and after it. The keys must differ. ``once``: a
    use of something that may be used once, counted in the same statement (in the
    database in any case: a second statement beside Redis), by its key too."""
    windows = {one.key: _window(one.window_seconds) for one in counted}
    rows = [(one.key, windows[one.key][0], _expiry(one)) for one in counted]
    uses = [] if once is None else [(once.key, 0, once.expires_at)]
    if settings.REDIS_URL:
        redis_rows = [(one.key, windows[one.key][0], one.window_seconds) for one in counted]
        found = _redis_hits(redis_rows) if redis_rows else {}
        if uses:
            found |= _database_hits(uses)
    else:
        found = _database_hits(rows + uses)
    result = {}
    for key, (count, previous) in found.items():
        carried = previous * (1 - windows[key][1]) if key in windows else 0
        result[key] = Counted(before=count - 1 + carried, after=count + carried)
    return result


def _expiry(one: Hit) -> datetime:
    """When a window's counter may go: kept through the next window, which weighs it."""
    window, _elapsed = _window(one.window_seconds)
    return datetime.fromtimestamp((window + 2) * one.window_seconds, tz=UTC)


def current(key: str, *, window_seconds: int) -> float:
    """About how many hits ``key`` has had in the last ``window_seconds``, without counting
    one."""
    window, elapsed = _window(window_seconds)
    read = _redis_counts if settings.REDIS_URL else _database_counts
    count, previous = read(key, window)
    return count + previous * (1 - elapsed)


def _window(window_seconds: int) -> tuple[int, float]:
    """The current window's number, and the share of it that has passed."""
    window, into = divmod(time.time(), window_seconds)
    return int(window), into / window_seconds


def seconds_left(*, window_seconds: int) -> int:
    """Seconds until the window ``hit`` counts in now ends: what a ``Retry-After`` says
    (by then the sliding count has lost at least the share of this window's hits)."""
    return window_seconds - int(time.time()) % window_seconds


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def _redis_name(key: str, window: int) -> str:
    return f"rate:{key}:{window}"


def _redis_hits(counted: list[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    """Each window's count, one added, and the previous window's, in one round trip."""
    pipeline = _redis().pipeline()
    for key, window, window_seconds in counted:
        name = _redis_name(key, window)
        pipeline.incr(name)
        # Kept through the next window, which weighs it.
        pipeline.expire(name, 2 * window_seconds + 60)
        pipeline.get(_redis_name(key, window - 1))
    replies = pipeline.execute()
    return {
        key: (replies[3 * i], int(replies[3 * i + 2] or 0))
        for i, (key, _window, _seconds) in enumerate(counted)
    }


def _redis_counts(key: str, window: int) -> tuple[int, int]:
    count, previous = _redis().mget(_redis_name(key, window), _redis_name(key, window - 1))
    return int(count or 0), int(previous or 0)


def _database_hits(counted: list[tuple[str, int, datetime]]) -> dict[str, tuple[int, int]]:
    """One statement, atomic on both databases: create each window's counter at 1, or add
    one to it (PostgreSQL and SQLite 3.35+ both take ``ON CONFLICT ... RETURNING``), and
    read the previous window's. The previous windows are read first, by their keys
    (``WITH``): SQLite reads the whole table for a subquery in ``RETURNING`` that looks a
    row up by the row returned, however it is indexed."""
    table, key_, window_, count, expires = _quoted("key", "window", "count", "expires_at")
    rows, values, earlier, earlier_values = [], [], [], []
    for key, window, expires_at in counted:
        rows.append("(%s, %s, 1, %s)")
        values += [key, window, connection.ops.adapt_datetimefield_value(expires_at)]
        earlier.append(f"({key_} = %s AND {window_} = %s)")
        earlier_values += [key, window - 1]
    with statement_cursor() as cursor:
        cursor.execute(
            f"WITH earlier ({key_}, {count}) AS (SELECT {key_}, {count} FROM {table} "  # noqa: S608
            f"WHERE {' OR '.join(earlier)}) "
            f"INSERT INTO {table} ({key_}, {window_}, {count}, {expires}) "
            f"VALUES {', '.join(rows)} ON CONFLICT ({key_}, {window_}) "
            f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {key_}, {count}, "
            f"(SELECT earlier.{count} FROM earlier WHERE earlier.{key_} = {table}.{key_})",
            earlier_values + values,
        )
        return {key: (added, previous or 0) for key, added, previous in cursor.fetchall()}


def _database_counts(key: str, window: int) -> tuple[int, int]:
    """This window's count and the previous one's, in SQL written here: the ORM took
    longer to build the statement than the database to run it."""
    table, key_, window_, count = _quoted("key", "window", "count")
    with statement_cursor() as cursor:
        cursor.execute(
            f"SELECT {window_}, {count} FROM {table} "  # noqa: S608
            f"WHERE {key_} = %s AND {window_} IN (%s, %s)",
            [key, window, window - 1],
        )
        counts = dict(cursor.fetchall())
    return counts.get(window, 0), counts.get(window - 1, 0)


def _quoted(*fields: str) -> list[str]:
    """The counters' table and the columns of ``fields``, quoted for SQL."""
    quote, meta = connection.ops.quote_name, RateCounter._meta
    return [quote(meta.db_table), *(quote(meta.get_field(name).column) for name in fields)]


def forget_old_counts() -> int:
    """Database counters of windows that no longer count (Redis expires its own), and
    uses remembered long enough."""
    return RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()[0]
