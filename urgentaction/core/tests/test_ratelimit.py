"""core/ratelimit.py: a sliding window, in the database and (when the run has one) Redis."""

import os

import pytest
import time_machine
from django.db import connection

from urgentaction.core.models import RateCounter
from urgentaction.core.ratelimit import current, forget_old_counts, hit
from urgentaction.core.tests.plans import explain

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


def test_counting_looks_up_each_previous_window_by_its_key(settings):
    """The counters' statement runs with every letter, beside a counter for each network
    and address seen in the last two days: it must not read them all."""
    settings.REDIS_URL = ""
    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        hits(1, at=WINDOW_START)
    [(sql, params)] = [s for s in statements if "INSERT" in s[0]]

    text = explain(sql, params)

    if connection.vendor == "sqlite":
        scans = [line for line in text.splitlines() if "SCAN" in line]
        assert all("earlier" in line or "CONSTANT ROWS" in line for line in scans), text
        assert "SEARCH core_ratecounter USING INDEX" in text, text
    else:
        assert "Seq Scan on core_ratecounter" not in text, text
