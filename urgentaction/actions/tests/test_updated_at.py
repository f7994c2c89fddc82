"""A letter's ``updated_at`` moves at every change, so that a CRM syncing with ``?since=``
sees letters confirmed, reviewed, expired or erased after they were taken."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model

from urgentaction.actions.confirmation import confirm, expire_unconfirmed, request_confirmation
from urgentaction.actions.models import Action, Review
from urgentaction.actions.review import approve, reject
from urgentaction.actions.services import report_sent
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.conftest import confirm_path
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter

pytestmark = pytest.mark.django_db

TAKEN = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
LATER = TAKEN + timedelta(hours=2)


def take(**fields) -> Action:
    with time_machine.travel(TAKEN, tick=False):
        return ActionFactory(created_at=TAKEN, **fields)


def changed_at(action: Action) -> datetime:
    return Action.objects.values_list("updated_at", flat=True).get(pk=action.pk)


def test_it_is_the_time_a_letter_was_taken():
    assert changed_at(take()) == TAKEN


def test_confirming_a_letter_moves_it():
    action = take(confirmed_at=None)
    with time_machine.travel(TAKEN, tick=False):
        request_confirmation(action)
        token = confirm_path(OutboundEmail.objects.get()).split("/")[2]

    with time_machine.travel(LATER, tick=False):
        assert confirm(token) is not None

    assert changed_at(action) == LATER


@pytest.mark.parametrize("decide", [approve, reject])
def test_reviewing_a_letter_moves_it(decide):
    action = take(review=Review.HELD, held_reasons=["honeypot"])
    staff = get_user_model().objects.create_user("reviewer", is_staff=True)

    with time_machine.travel(LATER, tick=False):
        assert decide(action, by=staff)

    assert changed_at(action) == LATER


def test_a_letter_expiring_unconfirmed_moves_it():
    action = take(confirmed_at=None)
    expired = TAKEN + timedelta(days=8)

    with time_machine.travel(expired, tick=False):
        assert expire_unconfirmed() == 1

    assert changed_at(action) == expired


def test_a_supporter_saying_they_sent_it_moves_it():
    action = take(channel="post", confirmed_at=None)

    with time_machine.travel(LATER, tick=False):
        assert report_sent(action)

    assert changed_at(action) == LATER


def test_erasing_its_writer_moves_it():
    action = take()

    with time_machine.travel(LATER, tick=False):
        erase_supporter(action.supporter)

    assert changed_at(action) == LATER


def test_saving_only_some_fields_moves_it_too():
    action = take()

    with time_machine.travel(LATER, tick=False):
        action.initials_only = True
        action.save(update_fields=["initials_only"])

    assert changed_at(action) == LATER
