"""A campaign's letters for the organisation's CRM: who wrote, how to reach them, how they
sent it, and whether they agreed to hear more (the exact wording they saw). People who
erased their data (or were anonymised) are left out, as are letters that expired
unconfirmed. Streamed, so a million rows never sit in memory."""

import csv
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Campaign
from urgentaction.letters.exports import Echo, neutralise
from urgentaction.supporters.models import Consent

# Erasure and retention give a person's keyed hash this prefix (privacy/rights.py).
ERASED = "erased:"


def crm_letters(campaign: Campaign):
    return (
        Action.objects.current()
        .filter(campaign=campaign)
        .exclude(supporter__email_hash__startswith=ERASED)
        .select_related("consent__text")
        .order_by("created_at", "pk")
    )


def headers() -> list[str]:
    return [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Address line 1"),
        _("Address line 2"),
        _("Town"),
        _("Postcode"),
        _("Country"),
        _("Channel"),
        _("Written"),
        _("Source"),
        _("Consent to updates"),
        _("Consent wording version"),
        _("Consent wording"),
        _("Letter confirmed"),
    ]


def _consent(consent: Consent | None) -> list[str]:
    if consent is None:
        return [_("no"), "", ""]
    given = consent.confirmed_at is not None and consent.withdrawn_at is None
    state = _("yes") if given else (_("withdrawn") if consent.withdrawn_at else _("unconfirmed"))
    return [state, f"v{consent.text_id}", consent.text.full_text]


def crm_csv(actions) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(headers())
    for action in actions:
        confirmed = action.confirmed_at is not None or action.reported_sent_at is not None
        cells = [
            action.first_name,
            action.last_name,
            action.email,
            action.address_line1,
            action.address_line2,
            action.town,
            action.postcode,
            action.country,
            action.channel,
            timezone.localtime(action.created_at).isoformat(timespec="seconds"),
            action.source,
            *_consent(action.consent),
            _("yes") if confirmed else _("no"),
        ]
        yield writer.writerow([neutralise(cell) for cell in cells])
