"""The campaigns app's admin: campaigns (with their letter), targets and letters, each
registered by its module."""

from urgentaction.campaigns.admin.campaign import CampaignAdmin, CampaignForm
from urgentaction.campaigns.admin.letter import LetterTemplateAdmin, LetterTemplateInline
from urgentaction.campaigns.admin.targets import TargetAdmin

__all__ = [
    "CampaignAdmin",
    "CampaignForm",
    "LetterTemplateAdmin",
    "LetterTemplateInline",
    "TargetAdmin",
]
