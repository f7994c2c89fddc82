"""Counting hits in a fixed window, atomically across processes and machines: in Redis
when REDIS_URL is set, in the database otherwise."""

import time
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from urgentaction.core.models import RateCounter


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; True while the window has seen at most ``limit``."""
    window = int(time.time()) // window_seconds
    if settings.REDIS_URL:
        return _redis_hit(f"rate:{key}:{window}", window_seconds) <= limit
    return _database_hit(key, window, window_seconds) <= limit


def current(key: str, *, window_seconds: int) -> int:
    """How many hits ``key`` has had in this window, without counting one."""
    window = int(time.time()) // window_seconds
    if settings.REDIS_URL:
        return int(_redis().get(f"rate:{key}:{window}") or 0)
    counter = RateCounter.objects.filter(key=key, window=window)
    return counter.values_list("count", flat=True).first() or 0


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def _redis_hit(name: str, window_seconds: int) -> int:
    pipeline = _redis().pipeline()
    pipeline.incr(name)
    pipeline.expire(name, window_seconds + 60)
    count, _ = pipeline.execute()
    return count


def _database_hit(key: str, window: int, window_seconds: int) -> int:
    """One statement, atomic on both databases: create the window's counter at 1, or add
    one to it (PostgreSQL and SQLite 3.35+ both take ``ON CONFLICT ... RETURNING``)."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key_, window_, count, expires = (
        connection.ops.quote_name(RateCounter._meta.get_field(name).column)
        for name in ("key", "window", "count", "expires_at")
    )
    expires_at = timezone.now() + timedelta(seconds=window_seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {window_}, {count}, {expires}) "  # noqa: S608
            f"VALUES (%s, %s, 1, %s) ON CONFLICT ({key_}, {window_}) "
            f"DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}",
            [key, window, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        return cursor.fetchone()[0]


def forget_old_counts() -> int:
    """Database counters of windows that have ended (Redis expires its own)."""
    return RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()[0]
