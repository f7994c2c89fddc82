import re

import pytest
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Review, State
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.privacy.rights import erase_supporter
from urgentaction.staff.tests.conftest import campaigner_client, superuser_client  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = reverse("admin:actions_action_changelist")
now = timezone.now


def state(action: Action) -> str:
    return str(Action.objects.with_deliveries().get(pk=action.pk).state)


def with_copies(*statuses: str, **fields) -> Action:
    action = ActionFactory(**fields)
    for status in statuses:
        DeliveryFactory(action=action, status=status)
    return action


# A letter in each state: its fields, the statuses of its copies, the word the list shows.
EACH_STATE = [
    ({"confirmed_at": None}, ["held"], "waiting for confirmation"),
    ({"review": Review.HELD}, ["held"], "held for review"),
    ({}, ["pending"], "queued"),
    ({}, ["sending"], "queued"),
    ({}, ["sent", "sent"], "sent"),
    ({}, ["sent", "failed"], "failed"),
    ({}, ["cancelled"], "cancelled"),
    ({"review": Review.REJECTED}, ["cancelled"], "rejected"),
    ({"confirmed_at": None, "expired_at": now()}, ["cancelled"], "expired"),
    ({"channel": "post", "confirmed_at": None}, [], "waiting for confirmation"),
    ({"channel": "mail_app", "reported_sent_at": now()}, [], "sent"),
    ({"review": Review.APPROVED}, ["pending"], "queued"),
    ({"review": Review.HELD, "expired_at": now()}, ["cancelled"], "expired"),
]


@pytest.mark.parametrize(("fields", "copies", "expected"), EACH_STATE)
def test_each_letter_has_one_plain_state(fields, copies, expected):
    assert state(with_copies(*copies, **fields)) == expected


def test_the_state_filter_finds_exactly_the_letters_the_list_shows_in_that_state():
    letters = [with_copies(*copies, **fields) for fields, copies, _word in EACH_STATE]
    shown = {letter.pk: state(letter) for letter in letters}

    for code, word in State.choices:
        found = set(
            Action.objects.with_deliveries().in_state(State(code)).values_list("pk", flat=True)
        )
        assert found == {pk for pk, shown_word in shown.items() if shown_word == word}, word
        assert found, f"no letter {word} to test"


def test_staff_filter_the_list_by_state(campaigner_client):  # noqa: F811
    with_copies("pending", first_name="Queued")
    with_copies("sent", first_name="Gone")

    html = campaigner_client.get(LIST, {"state": "queued"}).content.decode()
    everything = campaigner_client.get(LIST).content.decode()

    row = html[html.index("<tbody>") :]
    assert "Queued" in row and "Gone" not in row
    assert 'href="?state=waiting"' in everything
    assert "waiting for confirmation</a>" in everything and "held for review</a>" in everything


def test_the_held_state_shows_why_as_the_review_filter_does(campaigner_client):  # noqa: F811
    ActionFactory(review=Review.HELD, held_reasons=["form sent too fast"])

    html = campaigner_client.get(LIST, {"state": "held"}).content.decode()

    assert "form sent too fast" in html and "Letters held for review" in html


def test_the_list_shows_campaign_writer_channel_state_and_date(campaigner_client):  # noqa: F811
    campaign = CampaignFactory(title="Stop the deportation of the Kim family to a country")
    with_copies("sent", campaign=campaign, first_name="Ada", last_name="Lovelace")

    html = campaigner_client.get(LIST).content.decode()

    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert headers == ["on_campaign", "written_by", "how", "state", "written"]
    row = html[html.index("<tbody>") :]
    assert "Stop the deportation of the Kim family …" in row
    assert "Ada Lovelace" in row and "by email" in row
    assert '<td class="field-state">sent</td>' in row


def test_held_letters_show_why(campaigner_client):  # noqa: F811
    ActionFactory(review=Review.HELD, held_reasons=["form sent too fast"])

    held = campaigner_client.get(LIST, {"review__exact": "held"}).content.decode()
    everything = campaigner_client.get(LIST).content.decode()

    assert "form sent too fast" in held
    assert "column-reasons" in held and "column-reasons" not in everything


def test_an_erased_writer_is_shown_as_erased(campaigner_client):  # noqa: F811
    erase_supporter(ActionFactory().supporter)

    assert "(erased)" in campaigner_client.get(LIST).content.decode()


def test_the_list_costs_the_same_few_queries_for_many_letters(
    superuser_client,  # noqa: F811
    django_assert_max_num_queries,
):
    for _ in range(30):
        with_copies("sent", Delivery.Status.PENDING)

    with django_assert_max_num_queries(14):
        superuser_client.get(LIST)
