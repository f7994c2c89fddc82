"""What is kept, and for how long (run by the worker; windows are settings)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Channel
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.models import Consent, Supporter

UNFINISHED = [OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENDING]


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
