"""Which languages a campaign is shown in, and which language its suggested letter is in.

A language other than the default shows on the public side only when staff marked its
translation published and it is complete: every text the default language has (of the
campaign, its targets and, when the letter is offered in it, the letter) has it too. A
page is never half-translated."""

from django.conf import settings
from django.db import models
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from urgentaction.campaigns.models import Campaign, LetterTemplate, Target
from urgentaction.lib.languages import codes, site_language

LETTER_FIELDS = ("subject", "body")
# What of a target a supporter reads on the page; its salutation is part of the letter.
TARGET_PAGE_FIELDS = ("office", "why")


def text_in(instance: models.Model, field: str, language: str) -> str:
    return getattr(instance, build_localized_fieldname(field, language)) or ""


def _gaps(instance: models.Model, fields, language: str) -> list[str]:
    """The labels of ``fields`` that the default language fills and ``language`` leaves
    empty."""
    default = settings.LANGUAGE_CODE
    return [
        str(instance._meta.get_field(field).verbose_name)
        for field in fields
        if text_in(instance, field, default).strip()
        and not text_in(instance, field, language).strip()
    ]


def has_letter_in(letter: LetterTemplate | None, language: str) -> bool:
    return letter is not None and all(text_in(letter, f, language).strip() for f in LETTER_FIELDS)


def letter_language(
    campaign: Campaign, language: str, *, targets: list[Target], letter: LetterTemplate | None
) -> str:
    """The language the letter is offered in to a reader of ``language``: the targets'
    own (when they share one and the letter has it), unless the campaign offers it in
    the supporter's language; otherwise the supporter's."""
    if campaign.letter_in_supporters_language:
        return language
    spoken = {site_language(target.language) for target in targets}
    if len(spoken) == 1:
        (theirs,) = spoken
        if theirs is not None and has_letter_in(letter, theirs):
            return theirs
    return language


def missing(
    campaign: Campaign,
    language: str,
    *,
    targets: list[Target],
    letter: LetterTemplate | None,
    copy_targets: list[Target] | None = None,
) -> list[str]:
    """What the ``language`` translation still lacks, in staff's words ("target
    Foreign Secretary: why this person"); empty when it is complete. The page shows the
    copy targets too (``copy_targets`` if the caller has them, otherwise
    ``campaign.copy_targets``, which callers may prefetch)."""
    gaps = _gaps(campaign, translator.get_options_for_model(Campaign).fields, language)
    if copy_targets is None:
        copy_targets = list(campaign.copy_targets.all())
    for target in [*targets, *copy_targets]:
        gaps += [f"{target}: {gap}" for gap in _gaps(target, TARGET_PAGE_FIELDS, language)]
    in_letter = letter_language(campaign, language, targets=targets, letter=letter)
    if letter is not None and in_letter == language:
        gaps += [
            f"{letter._meta.verbose_name}: {gap}" for gap in _gaps(letter, LETTER_FIELDS, language)
        ]
        gaps += [
            f"{target}: {gap}"
            for target in targets
            for gap in _gaps(target, ("salutation",), language)
        ]
    return gaps


def languages(
    campaign: Campaign,
    *,
    targets: list[Target],
    letter: LetterTemplate | None,
    copy_targets: list[Target] | None = None,
) -> list[str]:
    """The languages the campaign's page is shown in, the default first."""
    return [
        code
        for code in codes()
        if code == settings.LANGUAGE_CODE
        or (
            code in campaign.published_languages
            and not missing(
                campaign, code, targets=targets, letter=letter, copy_targets=copy_targets
            )
        )
    ]
