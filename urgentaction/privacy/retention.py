"""What is kept, and for how long (run by the worker; windows are settings)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Digest
from urgentaction.campaigns.models import Channel
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.models import Consent, Supporter

UNFINISHED = [OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENDING]
PRUNE_BATCH = 1000


def delete_old_letters() -> int:
    """Letter texts go LETTER_RETENTION_DAYS after their last delivery ended (or after
    they were written, for letters supporters sent themselves); counts stay."""
    cutoff = timezone.now() - timedelta(days=settings.LETTER_RETENTION_DAYS)
    unfinished = Delivery.objects.filter(action=OuterRef("pk"), status__in=UNFINISHED)
    emailed = (
        Action.objects.filter(channel=Channel.EMAIL)
        .exclude(body="")
        .annotate(pending=Exists(unfinished), finished=Max("deliveries__sent_at"))
        .filter(pending=False)
        .filter(Q(finished__lt=cutoff) | Q(finished=None, created_at__lt=cutoff))
    )
    self_sent = (
        Action.objects.exclude(channel=Channel.EMAIL).exclude(body="").filter(created_at__lt=cutoff)
    )
    removed = 0
    for actions in (emailed, self_sent):
        removed += Action.objects.filter(
            pk__in=list(actions.values_list("pk", flat=True)[:1000])
        ).update(subject="", body="")
    # Emails to supporters carry copies of their letters.
    OutboundEmail.objects.filter(sent_at__lt=cutoff).exclude(text="").update(text="", html="")
    return removed


def prune_sent_rows() -> int:
    """Sent letters and emails go whole LETTER_RETENTION_DAYS after they went, once their
    words are gone (delete_old_letters): the rows say only who was written to and when,
    which the counters (actions/counts.py, each campaign's total, an update's recipients)
    already hold without a name.

    A letter's copies go only when every one of them was sent, so that a letter with no
    copy left reads as sent (Action.state), and one that failed or was cancelled keeps
    the copies that say so. An update's emails stay while it is still being sent: they
    are how its fan-out knows who has had it."""
    cutoff = timezone.now() - timedelta(days=settings.LETTER_RETENTION_DAYS)
    unsent_copy = Delivery.objects.filter(action=OuterRef("action")).exclude(
        status=OutboxStatus.SENT
    )
    old = {"status": OutboxStatus.SENT, "sent_at__lt": cutoff}
    pruned = 0
    for rows in (
        Delivery.objects.filter(**old).exclude(Exists(unsent_copy)),
        Digest.objects.filter(**old).exclude(deliveries__isnull=False),
        OutboundEmail.objects.filter(**old).exclude(update__status=Update.Status.SENDING),
    ):
        batch = list(rows.values_list("pk", flat=True)[:PRUNE_BATCH])
        pruned += rows.model.objects.filter(pk__in=batch).delete()[0]
    return pruned


def anonymise_inactive_supporters() -> int:
    """People with no consent to updates and nothing done for SUPPORTER_RETENTION_MONTHS
    are anonymised (not suppressed: they never asked to leave)."""
    cutoff = timezone.now() - timedelta(days=30 * settings.SUPPORTER_RETENTION_MONTHS)
    recent_action = Action.objects.filter(supporter=OuterRef("pk"), created_at__gte=cutoff)
    active_consent = Consent.objects.active().filter(supporter=OuterRef("pk"))
    stale = (
        Supporter.objects.exclude(email="")
        .filter(updated_at__lt=cutoff, created_at__lt=cutoff)
        .exclude(Exists(recent_action))
        .exclude(Exists(active_consent))
    )
    count = 0
    for supporter in stale[:500]:
        erase_supporter(supporter, reason="retention", suppress=False)
        count += 1
    return count


def apply_retention() -> None:
    delete_old_letters()
    anonymise_inactive_supporters()
