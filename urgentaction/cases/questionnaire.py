""" "Did you get a reply?", after mySociety's WriteToThem: 14 days after a letter went,
its writer gets one email asking, and a reminder at 21 days if they have not answered.
A letter went when it was delivered by email, or, for one the writer sent from their
own email app or posted, when they told us they had (we see no delivery of those).

The email's link is signed, not stored, and needs no login: it names the question and
the writer's address (by keyed hash), and works for LINK_DAYS from when it was sent,
once. A forged, expired or used link, or one whose writer has since erased their data,
gets the same answer. Nobody erased or suppressed is asked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Action, ActionQuerySet, Delivery, Review
from urgentaction.campaigns.models import Channel, Target
from urgentaction.cases.models import Answer, Questionnaire
from urgentaction.cases.tenures import tenure_at
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import in_language, queue_email
from urgentaction.supporters.models import Suppression

ASK_AFTER = timedelta(days=14)
REMIND_AFTER = timedelta(days=21)
# A question or reminder the worker could not send in its week (it was stopped) is not
# sent late: a reminder a day after the question, or a question months on, helps no one.
LATEST = timedelta(days=28)
LINK_DAYS = 30
SALT = "urgentaction.cases.questionnaire"
BATCH = 200


def letters_to_ask(now: datetime) -> ActionQuerySet:
    """Letters that went between 14 and 21 days ago whose writers have not been asked,
    with ``went_at``. Not those of the erased or the suppressed, rejected ones, test
    letters, or letters by email none of whose copies arrived."""
    went = Case(When(channel=Channel.EMAIL, then=F("delivered_at")), default=F("reported_sent_at"))
    arrived = Delivery.objects.filter(action=OuterRef("pk"), status=OutboxStatus.SENT)
    return (
        Action.objects.annotate(went_at=went)
        .filter(went_at__lte=now - ASK_AFTER, went_at__gt=now - REMIND_AFTER)
        .filter(~Q(channel=Channel.EMAIL) | Exists(arrived))
        .filter(questionnaire=None, campaign__test_mode=False)
        .exclude(email="")
        .exclude(review=Review.REJECTED)
        .exclude(supporter__email_hash__in=Suppression.objects.values("email_hash"))
    )


def questions_to_remind(now: datetime) -> QuerySet[Questionnaire]:
    """Questions not answered 21 days after their letter went, not yet reminded."""
    return (
        Questionnaire.objects.filter(answered_at=None, reminded_at=None)
        .filter(letter_went_at__lte=now - REMIND_AFTER, letter_went_at__gt=now - LATEST)
        .exclude(action__email="")
        .exclude(action__supporter__email_hash__in=Suppression.objects.values("email_hash"))
    )


def ask_about_replies() -> int:
    """Ask each writer whose letter went 14 days ago; remind those who have not answered
    after 21. Each once, however often this runs or however many workers run it."""
    now = timezone.now()
    sent = 0
    for action in letters_to_ask(now).select_related("campaign", "supporter")[:BATCH]:
        try:
            with transaction.atomic():
                questionnaire = Questionnaire.objects.create(
                    action=action, letter_went_at=action.went_at, asked_at=now
                )
                _email(questionnaire, template="reply_question")
        except IntegrityError:
            continue  # another worker asked at the same moment
        sent += 1
    for pk in questions_to_remind(now).values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            due = Questionnaire.objects.filter(pk=pk, reminded_at=None, answered_at=None)
            if due.update(reminded_at=now):
                questionnaire = Questionnaire.objects.select_related("action__campaign").get(pk=pk)
                _email(questionnaire, template="reply_reminder")
                sent += 1
    return sent


def targets_asked_about(action: Action) -> list[Target]:
    """Whom the letter reached: by email, the targets a copy was delivered to; sent by
    the writer, the campaign's targets."""
    if action.channel == Channel.EMAIL:
        reached = Delivery.objects.filter(action=action, status=OutboxStatus.SENT)
        return list(Target.objects.filter(pk__in=reached.values("target_id")))
    return list(action.campaign.targets.all())


def _email(questionnaire: Questionnaire, *, template: str) -> None:
    action = questionnaire.action
    targets = targets_asked_about(action)
    # In the writer's language: the link's address, and the offices' names.
    with in_language(action.language):
        url = answer_url(questionnaire)
        names = ", ".join(target.display_name for target in targets)
    queue_email(
        to=action.email,
        template=template,
        context={
            "action": action,
            "campaign": action.campaign,
            "target_names": names,
            "went_on": timezone.localdate(questionnaire.letter_went_at),
            "url": url,
            "link_days": LINK_DAYS,
        },
        action=action,
    )


def _signed(questionnaire: Questionnaire) -> list:
    return [questionnaire.pk, questionnaire.action.supporter.email_hash[:16]]


def answer_url(questionnaire: Questionnaire) -> str:
    token = signing.dumps(_signed(questionnaire), salt=SALT)
    return settings.SITE_URL + reverse("cases:answer", kwargs={"token": token})


def question_for(token: str) -> Questionnaire | None:
    """The unanswered question ``token`` was made for; None for a forged, expired or used
    token, or one whose writer erased their data (all alike)."""
    try:
        pk, hashed = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    questionnaire = (
        Questionnaire.objects.filter(pk=pk, answered_at=None)
        .exclude(action__email="")
        .select_related("action__campaign", "action__supporter")
        .first()
    )
    if questionnaire is None or _signed(questionnaire) != [pk, hashed]:
        return None
    return questionnaire


@dataclass(frozen=True)
class Given:
    """What a writer said about one target."""

    target: Target
    kind: str
    replied_on: date | None = None
    reply: str = ""


@transaction.atomic
def record_answers(questionnaire: Questionnaire, given: list[Given]) -> bool:
    """Store a writer's answers, once: False if the question was answered already. A
    pasted reply waits for staff, who alone may publish it."""
    now = timezone.now()
    if not Questionnaire.objects.filter(pk=questionnaire.pk, answered_at=None).update(
        answered_at=now
    ):
        return False
    went_on = timezone.localdate(questionnaire.letter_went_at)
    for item in given:
        replied = item.kind in Answer.REPLIED
        replied_on = item.replied_on if replied else None
        reply = item.reply.strip() if replied else ""
        Answer.objects.create(
            questionnaire=questionnaire,
            target=item.target,
            tenure=tenure_at(item.target, questionnaire.letter_went_at),
            kind=item.kind,
            replied_on=replied_on,
            days_to_reply=max((replied_on - went_on).days, 0) if replied_on else None,
            reply=reply,
            review=Answer.Review.HELD if reply else Answer.Review.NONE,
            created_at=now,
        )
    return True
