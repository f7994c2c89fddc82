"""The outcome email: everyone who wrote on any page of a case (the first or a follow-up)
is told once what became of it, and of their own letter (their latest, if they wrote more
than one); not those who asked to hear no more about the case, whose link each email
carries, as case notices do. Queued by a job (tasks.py) in batches, paced as updates
are."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign, Channel, Role
from urgentaction.cases.links import stop_url
from urgentaction.cases.models import CaseOptOut, LetterFate, OutcomeEmail, OutcomeRecord
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import in_language, render_email
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Suppression

FAN_OUT_BATCH = 500

# Whose writers are told: letters that count, and letters by email whose writers
# confirmed them (also those the outcome cancelled, or held for review).
ACTED = Q(counted_at__isnull=False) | Q(channel=Channel.EMAIL, confirmed_at__isnull=False)


def _letters(campaign: Campaign):
    """The letters on any page of ``campaign``'s case whose writers are told: not
    rejected, not expired, not erased, not by an address suppressed since, nor by
    someone who asked to hear no more about the case."""
    case = Campaign.objects.in_case(campaign)
    stopped = CaseOptOut.objects.filter(case=campaign.case_id).values("supporter_id")
    return (
        Action.objects.filter(ACTED, campaign__in=case, expired_at=None)
        .exclude(review=Review.REJECTED)
        .exclude(email="")
        .exclude(supporter__email_hash__in=Suppression.objects.values("email_hash"))
        .exclude(supporter_id__in=stopped)
    )


def people_to_tell(campaign: Campaign) -> int:
    """How many people an outcome recorded now on ``campaign`` would email, one each
    whatever page of the case they wrote on (before it cancels anything: the letters it
    cancels are counted, those it expires unconfirmed are not)."""
    return _letters(campaign).values("supporter_id").distinct().count()


def writers(record: OutcomeRecord):
    """The letters on the case whose writers are still to be told, the latest first."""
    told = OutcomeEmail.objects.filter(record=record).values("supporter_id")
    to_addressees = Delivery.objects.filter(action=OuterRef("pk"), role=Role.TO)
    return (
        _letters(record.campaign)
        .exclude(supporter_id__in=told)
        .annotate(
            cancelled=Exists(to_addressees.filter(status=OutboxStatus.CANCELLED)),
            failed=Exists(to_addressees.filter(status=OutboxStatus.FAILED)),
        )
        .select_related("campaign", "supporter")
        .prefetch_related("campaign__targets")
        .order_by("-pk")
    )


def fate(action: Action) -> str:
    """What became of the letter (needs the annotations of ``writers``)."""
    if action.channel != Channel.EMAIL:
        return LetterFate.OWN
    if action.delivered_at:
        return LetterFate.DELIVERED
    if action.failed and not action.cancelled:
        return LetterFate.FAILED
    return LetterFate.CANCELLED


def tell_outcomes() -> int:
    """Queue the next batch of each outcome's emails, paced as updates are
    (UPDATE_EMAILS_PER_MINUTE); an outcome whose every writer has theirs is done.
    Returns how many were queued."""
    queued = 0
    gap = timedelta(seconds=60 / settings.UPDATE_EMAILS_PER_MINUTE)
    sending = OutcomeRecord.objects.filter(status=OutcomeRecord.Status.SENDING)
    for record in sending.select_related("campaign__follow_up_of"):
        with transaction.atomic():
            # One fan-out of an outcome at a time (two jobs may run at once): each batch
            # is paced after the one before, which it sees.
            if not sending.select_for_update().filter(pk=record.pk).values_list("pk"):
                continue
            batch = _one_each(writers(record)[:FAN_OUT_BATCH])
            if not batch:
                OutcomeRecord.objects.filter(pk=record.pk).update(
                    status=OutcomeRecord.Status.SENT,
                    finished_at=timezone.now(),
                    told=record.emails.count(),
                )
                continue
            last = OutboundEmail.objects.filter(pk__in=record.emails.values("email_id")).aggregate(
                last=Max("next_attempt_at")
            )["last"]
            start = max(timezone.now(), (last + gap) if last else timezone.now())
            shown_in = _languages(record.campaign)
            for n, action in enumerate(batch):
                _tell(record, action, when=start + gap * n, shown_in=shown_in)
            queued += len(batch)
    return queued


def _one_each(letters) -> list[Action]:
    """A person who wrote more than one letter on the case is told once, of the first of
    ``letters`` (their latest)."""
    chosen = {}
    for action in letters:
        chosen.setdefault(action.supporter_id, action)
    return list(chosen.values())


def _languages(campaign: Campaign) -> list[str]:
    return languages(
        campaign,
        targets=list(campaign.targets.all()),
        letter=getattr(campaign, "letter", None),
    )


def _tell(record: OutcomeRecord, action: Action, *, when, shown_in: list[str]) -> None:
    """The outcome email to the writer of ``action``: in the language they wrote in, if
    the case is shown in it, with a link to the page the outcome was recorded on."""
    language = action.language if action.language in shown_in else settings.LANGUAGE_CODE
    letter = fate(action)
    campaign = record.campaign
    with in_language(language):
        stop = stop_url(action.supporter, campaign)
    subject, text, html = render_email(
        "outcome",
        {
            "campaign": campaign,
            "case": campaign.follow_up_of or campaign,
            "action": action,
            "letter": letter,
            "targets": list(action.campaign.targets.all()),
            "stop_url": stop,
        },
        language=language,
    )
    email = OutboundEmail.objects.create(
        kind="outcome",
        to=action.email,
        to_hash=email_hash(action.email),
        subject=subject,
        text=text,
        html=html,
        # RFC 8058, as case notices: the mail client's unsubscribe button stops this
        # case's emails.
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        action=action,
        supporter=action.supporter,
        next_attempt_at=when,
        message_id=OutboundEmail.new_message_id(settings.DEFAULT_FROM_EMAIL),
    )
    OutcomeEmail.objects.create(
        record=record, supporter=action.supporter, email=email, letter=letter
    )
