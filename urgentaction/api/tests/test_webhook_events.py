"""Each event is recorded where it happens, in the transaction of its change, as one row
per listening endpoint; personal fields only for an endpoint with ``personal``."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, SupporterFactory
from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.api.keys import revoke
from urgentaction.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from urgentaction.api.present import identifier
from urgentaction.api.webhooks.delivery import enable
from urgentaction.api.webhooks.registry import register_endpoint
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import confirm_path
from urgentaction.core.events import Event
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.consent import confirm_consent, record_consent, withdraw
from urgentaction.supporters.links import unsubscribe_url
from urgentaction.supporters.models import Consent
from urgentaction.supporters.tests.factories import ConsentFactory, ConsentTextFactory

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.215.14/hooks"
LETTER_FIELDS = {"subject", "message", "person", "referrer_data"}


def listening(*events: str, personal: bool, **kwargs) -> WebhookEndpoint:
    endpoint, _ = register_endpoint(
        url=PUBLIC_URL, events=events or Event.values, personal=personal, **kwargs
    )
    return endpoint


@pytest.fixture
def endpoints():
    """Two systems that hear every event: one with personal data, one without."""
    return listening(personal=True), listening(personal=False)


def payloads(event: str) -> dict[bool, dict]:
    """The event's payloads, by whether their endpoint is personal."""
    rows = WebhookDelivery.objects.filter(event=event).select_related("endpoint")
    found = {row.endpoint.personal: json.loads(row.payload) for row in rows}
    assert len(found) == rows.count()
    return found


def test_a_letter_that_needs_no_confirmation_is_created_and_confirmed_at_once(client, endpoints):
    campaign = CampaignFactory(requires_confirmation=False)

    client.post(campaign.get_absolute_url(), valid_data())

    action = Action.objects.get()
    for event in ("action.created", "action.confirmed"):
        by_personal = payloads(event)
        assert set(by_personal) == {True, False}
        for payload in by_personal.values():
            assert payload["type"] == event
            assert payload["data"]["campaign"] == {
                "identifiers": [identifier(campaign.pk)],
                "slug": campaign.slug,
            }
            outreach = payload["data"]["outreach"]
            assert outreach["identifiers"] == [identifier(action.pk)]
            assert (outreach["status"], outreach["channel"]) == ("queued", "email")
        assert not LETTER_FIELDS & set(by_personal[False]["data"]["outreach"])
        personal = by_personal[True]["data"]["outreach"]
        assert personal["message"] == action.body
        assert personal["person"]["identifiers"] == [f"urgentaction:person:{action.supporter_id}"]
        assert personal["person"]["given_name"] == "Ada"
        assert personal["person"]["email_addresses"][0]["address"] == "ada@people.example"
        assert personal["referrer_data"]["source"] == "newsletter"


def test_a_letter_from_the_api_is_confirmed_when_its_writer_confirms_it(
    client, partner_with, endpoints
):
    campaign = CampaignFactory()
    letter = {
        "subject": "Please stop the deportation",
        "message": "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely",
        "person": {
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email_addresses": [{"address": "ada@people.example"}],
            "postal_addresses": [
                {"address_lines": ["1 High Street"], "locality": "Leeds", "country": "UK"}
            ],
        },
    }
    partner_with("write").post(f"/api/v1/campaigns/{campaign.slug}/actions", letter)

    created = payloads("action.created")
    assert created[False]["data"]["outreach"]["status"] == "awaiting_confirmation"
    assert not payloads("action.confirmed")

    client.post(confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))

    confirmed = payloads("action.confirmed")
    assert confirmed[False]["data"]["outreach"]["status"] == "queued"
    assert confirmed[True]["data"]["outreach"]["person"]["family_name"] == "Lovelace"


def test_letters_delivered_and_failed_are_told(smtp_server, endpoints):
    delivered = DeliveryFactory()
    refused = DeliveryFactory(action=ActionFactory(first_name="Grace"))
    smtp_server.refuse[refused.target.email] = "550 No such mailbox"

    call_command("worker", "--until-idle")

    sent = payloads("letter.delivered")[False]
    assert sent["data"]["outreach"] == {"identifiers": [identifier(delivered.action_id)]}
    assert sent["data"]["target"] == {
        "title": delivered.target.office,
        "name": delivered.target.holder,
        "organization": delivered.target.organisation,
    }
    assert "person" not in sent["data"]
    failed = payloads("letter.failed")
    assert failed[False]["data"]["bounced"] is False
    assert failed[False]["data"]["outreach"]["identifiers"] == [identifier(refused.action_id)]
    assert "person" not in failed[False]["data"]
    person = failed[True]["data"]["person"]
    assert (person["given_name"], person["email_addresses"][0]["address"]) == (
        "Grace",
        refused.action.email,
    )


def test_each_letter_in_a_daily_digest_is_told_as_delivered(smtp_server, endpoints):
    office = TargetFactory(mode=Target.Mode.DAILY)
    campaign = CampaignFactory(targets=[office])
    deliveries = [
        DeliveryFactory(action=ActionFactory(campaign=campaign), target=office) for _ in range(2)
    ]

    call_command("worker", "--until-idle")

    rows = WebhookDelivery.objects.filter(event="letter.delivered", endpoint__personal=False)
    told = {json.loads(row.payload)["data"]["outreach"]["identifiers"][0] for row in rows}
    assert told == {identifier(delivery.action_id) for delivery in deliveries}


