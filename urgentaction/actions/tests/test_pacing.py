from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory

pytestmark = pytest.mark.django_db

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # a Monday, 08:00 in London


def letters_to(target, count: int) -> list[Delivery]:
    campaign = CampaignFactory(targets=[target])
    return [
        DeliveryFactory(action=ActionFactory(campaign=campaign), target=target)
        for _ in range(count)
    ]


def run_worker_every_minute(minutes: int) -> None:
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(minutes):
            deliver_due()
            clock.shift(timedelta(minutes=1))


def test_it_never_exceeds_the_cap_in_any_hour_and_sends_every_letter(smtp_server):
    target = TargetFactory(hourly_cap=4)
    letters_to(target, 10)

    run_worker_every_minute(3 * 60)

    sent = sorted(Delivery.objects.values_list("sent_at", flat=True))
    assert None not in sent and len(sent) == 10
    for start in sent:
        assert sum(start <= other < start + timedelta(hours=1) for other in sent) <= 4
    gaps = [later - earlier for earlier, later in pairwise(sent)]
    assert min(gaps) >= timedelta(minutes=15)  # spread evenly, not in a burst
    assert len(smtp_server.messages) == 10


def test_paced_targets_do_not_hold_each_other_up(smtp_server):
    slow, other = TargetFactory(hourly_cap=1), TargetFactory(hourly_cap=1)
    letters_to(slow, 3)
    letters_to(other, 1)

    run_worker_every_minute(1)

    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert Delivery.objects.get(target=other).status == Delivery.Status.SENT


def test_a_target_without_a_cap_takes_letters_as_fast_as_they_come(smtp_server):
    target = TargetFactory(hourly_cap=None)
    letters_to(target, 20)

    run_worker_every_minute(1)

    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 20


def test_letters_wait_for_the_targets_sending_hours(smtp_server):
    target = TargetFactory(
        hourly_cap=None,
        sending_from=time(9, 0),
        sending_until=time(17, 0),
        time_zone="Europe/London",
    )
    [delivery] = letters_to(target, 1)

    run_worker_every_minute(59)  # 08:00 to 08:59 in London
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 0

    run_worker_every_minute(62)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.sent_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_sending_hours_can_cross_midnight():
    target = TargetFactory(sending_from=time(22, 0), sending_until=time(6, 0), time_zone="UTC")

    inside = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    outside = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    assert target.next_opening(inside) == inside
    assert target.next_opening(outside) == datetime(2026, 3, 2, 22, 0, tzinfo=UTC)


def test_the_expected_finish_counts_only_sending_hours():
    target = TargetFactory(
        hourly_cap=30, sending_from=time(9, 0), sending_until=time(17, 0), time_zone="UTC"
    )
    monday_nine = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    # 600 letters at 30 an hour is 20 hours of sending: 8 on Monday, 8 on Tuesday, 4 on
    # Wednesday (the last letter goes two minutes before 13:00).
    finish = target.queue_finish(monday_nine, 600)

    assert finish == datetime(2027, 3, 3, 12, 58, tzinfo=UTC)


def finish_one_letter_at_a_time(target, start: datetime, letters: int) -> datetime:
    """The expected finish as the worker would reach it: letter by letter."""
    moment = target.next_opening(start)
    for _letter in range(letters - 1):
        moment = target.next_opening(moment + target.send_interval)
    return moment


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2027, 1, 4), max_value=datetime(2027, 2, 20), timezones=st.just(UTC)
    ),
    letters=st.integers(min_value=1, max_value=400),
    cap=st.integers(min_value=1, max_value=120),
    opens=st.integers(min_value=0, max_value=23),
    hours=st.integers(min_value=0, max_value=23),
    zone=st.sampled_from(["UTC", "Asia/Seoul", "Asia/Kolkata", "Asia/Kathmandu"]),
)
def test_the_expected_finish_is_where_sending_one_by_one_ends(
    start, letters, cap, opens, hours, zone
):
    """Worked out a day at a time, it agrees with the letter-by-letter walk, sending hours
    or none, across midnight or not, in zones an hour and a half-hour and a quarter-hour
    off UTC. (Zones whose clocks change are left out: across a change the walk adds hours
    of the wall clock, where the new reckoning counts real time.)"""
    target = Target(
        hourly_cap=cap,
        sending_from=time(opens) if hours else None,
        sending_until=time((opens + hours) % 24) if hours else None,
        time_zone=zone,
    )

    assert target.queue_finish(start, letters) == finish_one_letter_at_a_time(
        target, start, letters
    )


def test_the_expected_finish_of_a_million_letters_is_quick():
    target = Target(hourly_cap=30, sending_from=time(9), sending_until=time(17), time_zone="UTC")
    monday_nine = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    # 30 an hour for 8 hours: 240 a day, so the millionth goes on the 4,167th day.
    finish = target.queue_finish(monday_nine, 1_000_000)

    assert finish.date() == (monday_nine + timedelta(days=4166)).date()


def test_the_expected_finish_follows_a_change_of_the_clocks():
    target = Target(
        hourly_cap=30, sending_from=time(9), sending_until=time(17), time_zone="Europe/London"
    )
    saturday_four = datetime(2027, 3, 27, 16, 0, tzinfo=UTC)  # 16:00 in London (GMT)

    # 30 letters go by 17:00 on Saturday; the other 30 from 09:00 on Sunday, by then
    # summer time (08:00 UTC): the last at 09:58 in London.
    finish = target.queue_finish(saturday_four, 60)

    assert finish == datetime(2027, 3, 28, 8, 58, tzinfo=UTC)
