"""Who held each office when: the worker opens a tenure for each new holder."""

from datetime import UTC, datetime

import pytest
import time_machine

from urgentaction.campaigns.tests.factories import TargetFactory
from urgentaction.cases.models import Tenure
from urgentaction.cases.tenures import record_tenures, tenure_at

pytestmark = pytest.mark.django_db

JAN = datetime(2027, 1, 10, tzinfo=UTC)
FEB = datetime(2027, 2, 1, tzinfo=UTC)


def test_a_targets_first_tenure_reaches_back_to_its_first_letter():
    target = TargetFactory(holder="Jane Minister")

    assert record_tenures() == 1
    assert record_tenures() == 0

    tenure = Tenure.objects.get()
    assert (tenure.target, tenure.holder, tenure.since, tenure.until) == (
        target,
        "Jane Minister",
        None,
        None,
    )


def test_a_new_holder_closes_the_tenure_before_and_opens_their_own():
    target = TargetFactory(holder="Jane Minister")
    record_tenures()
    target.holder = "Sam Successor"
    target.save()

    with time_machine.travel(FEB, tick=False):
        assert record_tenures() == 1

    before, now = Tenure.objects.order_by("pk")
    assert (before.holder, before.since, before.until) == ("Jane Minister", None, FEB)
    assert (now.holder, now.since, now.until) == ("Sam Successor", FEB, None)
    assert tenure_at(target, JAN) == before
    assert tenure_at(target, FEB) == now


def test_an_office_left_empty_has_a_tenure_without_a_holder():
    target = TargetFactory(holder="Jane Minister")
    record_tenures()
    target.holder = ""
    target.save()

    record_tenures()

    assert Tenure.objects.get(until=None).holder == ""


def test_a_letter_can_be_placed_before_the_worker_has_seen_its_target():
    target = TargetFactory(holder="Jane Minister")

    tenure = tenure_at(target, JAN)

    assert (tenure.holder, tenure.since) == ("Jane Minister", None)
    assert record_tenures() == 0
