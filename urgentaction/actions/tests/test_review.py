import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action, BlockedDomain, BlockedWord, Delivery, Review
from urgentaction.actions.review import escalate_overdue
from urgentaction.actions.screening import STAMP_SALT, form_reasons
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import confirm_path
from urgentaction.core.tests.proofs import solved_proof
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(requires_confirmation=False)


def take(client, campaign, **data) -> Action:
    client.post(campaign.get_absolute_url(), valid_data(**data))
    return Action.objects.latest("pk")


def is_held(action: Action) -> bool:
    statuses = set(action.deliveries.values_list("status", flat=True))
    return action.review == Review.HELD and statuses == {Delivery.Status.HELD}


@pytest.mark.parametrize(
    ("data", "reason", "acknowledgement"),
    [
        (lambda: {"website": "http://spam.example"}, "honeypot", "letter_received"),
        (lambda: {"altcha": solved_proof(asked_seconds_ago=1)}, "sent too fast", "letter_received"),
        # Without JavaScript (no proof of work) the page's signed render time is used, and
        # the letter also waits for its writer to confirm it, which acknowledges it.
        (
            lambda: {"altcha": "", "rendered": signing.dumps(time.time() - 1, salt=STAMP_SALT)},
            "sent too fast",
            "confirm_letter",
        ),
        (lambda: {"altcha": "", "rendered": "forged"}, "no valid form timestamp", "confirm_letter"),
    ],
)
def test_a_bot_like_submission_is_held_not_dropped_and_acknowledged(
    client, campaign, data, reason, acknowledgement
):
    action = take(client, campaign, **data())

    assert is_held(action)
    assert action.held_reasons == [reason]
    assert OutboundEmail.objects.get().kind == acknowledgement
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0


def test_a_letter_that_came_through_no_form_of_ours_has_no_form_to_time():
    # Through the API a partner's form was shown, not ours: no stamp is no sign of a robot
    # there, while a form of ours sent back without one is.
    assert form_reasons(honeypot="", stamp=None, started_at=None) == []
    assert form_reasons(honeypot="", stamp="", started_at=None) == ["no valid form timestamp"]


def test_blocklisted_words_and_domains_hold_a_letter(client, campaign):
    BlockedWord.objects.create(phrase="Buy Cheap")
    BlockedDomain.objects.create(domain="throwaway.example")

    worded = take(client, campaign, body="Dear Sir\n\nbuy cheap pills\n\nYours")
    domained = take(client, campaign, email="x@THROWAWAY.example")
    clean = take(client, campaign, email="ok@people.example")

    assert worded.held_reasons == ["blocked word: Buy Cheap"]
    assert domained.held_reasons == ["blocked email domain"]
    assert clean.review == Review.NONE


def test_nothing_held_goes_out_until_staff_approve_it(client, admin_client, campaign, smtp_server):
    held = take(client, campaign, website="filled")
    call_command("worker", "--until-idle")
    assert [m["Subject"] for m in smtp_server.messages] == [
        f"[{campaign.reference}] We have your letter: {campaign.title}"
    ]

    admin_client.post(
        reverse("admin:actions_action_changelist"),
        {"action": "approve_letters", "_selected_action": [held.pk]},
    )
    call_command("worker", "--until-idle")

    held.refresh_from_db()
    assert held.review == Review.APPROVED
    assert held.deliveries.get().status == Delivery.Status.SENT
    assert Campaign.objects.get(pk=campaign.pk).action_count == 1


def test_a_rejected_letter_never_goes(client, admin_client, campaign):
    held = take(client, campaign, website="filled")

    admin_client.post(
        reverse("admin:actions_action_changelist"),
        {"action": "reject_letters", "_selected_action": [held.pk]},
    )

    held.refresh_from_db()
    assert held.review == Review.REJECTED
    assert held.deliveries.get().status == Delivery.Status.CANCELLED
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0


def test_confirming_a_held_letter_does_not_release_it(client):
    campaign = CampaignFactory()
    action = take(client, campaign, website="filled")
    client.post(confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))

    action.refresh_from_db()
    assert action.confirmed_at is not None
    assert is_held(action)
    assert Campaign.objects.get(pk=campaign.pk).action_count == 0


def test_unreviewed_letters_are_escalated_not_dropped(client, campaign, settings):
    settings.MODERATION_EMAIL = "moderators@org.example"
    held = take(client, campaign, website="filled")
    Action.objects.filter(pk=held.pk).update(created_at=timezone.now() - timedelta(hours=25))

    assert escalate_overdue() == 1
    assert escalate_overdue() == 0

    held.refresh_from_db()
    assert held.escalated_at is not None and is_held(held)
    notice = OutboundEmail.objects.get(kind="moderation_overdue")
    assert notice.to == "moderators@org.example"
