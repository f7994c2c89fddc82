"""A case's outcome: staff record it on any page of the case, and it is the whole case's.
Every published page of the case (the first and its follow-ups) closes and shows it, their
letters not yet delivered are cancelled (actions/cancelling.py), and everyone who wrote on
any of them is told once (outcome_emails.py)."""

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
    """The campaign's outcome was recorded already (by someone else, a moment ago, maybe
    on another page of its case)."""


def case_pages(campaign: Campaign) -> list[Campaign]:
    """The pages an outcome recorded on ``campaign`` closes: its case's published pages
    (a draft follow-up stays a draft), the first first."""
    return list(Campaign.objects.in_case(campaign).public().order_by("pk"))


@transaction.atomic
def record_outcome(
    *,
    campaign: Campaign,
    kind: str,
    on: date,
    texts: dict[str, str],
    by: AbstractBaseUser | None,
) -> tuple[OutcomeRecord, Undelivered]:
    """Close ``campaign``'s case with its outcome (``texts``: the words in each language):
    each published page of the case shows it, their letters not yet delivered are
    cancelled, and everyone who wrote on any of them is told. The record hangs from
    ``campaign``, the page staff recorded it on."""
    # One at a time, the case's rows held: two staff pressing the button at once, on the
    # same page or on two pages of the case, record it once.
    list(Campaign.objects.select_for_update().in_case(campaign).values_list("pk", flat=True))
    stored = Campaign.objects.filter(pk=campaign.pk).values_list("outcome_kind", flat=True)
    if stored.get() or OutcomeRecord.objects.filter(campaign=campaign).exists():
        raise AlreadyRecorded
    pages = case_pages(campaign)
    # Only these fields: letters confirmed meanwhile keep adding to each page's count.
    Campaign.objects.filter(pk__in=[page.pk for page in pages]).update(
        status=Campaign.Status.CLOSED,
        outcome_kind=kind,
        outcome_date=on,
        publish_at=None,
        close_at=None,
        updated_at=timezone.now(),
        **{build_localized_fieldname("outcome", code): text for code, text in texts.items()},
    )
    campaign.refresh_from_db()
    cancelled = cancel_undelivered(campaigns=pages)
    record = OutcomeRecord.objects.create(
        campaign=campaign,
        recorded_by=by,
        letters_cancelled=cancelled.letters,
        emails_cancelled=cancelled.emails,
    )
    # A job queues the emails (and the worker gives one lost on the way again).
    transaction.on_commit(tell_outcomes_job.enqueue)
    return record, cancelled
