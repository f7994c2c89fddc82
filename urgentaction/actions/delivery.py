"""Sending letters from the outbox, one email per letter, at each target's pace.

See docs/delivery.md for the states a delivery goes through.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from urgentaction.actions import tallies
from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Role, Target
from urgentaction.core.events import Event, emit
from urgentaction.lib import outbox
from urgentaction.lib.addresses import mailbox
from urgentaction.mailings.emails import render_email, store_email
from urgentaction.mailings.models import OutboundEmail

BATCH_SIZE = 50


def recipient(delivery: Delivery) -> str:
    campaign = delivery.action.campaign
    if campaign.test_mode:
        return campaign.test_email
    return mailbox(delivery.target.display_name, delivery.target.email)


def build_message(delivery: Delivery) -> EmailMessage:
    """The letter as the target receives it (a copy target, with a line saying it is a
    copy and to whom): from the supporter via the organisation, with
    replies going straight to the supporter (or, for a letter signed with initials, to
    the campaign's address, so that the office never sees theirs), and bounces to this
    delivery's own address."""
    action = delivery.action
    # Its writer erased their data, or the case ended (cancelling the queue) while it was
    # being written: either way it must not go.
    if action.is_erased or action.campaign.has_outcome:
        raise outbox.Withdrawn
    # In the letter's language: the office's name in To, a test letter's note.
    with translation.override(action.letter_language):
        return _message(delivery, action)


def _message(delivery: Delivery, action: Action) -> EmailMessage:
    sender = f"{action.sender_name} via {settings.ORG_NAME}"
    subject, body = action.subject, action.signed_body()
    if delivery.role == Role.COPY:
        body = f"{body}\n{delivery.target.copy_line()}\n"
    if action.campaign.test_mode:
        subject = _("[Test] %(subject)s") % {"subject": subject}
        note = _("Test letter: outside test mode it goes to %(target)s <%(email)s>.") % {
            "target": delivery.target.display_name,
            "email": delivery.target.email,
        }
        body = f"{note}\n\n{body}"
    from_header = mailbox(sender, settings.LETTERS_FROM_EMAIL)
    # Over SMTP the envelope sender is the letter's own bounce address (VERP); providers
    # (Anymail) mostly cannot set one, and report bounces by webhook with the metadata.
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=delivery.return_path if smtp else from_header,
        to=[recipient(delivery)],
        reply_to=[_reply_to(action)],
        headers={"From": from_header, "Message-ID": delivery.message_id},
    )
    message.metadata = {"bounce_token": delivery.bounce_token}
    return message


def _reply_to(action: Action) -> str:
    if action.initials_only:
        return mailbox(settings.ORG_NAME, action.campaign.replies_to)
    return mailbox(action.sender_name, action.email)


def deliver_due(*, limit: int = BATCH_SIZE, stop: Callable[[], bool] = outbox.never) -> int:
    """Send up to ``limit`` due letters over one SMTP connection; return how many were
    claimed. Once ``stop()`` is true the rest of the batch is handed back untried."""
    ids = _claim(limit)
    if not ids:
        return 0
    connection = get_connection()
    try:
        deliveries = Delivery.objects.filter(pk__in=ids).select_related(
            "action__campaign", "target"
        )
        for delivery in deliveries:
            if stop():
                outbox.release(delivery)
                continue
            wait_until = _reserve_slot(delivery.target)
            if wait_until is not None:
                outbox.release(delivery, until=wait_until)
                continue
            _send(delivery, connection)
    finally:
        connection.close()
    return len(ids)


def _claim(limit: int) -> list[int]:
    """Claim due letters, at most one per paced target (the others wait their turn)."""
    now = timezone.now()
    target_open = Q(target__next_send_at=None) | Q(target__next_send_at__lte=now)
    single = Q(target__mode=Target.Mode.EACH) | Q(action__campaign__test_mode=True)
    return outbox.claim_due(
        Delivery.objects.filter(target_open, single, digest=None),
        limit=limit,
        fields=("target_id", "target__hourly_cap"),
        choose=_one_per_paced_target,
    )


