"""How responsive each office is, for ``/targets/``: per tenure (an office and the person
who held it), the letters that reached it, what their writers answered when asked "did
you get a reply?", the share who got one and the median days it took. Each figure is
shown only once at least MINIMUM answers make it: WriteToThem's users and MPs found
that small samples mislead.

Every number comes from aggregate queries: one for the counts of all tenures, one for
the medians (window functions rank each tenure's answers by days; the middle one or
two are averaged)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Channel, Target
from urgentaction.cases.models import Answer, Tenure
from urgentaction.lib.outbox import OutboxStatus

MINIMUM = 20
# The edges of time, for a tenure open at either end.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)
END = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Figures:
    tenure: Tenure
    delivered: int  # letters delivered by email
    self_sent: int  # letters writers told us they sent or posted themselves
    answers: int  # every answer, "I wasn't expecting one" included
    counted: int  # answers the reply rate is made from
    replied: int
    dated: int  # replies whose writers said when they came
    median: float | None

    @property
    def reply_rate(self) -> int | None:
        """The share of writers who got a reply, in per cent, from MINIMUM answers."""
        if self.counted < MINIMUM:
            return None
        return round(100 * self.replied / self.counted)

    @property
    def median_days(self) -> float | None:
        """Days from the letter to the reply, the median, from MINIMUM dated replies."""
        return self.median if self.dated >= MINIMUM else None


def _within_tenure(field: str) -> Q:
    """``field``, a time, falls in the tenure of the outer query."""
    return Q(
        **{
            f"{field}__gte": Coalesce(OuterRef("since"), Value(BEGINNING)),
            f"{field}__lt": Coalesce(OuterRef("until"), Value(END)),
        }
    )


def _count(rows: QuerySet, key: str) -> Coalesce:
    """How many ``rows`` there are, as a subquery (grouped by ``key``, the column they
    share with the outer query)."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(tenures: QuerySet) -> QuerySet:
    delivered = Delivery.objects.filter(
        _within_tenure("sent_at"),
        target=OuterRef("target"),
        status=OutboxStatus.SENT,
        action__campaign__test_mode=False,
    )
    self_sent = Action.objects.filter(
        _within_tenure("reported_sent_at"),
        campaign__targets=OuterRef("target"),
        campaign__test_mode=False,
    ).exclude(channel=Channel.EMAIL)
    return tenures.annotate(
        delivered=_count(delivered, "target"),
        self_sent=_count(self_sent, "campaign__targets"),
        answers_given=Count("answers"),
        counted=Count("answers", filter=~Q(answers__kind=Answer.Kind.NOT_EXPECTED)),
        replied=Count("answers", filter=Q(answers__kind__in=Answer.REPLIED)),
        dated=Count("answers", filter=Q(answers__days_to_reply__isnull=False)),
    )


def medians(tenure_ids: list[int]) -> dict[int, float]:
    """The median days to reply of each tenure's dated replies."""
    ranked = Answer.objects.filter(tenure__in=tenure_ids, days_to_reply__isnull=False).annotate(
        position=Window(
            RowNumber(), partition_by=[F("tenure_id")], order_by=[F("days_to_reply"), F("pk")]
        ),
        size=Window(Count("pk"), partition_by=[F("tenure_id")]),
    )
    # The middle one (an odd number) or two (even): integer halves of size + 1 and + 2.
    middle = ranked.filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
    found = (
        Answer.objects.filter(pk__in=middle.values("pk"))
        .values("tenure_id")
        .annotate(median=Avg("days_to_reply"))
        .values_list("tenure_id", "median")
    )
    return dict(found)


def responsiveness(target: Target | None = None) -> list[Figures]:
    """The figures of every tenure of a published campaign's target that letters reached
    or writers answered about (``target``: of that one only), by office, then oldest
    holder first."""
    tenures = Tenure.objects.public().select_related("target")
    if target is not None:
        tenures = tenures.filter(target=target)
    tenures = with_counts(tenures).filter(
        Q(delivered__gt=0) | Q(self_sent__gt=0) | Q(answers_given__gt=0)
    )
    rows = list(tenures)
    middle = medians([tenure.pk for tenure in rows])
    figures = [
        Figures(
            tenure=tenure,
            delivered=tenure.delivered,
            self_sent=tenure.self_sent,
            answers=tenure.answers_given,
            counted=tenure.counted,
            replied=tenure.replied,
            dated=tenure.dated,
            median=middle.get(tenure.pk),
        )
        for tenure in rows
    ]
    return sorted(figures, key=_order)


def _order(figures: Figures) -> tuple:
    tenure = figures.tenure
    return (tenure.target.office.casefold(), tenure.target_id, tenure.since or BEGINNING)
