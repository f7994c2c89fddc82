from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from urgentaction.mailings.models import Update
from urgentaction.mailings.updates import fan_out

# An update being fanned out queues a batch of emails every few seconds; one that has
# queued none for this long has lost its job.
FORGOTTEN_AFTER = timedelta(minutes=5)


def start_sending(update: Update) -> bool:
    """Hand the update to a job (once this transaction commits); False if it was already
    sent or sending."""
    started = Update.objects.filter(pk=update.pk, status=Update.Status.DRAFT).update(
        status=Update.Status.SENDING
    )
    if started:
        transaction.on_commit(send_updates_job.enqueue)
    return bool(started)


@task()
def send_updates_job() -> int:
    """Queue every sending update's emails (paced by their send times), batch by batch,
    until each update has reached every subscriber."""
    queued = 0
    while batch := fan_out():
        queued += batch
    return queued


def requeue_forgotten_updates() -> bool:
    """An update still sending, none of whose emails was queued in the last few minutes,
    has lost its job (a fan-out queues a batch in seconds): the worker (once a minute)
    gives it one again. A job that finds nothing left to do only marks the update sent."""
    recently = timezone.now() - FORGOTTEN_AFTER
    stalled = Update.objects.filter(status=Update.Status.SENDING).exclude(
        emails__created_at__gt=recently
    )
    if not stalled.exists():
        return False
    send_updates_job.enqueue()
    return True