def _one_per_paced_target(candidates: list[tuple]) -> list[int]:
    chosen, paced_targets = [], set()
    for pk, target_id, paced in candidates:
        if paced:
            if target_id in paced_targets:
                continue
            paced_targets.add(target_id)
        chosen.append(pk)
    return chosen


def _reserve_slot(target: Target) -> datetime | None:
    """Take the target's next sending slot; None if taken, else when to try again.

    Letters to a paced target are spread evenly (one every 3600/cap seconds), and never
    more than the cap leave in any rolling hour, however many workers run."""
    now = timezone.now()
    opening = target.next_opening(now)
    if opening > now:
        Target.objects.filter(pk=target.pk).update(next_send_at=opening)
        return opening
    if not target.hourly_cap:
        return None
    hour_ago = now - timedelta(hours=1)
    recent = list(
        Delivery.objects.filter(target=target, sent_at__gt=hour_ago)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)[: target.hourly_cap]
    )
    if len(recent) >= target.hourly_cap:
        wait_until = recent[0] + timedelta(hours=1)
        Target.objects.filter(pk=target.pk).update(next_send_at=wait_until)
        return wait_until
    slot_open = Q(next_send_at=None) | Q(next_send_at__lte=now)
    taken = Target.objects.filter(slot_open, pk=target.pk).update(
        next_send_at=now + target.send_interval
    )
    if taken:
        return None
    return Target.objects.values_list("next_send_at", flat=True).get(pk=target.pk)


def _send(delivery: Delivery, connection) -> None:
    outbox.send(
        delivery,
        build=build_message,
        connection=connection,
        on_failure=record_final_failure,
        on_sent=_sent,
    )


def _sent(delivery: Delivery) -> None:
    _reset_failures(delivery)
    tallies.letters_sent([delivery])
    emit(Event.LETTER_DELIVERED, delivery=delivery)


def _reset_failures(delivery: Delivery) -> None:
    """A letter got through: the target's address works. (Asked of the row itself: the
    copy read with the batch misses a failure recorded since, even in this batch.)"""
    Target.objects.filter(pk=delivery.target_id).exclude(hard_failures=0).update(hard_failures=0)


@transaction.atomic
def record_final_failure(
    delivery: Delivery, detail: str, *, was: str = Delivery.Status.SENDING
) -> None:
    """A letter that will not arrive: record it, tell the supporter once, and flag a
    target whose address keeps failing so that staff can fix it. ``was`` is the status
    the delivery must still have (a bounce fails a letter that was ``sent``)."""
    still = Delivery.objects.filter(pk=delivery.pk, status=was)
    if was == Delivery.Status.SENDING:
        still = still.filter(leased_until=delivery.leased_until)
    failed = still.update(
        status=Delivery.Status.FAILED,
        leased_until=None,
        last_error=detail[:2000],
        first_attempt_at=outbox.first_attempt(),
    )
    if not failed:
        return
    tallies.letter_failed(delivery, bounced=was == Delivery.Status.SENT)
    emit(Event.LETTER_FAILED, delivery=delivery, bounced=was == Delivery.Status.SENT)
    Target.objects.filter(pk=delivery.target_id).update(
        hard_failures=F("hard_failures") + 1, last_failure=detail[:2000]
    )
    Target.objects.filter(
        pk=delivery.target_id,
        hard_failures__gte=settings.TARGET_FLAG_AFTER_FAILURES,
        flagged_at=None,
    ).update(flagged_at=timezone.now())
    action = delivery.action
    store_email(to=action.email, template="letter_failed", action=action, delivery=delivery)


def render_letter_failed(email: OutboundEmail) -> tuple[str, str, str]:
    """The email that tells a supporter their letter failed and quotes it, rendered
    from the letter when it is sent, in the language they wrote in."""
    delivery = (
        Delivery.objects.select_related("action__campaign", "target")
        .filter(pk=email.delivery_id)
        .first()
    )
    if delivery is None or not delivery.action.body:
        # The letter was erased, or deleted after its retention, while the email waited.
        raise outbox.Withdrawn
    action = delivery.action
    context = {
        "action": action,
        "target": delivery.target,
        "target_list": [delivery.target],
        "campaign": action.campaign,
    }
    return render_email("letter_failed", context, language=action.language)
