from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from urgentaction.cases.models import OutcomeEmail, OutcomeRecord
from urgentaction.cases.outcome_emails import tell_outcomes

# An outcome being told queues a batch of emails every few seconds; one that has queued
# none for this long has lost its job.
FORGOTTEN_AFTER = timedelta(minutes=5)


@task()
def tell_outcomes_job() -> int:
    """Queue every recorded outcome's emails (paced by their send times), batch by batch,
    until everyone who wrote has theirs."""
    queued = 0
    while batch := tell_outcomes():
        queued += batch
    return queued


def requeue_forgotten_outcomes() -> bool:
    """An outcome still being told, none of whose emails was queued in the last few
    minutes (nor it recorded), has lost its job: the worker gives it one again. A job
    that finds nothing left to do only marks it told."""
    recently = timezone.now() - FORGOTTEN_AFTER
    lately = OutcomeEmail.objects.filter(email__created_at__gt=recently).values("record_id")
    stalled = OutcomeRecord.objects.filter(
        status=OutcomeRecord.Status.SENDING, recorded_at__lte=recently
    ).exclude(pk__in=lately)
    if not stalled.exists():
        return False
    tell_outcomes_job.enqueue()
    return True
