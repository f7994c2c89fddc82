"""Counting hits in a fixed window, atomically across processes and machines: in Redis
when REDIS_URL is set, in the database otherwise."""

import time
from datetime import timedelta
from functools import cache

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
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
    for _attempt in range(3):
        with transaction.atomic():
            counter = RateCounter.objects.filter(key=key, window=window)
            if counter.update(count=F("count") + 1):
                return counter.values_list("count", flat=True).get()
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        key=key,
                        window=window,
                        count=1,
                        expires_at=timezone.now() + timedelta(seconds=window_seconds),
                    )
                return 1
            except IntegrityError:
                continue  # another process created it first: count on it
    raise RuntimeError(f"Could not count a hit for {key}")


def forget_old_counts() -> int:
    """Database counters of windows that have ended (Redis expires its own)."""
    return RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()[0]
