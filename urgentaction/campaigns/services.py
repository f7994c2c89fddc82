"""Writes that span a campaign and what hangs from it."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from modeltranslation.translator import translator

from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.photos import copy_photo
from urgentaction.lib.languages import side_by_side

# What a new draft takes from the campaign it copies: the case, whom to write to and how,
# what supporters at risk are told, each in every language it is written in. Not its
# status, times, counts or outcome: the copy starts its own life; nor the languages it is
# published in, lest a case rewritten in one language show its old words in another.
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
    "safety_advice",
    "reply_email",
    "letter_in_supporters_language",
)


@transaction.atomic
def duplicate_campaign(*, campaign: Campaign, follow_up: bool = False) -> Campaign:
    """A new draft with the same case, targets, suggested letter and sending rules, at a
    web address of its own; no letter, count or date of the original comes with it.
    With ``follow_up``, the draft is a follow-up of the original's case (which must have
    been published), to be numbered when it is published."""
    copy = Campaign.objects.create(
        slug=_free_slug(campaign.slug),
        status=Campaign.Status.DRAFT,
        follow_up_of_id=campaign.case_id if follow_up else None,
        **_values(campaign, COPIED),
    )
    if campaign.photo:
        copy_photo(campaign, copy)
        copy.save()
    copy.targets.set(campaign.targets.all())
    copy.copy_targets.set(campaign.copy_targets.all())
    letter = LetterTemplate.objects.filter(campaign=campaign).first()
    if letter is not None:
        LetterTemplate.objects.create(campaign=copy, **_values(letter, ("subject", "body")))
    return copy


# A case's outcome, which every page of the case whose outcome is recorded shows alike.
OUTCOME = ("outcome_kind", "outcome_date", "outcome")


def share_outcome(*, campaign: Campaign) -> int:
    """An outcome is the whole case's (cases/outcomes.py records it on each of its
    pages): a correction made on ``campaign`` is made on the case's other pages that show
    it. Returns how many."""
    others = Campaign.objects.in_case(campaign).exclude(pk=campaign.pk).exclude(outcome_kind="")
    return others.update(**_values(campaign, OUTCOME), updated_at=timezone.now())


def _values(source: models.Model, names: tuple[str, ...]) -> dict:
    """``source``'s value of each of ``names``; of a translated field, each language's."""
    translated = translator.get_options_for_model(type(source)).fields
    columns = [
        column
        for name in names
        for column in (side_by_side(name) if name in translated else (name,))
    ]
    return {column: getattr(source, column) for column in columns}


def _free_slug(slug: str) -> str:
    base = slugify(slug)[:90]
    taken = set(Campaign.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
