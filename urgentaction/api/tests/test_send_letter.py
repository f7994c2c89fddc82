import uuid

import pytest
from django.urls import reverse

from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/free-them/actions"


@pytest.fixture
def campaign():
    return CampaignFactory(slug="free-them")


def letter(**changes) -> dict:
    body = {
        "subject": "Please stop the deportation",
        "message": "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely",
        "person": {
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email_addresses": [{"address": "ada@people.example"}],
            "postal_addresses": [
                {
                    "address_lines": ["1 High Street"],
                    "locality": "Leeds",
                    "postal_code": "LS1 1AA",
                    "country": "United Kingdom",
                }
            ],
        },
    }
    body.update(changes)
    return body


def test_a_letter_is_taken_and_waits_for_its_writer_to_confirm_it(partner_with, campaign):
    partner = partner_with("write")

    response = partner.post(URL, letter(initials_only=True))

    assert response.status_code == 202
    assert response.json()["status"] == "awaiting_confirmation"
    assert "once its owner confirms it" in response.json()["detail"]
    action = Action.objects.get()
    assert (action.first_name, action.email, action.town) == ("Ada", "ada@people.example", "Leeds")
    assert (action.channel, action.initials_only, action.held_reasons) == ("email", True, [])
    # Source tags are kept in lower case, as the dashboards count them.
    assert action.source == f"api:{partner.key.name}".lower()
    assert action.confirmed_at is None
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.HELD}
    email = OutboundEmail.objects.get()
    assert (email.kind, email.to) == ("confirm_letter", "ada@people.example")
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0


def test_it_waits_for_confirmation_even_where_the_campaign_asks_none(partner_with):
    CampaignFactory(slug="free-them", requires_confirmation=False)

    response = partner_with("write").post(URL, letter())

    assert response.json()["status"] == "awaiting_confirmation"
    assert OutboundEmail.objects.get().kind == "confirm_letter"


def test_a_repeat_gets_the_answer_a_new_letter_gets_and_its_owner_is_told(partner_with, campaign):
    partner = partner_with("write")
    ActionFactory(campaign=campaign, supporter=SupporterFactory(email="ada@people.example"))
    other = CampaignFactory(slug="other-case")

    repeat = partner.post(URL, letter())
    first = partner.post(reverse("api:send_letter", kwargs={"slug": other.slug}), letter())

    # A key cannot tell from the answer whether the address wrote before.
    assert repeat.status_code == first.status_code == 202
    assert repeat.json() == first.json()
    assert Action.objects.filter(campaign=campaign).count() == 1
    assert OutboundEmail.objects.filter(kind="letter_repeat").count() == 1


def test_the_same_idempotency_key_sent_again_makes_no_second_letter(partner_with, campaign):
    partner = partner_with("write")
    body = letter(idempotency_key=str(uuid.uuid4()))

    answers = [partner.post(URL, body) for _ in range(2)]

    assert [answer.json()["status"] for answer in answers] == ["awaiting_confirmation"] * 2
    assert Action.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "Two\nlines"}, "subject"),
        ({"message": "x" * 20_001}, "message"),
        (
            {"person": {**letter()["person"], "given_name": "=?utf-8?q?Ada?="}},
            "person.given_name",
        ),
        (
            {"person": {**letter()["person"], "email_addresses": [{"address": "not-an-address"}]}},
            "person.email_addresses.0.address",
        ),
        (
            {
                "person": {
                    **letter()["person"],
                    "postal_addresses": [{"address_lines": [""], "locality": "", "country": "UK"}],
                }
            },
            "person.postal_addresses.0.address_lines.0",
        ),
    ],
    ids=["no subject", "line break", "too long", "encoded word", "bad address", "no address"],
)
def test_what_our_form_refuses_is_refused_with_its_field(partner_with, campaign, changes, field):
    response = partner_with("write").post(URL, letter(**changes))

    assert is_problem(response, 422)
    assert response.json()["title"] == "Unprocessable Content"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "Hello"}, "message"),
        (letter(person={**letter()["person"], "email_addresses": []}), "person.email_addresses"),
    ],
    ids=["missing", "no address"],
)
def test_a_body_not_in_the_schema_is_refused_with_its_field(partner_with, campaign, body, field):
    response = partner_with("write").post(URL, body)

    assert is_problem(response, 422)
    assert field in [error["field"] for error in response.json()["errors"]]


def test_an_address_over_its_daily_limit_is_refused_at_its_field(partner_with, campaign, settings):
    settings.ACTIONS_PER_EMAIL_PER_DAY = 1
    partner = partner_with("write")
    partner.post(URL, letter())

    response = partner.post(
        reverse("api:send_letter", kwargs={"slug": CampaignFactory().slug}), letter()
    )

    assert is_problem(response, 422)
    [error] = response.json()["errors"]
    assert error["field"] == "person.email_addresses.0.address"
    assert "1 letters today" in error["message"]


@pytest.mark.parametrize(
    "changes",
    [{"status": Campaign.Status.CLOSED}, {"offers_email": False}],
    ids=["closed", "no email"],
)
def test_a_campaign_that_takes_no_letters_by_email_says_so(partner_with, changes):
    CampaignFactory(slug="free-them", **changes)

    response = partner_with("write").post(URL, letter())

    assert is_problem(response, 409)
    assert not Action.objects.exists()


def test_sending_a_letter_needs_the_write_scope(partner_with, campaign):
    response = partner_with("read", "personal").post(URL, letter())

    assert is_problem(response, 403)
    assert response.json()["required_scopes"] == ["write"]
    assert not Action.objects.exists()
