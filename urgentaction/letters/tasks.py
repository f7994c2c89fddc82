from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from urgentaction.letters.documents import make_bundle
from urgentaction.letters.models import HandInBundle

# A bundle still waiting after this long has lost its job (a broker emptied, a job
# worker gone): it is queued again.
FORGOTTEN_AFTER = timedelta(minutes=10)


@task()
def make_bundle_job(bundle_id: int) -> bool:
    return make_bundle(bundle_id)


def requeue_forgotten_bundles() -> int:
    cutoff = timezone.now() - FORGOTTEN_AFTER
    # waiting() includes bundles whose maker died mid-way: those are forgotten at once.
    forgotten = HandInBundle.objects.waiting().filter(
        Q(status=HandInBundle.Status.BUILDING) | Q(created_at__lt=cutoff)
    )
    ids = list(forgotten.values_list("pk", flat=True))
    for bundle_id in ids:
        make_bundle_job.enqueue(bundle_id)
    return len(ids)


def make_again(bundles: QuerySet) -> int:
    """Queue again those of ``bundles`` that were set aside (a writer erased their data)
    or failed; return how many."""
    again = bundles.filter(status__in=[HandInBundle.Status.STALE, HandInBundle.Status.FAILED])
    ids = list(again.values_list("pk", flat=True))
    HandInBundle.objects.filter(pk__in=ids).update(
        status=HandInBundle.Status.WAITING, error="", started_at=None, finished_at=None
    )
    for bundle_id in ids:
        transaction.on_commit(partial(make_bundle_job.enqueue, bundle_id))
    return len(ids)
