"""Case notices: when a follow-up of a case is published, everyone who wrote on the case
before it is told once, with a link to it. They get it because they wrote, not because
they asked for updates; but not once erased, suppressed or unsubscribed, nor after
asking to hear no more about the case.

The worker starts the telling once the follow-up is published, and queues it batch by
batch as durable outbox rows, paced like updates (UPDATE_EMAILS_PER_MINUTE); a record
per person and follow-up makes sure nobody is told twice."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from urgentaction.actions.models import Action, Review
from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign
from urgentaction.cases.links import stop_url
from urgentaction.cases.models import CaseNotice, CaseOptOut, FollowUpAnnouncement, OutcomeEmail
from urgentaction.lib.addresses import mailbox
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import in_language, render_email
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter

BATCH = 500


def announce_follow_ups() -> int:
    """Start telling of each follow-up published since the last run, and queue the next
    batch of each telling under way. Returns how many notices were queued."""
    published = Campaign.objects.public().filter(
        follow_up_number__isnull=False, announcement__isnull=True
    )
    FollowUpAnnouncement.objects.bulk_create(
        [FollowUpAnnouncement(follow_up=follow_up) for follow_up in published],
        ignore_conflicts=True,
    )
    under_way = FollowUpAnnouncement.objects.filter(finished_at=None).select_related(
        "follow_up__follow_up_of"
    )
    return sum(_queue_batch(announcement) for announcement in under_way)


def to_tell(follow_up: Campaign) -> QuerySet[Supporter]:
    """Who is still to be told of ``follow_up``, each with ``language``, that of their
    latest letter on the case: everyone whose letter on an earlier page of the case
    counted (confirmed, or sent themselves, and not held or rejected) and was written
    before the follow-up was published; not anyone who has already written on the
    follow-up itself, asked to hear no more of the case, or was told already. Of a draft:
    whom publishing it now would tell."""
    earlier = Campaign.objects.in_case(follow_up).exclude(pk=follow_up.pk)
    published_at = follow_up.published_at or timezone.now()
    letters = (
        Action.objects.standing()
        .filter(campaign__in=earlier, created_at__lt=published_at)
        .exclude(review__in=[Review.HELD, Review.REJECTED])
    )
    latest = letters.filter(supporter=OuterRef("pk")).order_by("-created_at")
    return (
        Supporter.objects.reachable()
        .filter(pk__in=letters.values("supporter"))
        .exclude(pk__in=Action.objects.filter(campaign=follow_up).values("supporter"))
        .exclude(pk__in=CaseOptOut.objects.filter(case=follow_up.case_id).values("supporter"))
        .exclude(case_notices__announcement__follow_up=follow_up)
        .annotate(language=Subquery(latest.values("language")[:1]))
        .order_by("pk")
    )


def _queue_batch(announcement: FollowUpAnnouncement) -> int:
    follow_up = announcement.follow_up
    gap = timedelta(seconds=60 / settings.UPDATE_EMAILS_PER_MINUTE)
    with transaction.atomic():
        # One batch of a telling at a time (two workers may run it at once): each is
        # paced after the one before, which it sees.
        telling = FollowUpAnnouncement.objects.select_for_update().filter(
            pk=announcement.pk, finished_at=None
        )
        if not telling.values_list("pk", flat=True):
            return 0
        people = list(to_tell(follow_up)[: max(BATCH, 2 * settings.UPDATE_EMAILS_PER_MINUTE)])
        if not people:
            telling.update(finished_at=timezone.now())
            return 0
        last = announcement.notices.aggregate(last=Max("email__next_attempt_at"))["last"]
        now = timezone.now()
        start = max(now, last + gap) if last else now
        shown_in = languages(
            follow_up,
            targets=list(follow_up.targets.all()),
            letter=getattr(follow_up, "letter", None),
        )
        emails = [
            notice_email(
                follow_up,
                person,
                language=person.language if person.language in shown_in else None,
                when=start + gap * n,
            )
            for n, person in enumerate(people)
        ]
        OutboundEmail.objects.bulk_create(emails)
        CaseNotice.objects.bulk_create(
            CaseNotice(announcement=announcement, supporter=person, email=email)
            for person, email in zip(people, emails, strict=True)
        )
    return len(emails)


def notice_email(
    follow_up: Campaign, supporter: Supporter, *, language: str | None, when
) -> OutboundEmail:
    """The notice as ``supporter`` reads it: in ``language`` if the follow-up's page is
    shown in it, otherwise in the site's; its links open the page in the same."""
    language = language or settings.LANGUAGE_CODE
    with in_language(language):
        stop = stop_url(supporter, follow_up)
        rendered = render_email(
            "case_notice",
            {
                "campaign": follow_up,
                "case": follow_up.follow_up_of,
                "supporter": supporter,
                "page_url": settings.SITE_URL + follow_up.get_absolute_url(),
                "stop_url": stop,
            },
        )
    subject, text, html = rendered
    return OutboundEmail(
        kind="case_notice",
        to=supporter.email,
        to_hash=email_hash(supporter.email),
        subject=subject,
        text=text,
        html=html,
        from_email=mailbox(settings.ORG_NAME, settings.UPDATES_FROM_EMAIL),
        # RFC 8058: the mail client's unsubscribe button stops this case's notices.
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        supporter=supporter,
        next_attempt_at=when,
        message_id=OutboundEmail.new_message_id(settings.UPDATES_FROM_EMAIL),
    )


@transaction.atomic
def stop_notices(*, supporter: Supporter, case: Campaign) -> None:
    """``supporter`` hears no more about ``case``: no notice of a later follow-up, no
    email of its outcome, and none of either already queued that has not gone yet."""
    CaseOptOut.objects.get_or_create(supporter=supporter, case_id=case.case_id)
    pages = Campaign.objects.in_case(case)
    outcome = OutcomeEmail.objects.filter(supporter=supporter, record__campaign__in=pages)
    waiting = OutboundEmail.objects.filter(
        Q(case_notice__supporter=supporter, case_notice__announcement__follow_up__in=pages)
        | Q(pk__in=outcome.values("email_id")),
        status__in=[OutboxStatus.PENDING, OutboxStatus.HELD],
    )
    waiting.update(status=OutboxStatus.CANCELLED)
