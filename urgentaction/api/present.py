"""Campaigns and letters as the API shows them (schemas.py): the one place that decides
which of a letter's fields a key may see."""

from django.conf import settings

from urgentaction.actions.models import Action, Review
from urgentaction.campaigns.models import Campaign, CampaignQuerySet, Channel, Target

ORIGIN_SYSTEM = "Urgent Action"


def identifier(pk: int) -> str:
    return f"urgentaction:{pk}"


def _target(target: Target) -> dict[str, object]:
    return {
        "title": target.office,
        "name": target.holder,
        "organization": target.organisation,
        "email_addresses": [{"address": target.email, "primary": True}],
        "postal_addresses": [
            {
                "address_lines": target.address.splitlines(),
                "postal_code": target.postcode,
                "country": target.country,
            }
        ],
    }


def campaigns_to_show(campaigns: CampaignQuerySet) -> CampaignQuerySet:
    """``campaigns`` with what ``campaign_data`` reads of each, in a few queries for all."""
    return campaigns.select_related("follow_up_of").prefetch_related("targets", "copy_targets")


def campaign_data(campaign: Campaign) -> dict[str, object]:
    """A campaign, read as ``campaigns_to_show`` reads it."""
    return {
        "identifiers": [identifier(campaign.pk)],
        "origin_system": ORIGIN_SYSTEM,
        "slug": campaign.slug,
        "title": campaign.title,
        "description": campaign.summary,
        "browser_url": settings.SITE_URL + campaign.get_absolute_url(),
        "status": campaign.status,
        "reference": campaign.reference,
        "follow_up_of": campaign.follow_up_of.slug if campaign.follow_up_of else None,
        "deadline": campaign.deadline,
        "goal": campaign.goal,
        "total_outreaches": campaign.action_count,
        "targets": [_target(target) for target in campaign.targets.all()],
        "copy_targets": [_target(target) for target in campaign.copy_targets.all()],
        "outcome": _outcome(campaign),
        "created_date": campaign.created_at,
        "modified_date": campaign.updated_at,
    }


def _outcome(campaign: Campaign) -> dict[str, object] | None:
    if not campaign.has_outcome:
        return None
    return {
        "kind": campaign.outcome_kind,
        "date": campaign.outcome_date,
        "description": campaign.outcome,
    }


def letter_status(action: Action) -> str:
    """What happens to a letter next, as one word (docs/api.md)."""
    if action.expired_at is not None:
        return "expired"
    if action.awaiting_confirmation:
        return "awaiting_confirmation"
    if action.review == Review.HELD:
        return "held_for_review"
    if action.review == Review.REJECTED:
        return "rejected"
    if action.review == Review.CLOSED:
        return "cancelled"
    if action.channel != Channel.EMAIL:
        return "supporter_sends"
    return "queued"


def outreach_data(action: Action, *, personal: bool) -> dict[str, object]:
    """A letter; its words and its writer only when ``personal``. A letter whose writer
    was erased (or that expired unconfirmed, which keeps as little) shows only that."""
    shown: dict[str, object] = {
        "identifiers": [identifier(action.pk)],
        "created_date": action.created_at,
        "modified_date": action.updated_at,
        "erased": action.erased,
    }
    if action.erased:
        return shown
    shown |= {
        "status": letter_status(action),
        "channel": action.channel,
        "initials_only": action.initials_only,
    }
    if personal:
        shown |= _letter_and_writer(action)
    return shown


def _letter_and_writer(action: Action) -> dict[str, object]:
    lines = [line for line in (action.address_line1, action.address_line2) if line]
    return {
        "subject": action.subject,
        "message": action.body,
        "person": {
            "given_name": action.first_name,
            "family_name": action.last_name,
            "email_addresses": [{"address": action.email, "primary": True}],
            "postal_addresses": [
                {
                    "address_lines": lines,
                    "locality": action.town,
                    "postal_code": action.postcode,
                    "country": action.country,
                }
            ],
        },
        "referrer_data": {"source": action.source, "url": action.referrer},
    }
