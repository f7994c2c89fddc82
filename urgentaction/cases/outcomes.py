"""A case's outcome: staff record it, the campaign closes and shows it, its letters not
yet delivered are cancelled (actions/cancelling.py), and everyone who wrote is told once
(outcome_emails.py)."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from urgentaction.actions.cancelling import Undelivered, cancel_undelivered
from urgentaction.campaigns.models import Campaign
from urgentaction.cases.models import OutcomeRecord
from urgentaction.cases.tasks import tell_outcomes_job


class AlreadyRecorded(Exception):
    """The campaign's outcome was recorded already (by someone else, a moment ago)."""


@transaction.atomic
def record_outcome(
    *,
    campaign: Campaign,
    kind: str,
    on: date,
    texts: dict[str, str],
    by: AbstractBaseUser | None,
) -> tuple[OutcomeRecord, Undelivered]:
    """Close ``campaign`` with its outcome (``texts``: the words in each language), cancel
    its letters not yet delivered, and start telling everyone who wrote."""
    # One at a time: two staff pressing the button at once record it once.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").get()
    if OutcomeRecord.objects.filter(campaign=campaign).exists():
        raise AlreadyRecorded
    # Only these fields: letters confirmed meanwhile keep adding to its count.
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.CLOSED,
        outcome_kind=kind,
        outcome_date=on,
        publish_at=None,
        close_at=None,
        updated_at=timezone.now(),
        **{build_localized_fieldname("outcome", code): text for code, text in texts.items()},
    )
    campaign.refresh_from_db()
    cancelled = cancel_undelivered(campaigns=[campaign])
    record = OutcomeRecord.objects.create(
        campaign=campaign,
        recorded_by=by,
        letters_cancelled=cancelled.letters,
        emails_cancelled=cancelled.emails,
    )
    # A job queues the emails (and the worker gives one lost on the way again).
    transaction.on_commit(tell_outcomes_job.enqueue)
    return record, cancelled
