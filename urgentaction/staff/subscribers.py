"""The people who agreed to hear from the organisation, for its CRM (CiviCRM's contact
import) or its mailing tool (a Mailchimp audience import): each person once, with when
their consent in force was confirmed and the version of the wording they agreed to.
People who erased their data (or were anonymised), withdrew, or whose address must never
be emailed again (suppressed) are left out. Streamed, so that a large list never sits in
memory.

The column names are the other system's own field names, which its import matches
columns by: they stay in English whatever the language of the admin."""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from urgentaction.letters.exports import Echo, neutralise
from urgentaction.staff.exports import ERASED
from urgentaction.supporters.models import Consent, Supporter

# What CiviCRM files these contacts under ("Contact Source").
CONTACT_SOURCE = "Urgent action site: agreed to updates"


def consenting_people():
    """Each person with a confirmed consent to updates in force, not suppressed nor
    erased, with ``consented_at`` and ``consent_version`` of their latest such consent."""
    latest = (
        Consent.objects.active().filter(supporter=OuterRef("pk")).order_by("-confirmed_at", "-pk")
    )
    return (
        Supporter.objects.subscribed()
        .exclude(email_hash__startswith=ERASED)
        .annotate(
            consented_at=Subquery(latest.values("confirmed_at")[:1]),
            consent_version=Subquery(latest.values("text_id")[:1]),
        )
        .order_by("pk")
    )


def _time(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _version(person: Supporter) -> str:
    return f"v{person.consent_version}"


@dataclass(frozen=True)
class Layout:
    """One system's import layout: its columns, and each person's cells in them."""

    name: str
    system: str
    headers: tuple[str, ...]
    cells: Callable[[Supporter], list[str]]


def _civicrm(person: Supporter) -> list[str]:
    return [
        person.first_name,
        person.last_name,
        person.email,
        person.address_line1,
        person.address_line2,
        person.town,
        person.postcode,
        person.country,
        CONTACT_SOURCE,
        _time(person.consented_at),
        _version(person),
    ]


def _mailchimp(person: Supporter) -> list[str]:
    return [
        person.email,
        person.first_name,
        person.last_name,
        _time(person.consented_at),
        _version(person),
        f"consent {_version(person)}",
    ]


# CiviCRM's contact import (Contacts, Import Contacts, "First row contains column
# headers") matches these to its fields by name; the last two go to custom fields or
# are left unmatched.
CIVICRM = Layout(
    name="civicrm",
    system="CiviCRM",
    headers=(
        "First Name",
        "Last Name",
        "Email",
        "Street Address",
        "Supplemental Address 1",
        "City",
        "Postal Code",
        "Country",
        "Contact Source",
        "Consent Date",
        "Consent Wording Version",
    ),
    cells=_civicrm,
)
# Mailchimp's audience import matches the address, the names and Tags; Consent Time and
# Consent Wording become text fields of the audience.
MAILCHIMP = Layout(
    name="mailchimp",
    system="Mailchimp",
    headers=(
        "Email Address",
        "First Name",
        "Last Name",
        "Consent Time",
        "Consent Wording",
        "Tags",
    ),
    cells=_mailchimp,
)
LAYOUTS = {layout.name: layout for layout in (CIVICRM, MAILCHIMP)}


def people_csv(layout: Layout, people: Iterable[Supporter]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(layout.headers)
    for person in people:
        yield writer.writerow([neutralise(cell) for cell in layout.cells(person)])
