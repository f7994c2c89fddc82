from datetime import datetime, timedelta

from django.utils import timezone

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Campaign, Channel, Target
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.cases.models import Answer, Questionnaire
from urgentaction.cases.tenures import tenure_at
from urgentaction.lib.outbox import OutboxStatus


def delivered_letter(
    campaign: Campaign | None = None, *, at: datetime | None = None, **fields
) -> Action:
    """A letter by email whose copies reached each of its campaign's targets at ``at``."""
    at = at or timezone.now()
    action = ActionFactory(
        campaign=campaign or CampaignFactory(), created_at=at, delivered_at=at, **fields
    )
    for target in action.campaign.targets.all():
        DeliveryFactory(action=action, target=target, status=OutboxStatus.SENT, sent_at=at)
    return action


def self_sent_letter(
    campaign: Campaign | None = None, *, channel: str = Channel.POST, at: datetime | None = None
) -> Action:
    """A letter its writer posted or sent from their own email, and told us so at ``at``."""
    at = at or timezone.now()
    return ActionFactory(
        campaign=campaign or CampaignFactory(),
        channel=channel,
        confirmed_at=None,
        created_at=at,
        reported_sent_at=at,
    )


def answered(
    target: Target,
    kind: str,
    *,
    days: int | None = None,
    campaign: Campaign | None = None,
    at: datetime | None = None,
) -> Answer:
    """A letter to ``target`` whose writer answered ``kind`` (a reply after ``days``)."""
    at = at or timezone.now() - timedelta(days=30)
    action = delivered_letter(campaign or CampaignFactory(targets=[target]), at=at)
    questionnaire = Questionnaire.objects.create(action=action, letter_went_at=at, answered_at=at)
    return Answer.objects.create(
        questionnaire=questionnaire,
        target=target,
        tenure=tenure_at(target, at),
        kind=kind,
        replied_on=(timezone.localdate(at) + timedelta(days=days)) if days is not None else None,
        days_to_reply=days,
    )
