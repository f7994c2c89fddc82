"""core/ratelimit.py: a sliding window, in the database and (when the run has one) Redis."""

import os

import pytest
import time_machine

from urgentaction.core.models import RateCounter
from urgentaction.core.ratelimit import current, forget_old_counts, hit

pytestmark = pytest.mark.django_db

HOUR = 3600
# The start of some hour, as the clock's windows count them.
WINDOW_START = 500_000 * HOUR


@pytest.fixture(
    params=sorted({"", os.environ.get("REDIS_URL", "")}),
    ids=lambda url: "redis" if url else "database",
)
def backend(request, settings):
    settings.REDIS_URL = request.param


def hits(count: int, *, at: float, limit: int = 10) -> int:
    """How many of ``count`` hits at ``at`` are let through."""
    with time_machine.travel(at, tick=False):
        return sum(hit("key", limit=limit, window_seconds=HOUR) for _ in range(count))


def test_it_lets_no_more_than_the_limit_through_across_a_window_boundary(backend):
    assert hits(10, at=WINDOW_START - 1) == 10

    assert hits(10, at=WINDOW_START + 1) == 0


def test_it_weighs_the_previous_window_by_the_part_still_in_the_last_hour(backend):
    hits(10, at=WINDOW_START - 1)

    # A quarter of the previous hour still counts: 2.5 hits.
    assert hits(10, at=WINDOW_START + 0.75 * HOUR) == 7
    with time_machine.travel(WINDOW_START + 0.75 * HOUR, tick=False):
        assert current("key", window_seconds=HOUR) == 2.5 + 10
    assert hits(10, at=WINDOW_START + 2 * HOUR) == 10


def test_a_counter_is_kept_while_the_next_window_weighs_it_then_forgotten(settings):
    settings.REDIS_URL = ""
    hits(1, at=WINDOW_START)

    with time_machine.travel(WINDOW_START + 1.5 * HOUR, tick=False):
        assert forget_old_counts() == 0
    with time_machine.travel(WINDOW_START + 2 * HOUR + 1, tick=False):
        assert forget_old_counts() == 1
    assert not RateCounter.objects.exists()
