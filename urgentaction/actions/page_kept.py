"""What a campaign's page shows that only staff change, kept by each process under the
campaign's ``updated_at``, which moves with every edit of the campaign, its letter or its
targets, and with any change to what the apps' sections show of it
(settings.CAMPAIGN_PAGE_SECTIONS): the targets, the copy targets, the letter, the
languages the page is shown in, and the sections' HTML in each language. A page made
again (when its cached copy is 60 seconds old, or for a visitor with a cookie) then
reads none of them; the first page after an edit reads them once."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet, Value
from modeltranslation.utils import build_localized_fieldname

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign, LetterTemplate, Target
from urgentaction.lib.compiled import compile_once, fetch


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
        targets, copies = _targets(campaign)
        letter = _letter(campaign)
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


# The target's columns the page shows (with their translations); the others, which only
# sending reads, are left unread.
_SHOWN = {
    "id",
    "office",
    "holder",
    "salutation",
    "organisation",
    "address",
    "postcode",
    "country",
    "email",
    "language",
    "why",
}
# Stands for the campaign's id in the targets' SQL, compiled once per process.
_CAMPAIGN = -1
_TO, _COPY = 0, 1


@functools.cache
def _shown_columns() -> list[str]:
    """Their names in the model's order, as ``Model.from_db`` takes them."""
    return [
        column.attname
        for column in Target._meta.concrete_fields
        if getattr(column, "translated_field", column).name in _SHOWN
    ]


def _targets_sql() -> QuerySet:
    """The campaign's targets, then its copy targets, each in the order the page lists
    them (their office and holder, in the site's own language): one statement. A plain
    QuerySet, which modeltranslation does not rewrite for the language of the moment: the
    order is the site's own language's, whichever language's page reads them first."""
    columns = _shown_columns()
    to = QuerySet(Target).filter(campaigns=_CAMPAIGN).annotate(role=Value(_TO))
    copies = QuerySet(Target).filter(copied_on=_CAMPAIGN).annotate(role=Value(_COPY))
    office = build_localized_fieldname("office", settings.LANGUAGE_CODE)
    return (
        to.order_by()
        .values(*columns, "role")
        .union(copies.order_by().values(*columns, "role"), all=True)
        .order_by("role", office, "holder")
    )


_TARGETS = compile_once(_targets_sql)


def _targets(campaign: Campaign) -> tuple[list[Target], list[Target]]:
    """The campaign's targets and copy targets, with the columns the page shows."""
    columns = _shown_columns()
    found: dict[int, list[Target]] = {_TO: [], _COPY: []}
    for row in fetch(_TARGETS, {_CAMPAIGN: campaign.pk}):
        values = [row[column] for column in columns]
        found[row["role"]].append(Target.from_db(connection.alias, columns, values))
    return found[_TO], found[_COPY]


@functools.cache
def _letter_columns() -> list[str]:
    return [column.attname for column in LetterTemplate._meta.concrete_fields]


def _letter_sql() -> QuerySet:
    columns = _letter_columns()
    return QuerySet(LetterTemplate).filter(campaign=_CAMPAIGN).order_by().values(*columns)


_LETTER = compile_once(_letter_sql)


def _letter(campaign: Campaign) -> LetterTemplate | None:
    """The campaign's letter, if it has one, read as the ORM would read
    ``campaign.letter``."""
    found = fetch(_LETTER, {_CAMPAIGN: campaign.pk})
    if not found:
        return None
    columns = _letter_columns()
    letter = LetterTemplate.from_db(
        connection.alias, columns, [found[0][column] for column in columns]
    )
    LetterTemplate.campaign.field.set_cached_value(letter, campaign)
    return letter


def forget() -> None:
    """Drop all that this process keeps (between tests)."""
    _kept.clear()