def test_a_confirmed_signup_is_told_whichever_way_it_was_confirmed(endpoints):
    waiting = ConsentFactory(confirmed_at=None)

    confirm_consent(waiting)
    confirm_consent(waiting)  # once only
    text = ConsentTextFactory()
    at_once = record_consent(
        supporter=SupporterFactory(), text=text, method=Consent.Method.PREFERENCES, confirmed=True
    )

    rows = WebhookDelivery.objects.filter(event="signup.confirmed", endpoint__personal=True)
    told = [json.loads(row.payload)["data"] for row in rows.order_by("pk")]
    assert [data["person"]["identifiers"] for data in told] == [
        [f"urgentaction:person:{waiting.supporter_id}"],
        [f"urgentaction:person:{at_once.supporter_id}"],
    ]
    assert told[0]["person"]["email_addresses"][0]["address"] == waiting.supporter.email
    assert told[1]["consent"]["method"] == "preferences"
    assert told[1]["consent"]["wording_version"] == text.pk
    for row in WebhookDelivery.objects.filter(event="signup.confirmed", endpoint__personal=False):
        assert set(json.loads(row.payload)["data"]["person"]) == {"identifiers"}


def test_an_unsubscribe_is_told_once(client, endpoints):
    supporter = ConsentFactory().supporter

    client.post(unsubscribe_url(supporter))
    client.post(unsubscribe_url(supporter))

    told = payloads("person.unsubscribed")
    assert told[True]["data"] == {
        "person": {
            "identifiers": [f"urgentaction:person:{supporter.pk}"],
            "email_addresses": [{"address": supporter.email, "primary": True}],
        },
        "how": "unsubscribe link",
    }
    assert told[False]["data"]["person"] == {"identifiers": [f"urgentaction:person:{supporter.pk}"]}


def test_erasure_is_told_and_withdraws_what_was_waiting_with_personal_data(client, endpoints):
    personal, anonymous = endpoints
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data())
    supporter = Action.objects.get().supporter
    assert WebhookDelivery.objects.filter(endpoint=personal).count() == 2

    erase_supporter(supporter)

    earlier = WebhookDelivery.objects.exclude(event="person.erased")
    assert {(row.endpoint_id, row.status, row.payload == "") for row in earlier} == {
        (personal.pk, OutboxStatus.CANCELLED, True),
        (anonymous.pk, OutboxStatus.PENDING, False),
    }
    assert not WebhookDelivery.objects.filter(supporter=supporter).exists()
    told = payloads("person.erased")
    assert told[True]["data"] == {
        "person": {
            "identifiers": [f"urgentaction:person:{supporter.pk}"],
            "email_addresses": [{"address": "ada@people.example", "primary": True}],
        },
        "reason": "erased",
    }
    assert told[False]["data"]["person"] == {"identifiers": [f"urgentaction:person:{supporter.pk}"]}


def test_only_listening_endpoints_that_chose_the_event_are_told(partner_with):
    chose_another = listening("person.erased", personal=True)
    disabled = listening(personal=True)
    WebhookEndpoint.objects.filter(pk=disabled.pk).update(disabled_at=timezone.now())
    key = partner_with("write").key
    listening(personal=False, api_key=key)
    revoke(keys=ApiKey.objects.filter(pk=key.pk))

    withdraw(ConsentFactory().supporter, how="preference page")

    assert not WebhookDelivery.objects.exists()
    assert chose_another.deliveries.count() == 0


def test_an_event_is_kept_only_if_its_change_is(endpoints):
    supporter = ConsentFactory().supporter

    with pytest.raises(RuntimeError), transaction.atomic():
        withdraw(supporter, how="unsubscribe link")
        assert WebhookDelivery.objects.count() == 2
        raise RuntimeError("the request failed after the change")

    assert not WebhookDelivery.objects.exists()
    assert Consent.objects.get().withdrawn_at is None


def test_each_letter_is_told_to_the_endpoints_listening_as_it_is_written(client, partner_with):
    """The endpoints are kept by the web process between letters (core/kept.py): every
    change to them, through any of the ways there are, is seen by the next letter."""
    campaign = CampaignFactory()
    written = iter(range(100))

    def told_of_a_new_letter() -> set[int]:
        before = set(WebhookDelivery.objects.values_list("pk", flat=True))
        data = valid_data(email=f"writer{next(written)}@people.example")
        assert client.post(campaign.get_absolute_url(), data).status_code == 302
        new = WebhookDelivery.objects.exclude(pk__in=before).filter(event="action.created")
        return set(new.values_list("endpoint_id", flat=True))

    assert told_of_a_new_letter() == set()
    first = listening(personal=False)
    assert told_of_a_new_letter() == {first.pk}
    first.events = ["person.erased"]
    first.save()
    assert told_of_a_new_letter() == set()
    key = partner_with("write").key
    second = listening(personal=True, api_key=key)
    assert told_of_a_new_letter() == {second.pk}
    revoke(keys=ApiKey.objects.filter(pk=key.pk))
    assert told_of_a_new_letter() == set()
    third = listening(personal=True)
    WebhookEndpoint.objects.filter(pk=third.pk).update(disabled_at=timezone.now())
    assert told_of_a_new_letter() == set()
    enable(WebhookEndpoint.objects.filter(pk=third.pk))
    assert told_of_a_new_letter() == {third.pk}
    WebhookEndpoint.objects.filter(pk=third.pk).delete()
    assert told_of_a_new_letter() == set()
    fourth = listening(personal=False)
    fourth.delete()
    assert told_of_a_new_letter() == set()
