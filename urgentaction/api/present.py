"""Campaigns as the API shows them (schemas.py)."""

from django.conf import settings

from urgentaction.campaigns.models import Campaign, Target

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


def campaign_data(campaign: Campaign) -> dict[str, object]:
    """A campaign, its targets read from a prefetch."""
    return {
        "identifiers": [identifier(campaign.pk)],
        "origin_system": ORIGIN_SYSTEM,
        "slug": campaign.slug,
        "title": campaign.title,
        "description": campaign.summary,
        "browser_url": settings.SITE_URL + campaign.get_absolute_url(),
        "status": campaign.status,
        "deadline": campaign.deadline,
        "goal": campaign.goal,
        "total_outreaches": campaign.action_count,
        "targets": [_target(target) for target in campaign.targets.all()],
        "created_date": campaign.created_at,
        "modified_date": campaign.updated_at,
    }
