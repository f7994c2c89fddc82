"""Daily digests, for offices that ask for one email a day rather than one per letter."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from urgentaction.actions import tallies
from urgentaction.actions.delivery import record_final_failure
from urgentaction.actions.models import Delivery, Digest
from urgentaction.campaigns.models import Target
from urgentaction.core.events import Event, emit
from urgentaction.lib import outbox
from urgentaction.lib.addresses import mailbox
from urgentaction.lib.languages import site_language

DIGEST_PERIOD = timedelta(days=1)


def schedule_digests() -> int:
    """Gather each digest target's waiting letters into a digest once its day has come."""
    now = timezone.now()
    due = Target.objects.filter(
        Q(next_digest_at=None) | Q(next_digest_at__lte=now), mode=Target.Mode.DAILY
    )
    made = 0
    for target in due:
        opening = target.next_opening(now)
        with transaction.atomic():
            if opening > now:
                Target.objects.filter(pk=target.pk).update(next_digest_at=opening)
                continue
            waiting = Delivery.objects.filter(
                target=target,
                status=Delivery.Status.PENDING,
                digest=None,
                action__campaign__test_mode=False,
            )
            # A letter of a case that has ended (one written as its outcome was recorded)
            # never goes.
            waiting.exclude(action__campaign__outcome_kind="").update(
                status=Delivery.Status.CANCELLED
            )
            waiting = waiting.select_for_update()
            ids = list(waiting.values_list("pk", flat=True))
            if ids:
                digest = Digest.objects.create(
                    target=target,
                    message_id=Digest.new_message_id(settings.LETTERS_FROM_EMAIL),
                )
                Delivery.objects.filter(pk__in=ids).update(digest=digest)
                made += 1
            Target.objects.filter(pk=target.pk).update(next_digest_at=now + DIGEST_PERIOD)
    return made


def build_message(digest: Digest) -> EmailMessage:
    """The day's letters in one email, its own words in the language its office reads
    (when the site has it)."""
    language = site_language(digest.target.language) or settings.LANGUAGE_CODE
    with translation.override(language):
        return _message(digest)


def _message(digest: Digest) -> EmailMessage:
    gathered = digest.deliveries.filter(status=Delivery.Status.PENDING)
    deliveries = [
        delivery
        for delivery in gathered.select_related("action__campaign").order_by("action__created_at")
        if not delivery.action.is_erased
    ]
    if not deliveries:
        # Every writer in it erased their data while it waited.
        raise outbox.Withdrawn
    campaigns = sorted({d.action.campaign.title for d in deliveries})
    context = {"digest": digest, "target": digest.target, "deliveries": deliveries}
    subject = render_to_string(
        "emails/letter_digest/subject.txt", {**context, "count": len(deliveries)}
    )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(
            "emails/letter_digest/body.txt",
            {**context, "campaigns": campaigns, "org_name": settings.ORG_NAME},
        ),
        from_email=mailbox(settings.ORG_NAME, settings.LETTERS_FROM_EMAIL),
        to=[mailbox(digest.target.display_name, digest.target.email)],
        headers={"Message-ID": digest.message_id},
    )


def send_due_digests(*, limit: int = 10, stop: Callable[[], bool] = outbox.never) -> int:
    ids = outbox.claim_due(Digest.objects.all(), limit=limit)
    if not ids:
        return 0
    connection = get_connection()
    try:
        for digest in Digest.objects.filter(pk__in=ids).select_related("target"):
            if stop():
                outbox.release(digest)
            else:
                _send(digest, connection)
    finally:
        connection.close()
    return len(ids)


def _send(digest: Digest, connection) -> None:
    outbox.send(
        digest, build=build_message, connection=connection, on_failure=_fail, on_sent=_letters_sent
    )


def _letters_sent(digest: Digest) -> None:
    gathered = digest.deliveries.filter(status=Delivery.Status.PENDING)
    letters = list(gathered.select_related("action__campaign", "target"))
    gathered.update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    tallies.letters_sent(letters)
    for delivery in letters:
        emit(Event.LETTER_DELIVERED, delivery=delivery)


def _fail(digest: Digest, detail: str) -> None:
    with transaction.atomic():
        if not outbox.mark_failed(digest, detail):
            return
        for delivery in digest.deliveries.select_related("action__campaign", "target"):
            record_final_failure(delivery, detail, was=Delivery.Status.PENDING)
