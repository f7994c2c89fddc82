"""Case references, "UA 12/26": given to a campaign when it is first published, in order,
each year; a follow-up takes its case's reference and the next "FI" number of the case.

A number is taken from a counter that only counts up, in the transaction that publishes
the campaign: two campaigns published at the same moment wait for each other at the
counter's row (on SQLite, for the database's one writer), and a number whose campaign
is later deleted is never given again."""

import copy
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

# What first publication gives a campaign, which no later save may take away.
FIRST_PUBLICATION = (
    "published_at",
    "reference_prefix",
    "reference_year",
    "reference_number",
    "follow_up_number",
)


class ReferenceCounter(models.Model):
    """The last number given in a series: the cases of one year ("2026"), or the
    follow-ups of one case ("follow-ups of 12")."""

    series = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last}"


def next_in(series: str) -> int:
    """The next number of ``series``; call inside the transaction that uses it."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(series=series)], ignore_conflicts=True)
    ReferenceCounter.objects.filter(series=series).update(last=F("last") + 1)
    return ReferenceCounter.objects.values_list("last", flat=True).get(series=series)


def keep_first_publication(campaign) -> None:
    """Before ``campaign`` is saved: take its row (until the transaction ends) and keep
    what its first publication gave it, which an older copy of it may lack."""
    stored = (
        type(campaign)
        .objects.select_for_update()
        .filter(pk=campaign.pk)
        .values(*FIRST_PUBLICATION)
        .first()
    )
    for name, value in (stored or {}).items():
        if value not in (None, ""):
            setattr(campaign, name, value)


def give_reference(campaign) -> None:
    """Number a published campaign that has no reference yet: a case gets the next
    number of the year it was published in; a follow-up gets its case's reference and
    the case's next follow-up number. Call inside the transaction that holds its row."""
    if campaign.reference_number is not None:
        return
    values = _reference(campaign, next_in)
    type(campaign).objects.filter(pk=campaign.pk).update(**values)
    for name, value in values.items():
        setattr(campaign, name, value)


def expected_reference(campaign) -> str:
    """The reference publishing ``campaign`` now would give it ("UA 13/26", "UA 12/26 FI
    2"), reading the counters without moving them: a campaign published first takes it."""
    if campaign.reference_number is not None:
        return campaign.reference
    preview = copy.copy(campaign)
    for name, value in _reference(campaign, _after_last).items():
        setattr(preview, name, value)
    return preview.reference


def _after_last(series: str) -> int:
    last = ReferenceCounter.objects.filter(series=series).values_list("last", flat=True)
    return (last.first() or 0) + 1


def _reference(campaign, number_in: Callable[[str], int]) -> dict[str, object]:
    if campaign.follow_up_of_id is not None:
        case = type(campaign).objects.get(pk=campaign.follow_up_of_id)
        if case.reference_number is None:
            raise ValueError("A follow-up's case must be published before the follow-up.")
        return {
            "reference_prefix": case.reference_prefix,
            "reference_year": case.reference_year,
            "reference_number": case.reference_number,
            "follow_up_number": number_in(f"follow-ups of {case.pk}"),
        }
    year = timezone.localdate(campaign.published_at or timezone.now()).year
    return {
        "reference_prefix": settings.REFERENCE_PREFIX,
        "reference_year": year,
        "reference_number": number_in(str(year)),
    }
