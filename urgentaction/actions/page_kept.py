"""What a campaign's page shows that only staff change, kept by each process under the
campaign's ``updated_at``, which moves with every edit of the campaign, its letter or its
targets, and with any change to what the apps' sections show of it
(settings.CAMPAIGN_PAGE_SECTIONS): the targets, the copy targets, the letter, the
languages the page is shown in, and the sections' HTML in each language. A page made
again (when its cached copy is 60 seconds old, or for a visitor with a cookie) then
reads none of them; the first page after an edit reads them once."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import prefetch_related_objects

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign, LetterTemplate, Target


@dataclass
class Kept:
    updated_at: datetime
    targets: list[Target]
    copy_targets: list[Target]
    letter: LetterTemplate | None
    # The languages the page is shown in (``campaigns.languages``).
    languages: list[str]
    # The sections' HTML, by language.
    sections: dict[str, list[str]] = field(default_factory=dict)


_kept: dict[int, Kept] = {}


def kept(campaign: Campaign) -> Kept:
    """What the page of ``campaign`` shows of its targets and letter, read once for each
    of its versions."""
    found = _kept.get(campaign.pk)
    if found is None or found.updated_at != campaign.updated_at:
        prefetch_related_objects([campaign], "targets", "copy_targets")
        targets, copies = list(campaign.targets.all()), list(campaign.copy_targets.all())
        letter = getattr(campaign, "letter", None)
        found = Kept(
            updated_at=campaign.updated_at,
            targets=targets,
            copy_targets=copies,
            letter=letter,
            languages=languages(campaign, targets=targets, letter=letter, copy_targets=copies),
        )
        _kept[campaign.pk] = found
    return found


def sections(campaign: Campaign, language: str, made: Callable[[], list[str]]) -> list[str]:
    """The sections of the page of ``campaign`` in ``language``, as ``made()`` makes
    them once for each version of the campaign."""
    parts = kept(campaign)
    shown = parts.sections.get(language)
    if shown is None:
        shown = parts.sections[language] = made()
    return shown


def forget() -> None:
    """Drop all that this process keeps (between tests)."""
    _kept.clear()
