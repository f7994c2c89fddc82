from django.db import transaction
from django_tasks import task

from urgentaction.mailings.models import Update
from urgentaction.mailings.updates import fan_out


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
    """An update still sending when the worker looks (once a minute) gets its job again;
    one that finds nothing left to do only marks the update sent."""
    if not Update.objects.filter(status=Update.Status.SENDING).exists():
        return False
    send_updates_job.enqueue()
    return True
