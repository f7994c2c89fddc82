"""Writes that span a campaign and what hangs from it."""

from django.db import transaction
from django.utils.text import slugify

from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.photos import copy_photo

# What a new draft takes from the campaign it copies: the case, whom to write to and how.
# Not its status, times, counts or outcome: the copy starts its own life.
COPIED = (
    "title",
    "summary",
    "story",
    "quote",
    "quote_attribution",
    "deadline",
    "urgency_note",
    "goal",
    "offers_email",
    "offers_mail_app",
    "offers_post",
    "requires_confirmation",
    "allow_template_letters",
    "test_mode",
    "test_email",
    "thank_you",
)


@transaction.atomic
def duplicate_campaign(*, campaign: Campaign) -> Campaign:
    """A new draft with the same case, targets, suggested letter and sending rules, at a
    web address of its own; no letter, count or date of the original comes with it."""
    copy = Campaign.objects.create(
        slug=_free_slug(campaign.slug),
        status=Campaign.Status.DRAFT,
        **{name: getattr(campaign, name) for name in COPIED},
    )
    if campaign.photo:
        copy_photo(campaign, copy)
        copy.save()
    copy.targets.set(campaign.targets.all())
    copy.copy_targets.set(campaign.copy_targets.all())
    letter = LetterTemplate.objects.filter(campaign=campaign).first()
    if letter is not None:
        LetterTemplate.objects.create(campaign=copy, subject=letter.subject, body=letter.body)
    return copy


def _free_slug(slug: str) -> str:
    base = slugify(slug)[:90]
    taken = set(Campaign.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
