"""The campaigns app's models, each in its own module: campaigns (campaign.py) and
their choices (choices.py), their letters (letter.py), targets (targets.py), reference
counters (references.py), and what moves a campaign's version when its targets change
(versions.py, connected as the app is ready). Migrations name the validators by this
package's path, so they stay importable here."""

from urgentaction.campaigns.models.campaign import Campaign, CampaignQuerySet, validate_origins
from urgentaction.campaigns.models.choices import Channel, OutcomeKind
from urgentaction.campaigns.models.letter import PLACEHOLDERS, LetterTemplate
from urgentaction.campaigns.models.references import ReferenceCounter
from urgentaction.campaigns.models.targets import Role, Target, validate_timezone

__all__ = [
    "PLACEHOLDERS",
    "Campaign",
    "CampaignQuerySet",
    "Channel",
    "LetterTemplate",
    "OutcomeKind",
    "ReferenceCounter",
    "Role",
    "Target",
    "validate_origins",
    "validate_timezone",
]
