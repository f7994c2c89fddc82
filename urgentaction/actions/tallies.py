"""The counts behind the staff dashboards, kept as letters go: each event adds to its
hour's counter in the same transaction as the event itself, with one statement
(lib/tally.py). Dashboards then add up a few rows per hour instead of every letter, and
never need a letter's source, which is encrypted.

The counters name no one, and erasure leaves their numbers as they are, as it leaves a
campaign's total. A source tag used by no one else but the person erased could point at
them, though (a link made for one reader): ``forget_own_source`` moves its counts to the
untagged rows."""

from collections import Counter
from datetime import UTC, datetime

from django.db.models import Sum
from django.utils import timezone

from urgentaction.actions.counts import LetterCount, Stage, TargetCount
from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.campaigns.models import Role
from urgentaction.lib import tally

LETTER_KEY = ("campaign_id", "hour", "stage", "channel", "source")
TARGET_KEY = ("campaign_id", "target_id")
# Every row names them all: a new row has no other way to its zeros.
TARGET_AMOUNTS = ("sent", "failed", "bounced")


def hour_of(moment: datetime) -> datetime:
    """The start of the hour ``moment`` falls in, in UTC."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def count(action: Action, *stages: str, at: datetime | None = None) -> None:
    """Add ``action`` to its campaign's counts of ``stages`` in the hour of ``at`` (now)."""
    hour = hour_of(at or timezone.now())
    rows = [
        {
            "campaign_id": action.campaign_id,
            "hour": hour,
            "stage": stage,
            "channel": action.channel,
            "source": action.source,
            "count": 1,
        }
        for stage in stages
    ]
    tally.add(LetterCount, rows, key=LETTER_KEY, amounts=("count",))


def forget_own_source(*, campaign_id: int, source: str, letters: int) -> None:
    """If ``source`` tagged no letters of the campaign but the ``letters`` of a person
    being erased, count its rows as untagged instead, keeping every total."""
    tagged = LetterCount.objects.filter(campaign_id=campaign_id, source=source)
    written = tagged.filter(stage=Stage.WRITTEN).aggregate(total=Sum("count"))["total"] or 0
    if not source or written > letters:
        return
    rows = list(tagged.values("campaign_id", "hour", "stage", "channel", "count"))
    tally.add(
        LetterCount, [{**row, "source": ""} for row in rows], key=LETTER_KEY, amounts=("count",)
    )
    tagged.delete()


def letter_written(action: Action) -> None:
    """A new letter: written, perhaps held for review, perhaps asking for updates."""
    stages = [Stage.WRITTEN]
    if action.review == Review.HELD:
        stages.append(Stage.HELD)
    if action.wants_updates:
        stages.append(Stage.SIGNED_UP)
    count(action, *stages, at=action.created_at)


def letters_sent(deliveries: list[Delivery]) -> None:
    """Copies of letters reached their targets' mail servers (one email each, or a digest
    of them): the targets' counts (copy targets' too), and each letter's first delivery to
    an addressee, which counts once whatever the number of its targets."""
    now = timezone.now()
    per_target = Counter((d.action.campaign_id, d.target_id) for d in deliveries)
    rows = [
        {
            "campaign_id": campaign,
            "target_id": target,
            "sent": sent,
            "failed": 0,
            "bounced": 0,
            "last_sent_at": now,
        }
        for (campaign, target), sent in per_target.items()
    ]
    tally.add(TargetCount, rows, key=TARGET_KEY, amounts=TARGET_AMOUNTS, latest=("last_sent_at",))
    hour = hour_of(now)
    # A letter is delivered once it reaches one of its addressees; a copy does not count.
    letters = {d.action_id: d.action for d in deliveries if d.role == Role.TO}
    # A conditional update per letter: of two copies sent at the same moment by two
    # workers, only the one that records the time counts the letter.
    first = Counter(
        (action.campaign_id, action.channel, action.source)
        for pk, action in letters.items()
        if Action.objects.filter(pk=pk, delivered_at=None).update(delivered_at=now)
    )
    rows = [
        {
            "campaign_id": campaign,
            "hour": hour,
            "stage": Stage.DELIVERED,
            "channel": channel,
            "source": source,
            "count": delivered,
        }
        for (campaign, channel, source), delivered in first.items()
    ]
    tally.add(LetterCount, rows, key=LETTER_KEY, amounts=("count",))


def letter_failed(delivery: Delivery, *, bounced: bool) -> None:
    """A copy of a letter will not arrive: refused when it was sent, or bounced since."""
    row = {
        "campaign_id": delivery.action.campaign_id,
        "target_id": delivery.target_id,
        "sent": 0,
        "failed": int(not bounced),
        "bounced": int(bounced),
    }
    tally.add(TargetCount, [row], key=TARGET_KEY, amounts=TARGET_AMOUNTS)
