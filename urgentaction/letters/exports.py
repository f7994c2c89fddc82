"""Lists of signatories for staff: names and towns, never email addresses."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from urgentaction.actions.models import Action

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class Echo:
    def write(self, value: str) -> str:
        return value


def standing_actions(campaigns: QuerySet) -> QuerySet:
    return (
        Action.objects.standing()
        .filter(campaign__in=campaigns)
        .select_related("campaign")
        .order_by("campaign_id", "created_at", "pk")
    )


def signatories_csv(actions: Iterable[Action]) -> Iterator[str]:
    """CSV lines, streamed: campaign, first name, last name, town, country, date."""
    writer = csv.writer(Echo())
    yield writer.writerow(
        [_("Campaign"), _("First name"), _("Last name"), _("Town"), _("Country"), _("Date")]
    )
    for action in actions:
        cells = [
            action.campaign.title,
            action.first_name,
            action.last_name,
            action.town,
            action.country,
            action.created_at.date().isoformat(),
        ]
        yield writer.writerow([neutralise(cell) for cell in cells])
