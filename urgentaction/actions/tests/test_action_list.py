import re

import pytest
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Review
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


@pytest.mark.parametrize(
    ("fields", "copies", "expected"),
    [
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
    ],
)
def test_each_letter_has_one_plain_state(fields, copies, expected):
    assert state(with_copies(*copies, **fields)) == expected


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
