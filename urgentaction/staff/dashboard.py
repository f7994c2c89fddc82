"""A campaign's dashboard: its letters over time, by channel and by source, the path from
written to delivered, review, sign-ups for updates, and each target's queue. Every number
comes from the hourly counters and the per-target counts (actions/tallies.py), a few
aggregate queries whatever the number of letters."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from urgentaction.actions.counts import LetterCount, Stage, TargetCount
from urgentaction.actions.models import Delivery
from urgentaction.actions.tallies import hour_of
from urgentaction.campaigns.models import Campaign, Channel, Target
from urgentaction.staff import charts, periods
from urgentaction.staff.charts import Chart

# The channels in a campaigner's words (the form's are the supporter's).
CHANNELS = {
    Channel.EMAIL: gettext_lazy("Email, sent by us"),
    Channel.MAIL_APP: gettext_lazy("Their own email app"),
    Channel.POST: gettext_lazy("Printed and posted"),
}
CHANNEL_SENTENCES = {
    Channel.EMAIL: gettext_lazy("sent by email through this site"),
    Channel.MAIL_APP: gettext_lazy("sent from the supporter's own email app"),
    Channel.POST: gettext_lazy("printed and posted"),
}
FIRST_HOURS = 72
MOST_SOURCES = 8
# The stages the time charts and their tables show, in the order of a letter's life.
PATH = (Stage.WRITTEN, Stage.CONFIRMED, Stage.DELIVERED)
# The stages shown hour by hour; of the stages of review only the totals are shown.
OVER_TIME = (*PATH, Stage.SIGNED_UP)
REVIEW = (Stage.HELD, Stage.APPROVED, Stage.REJECTED)


@dataclass(frozen=True)
class TargetRow:
    target: Target
    queued: int
    clears_at: datetime | None
    sent: int
    failed: int
    bounced: int
    last_sent_at: datetime | None
    # A copy target: it gets a copy of each letter.
    copy: bool = False


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else _("none")


def _number(value: int) -> str:
    return f"{value:,}"


class Dashboard:
    """What the dashboard shows of one campaign, read once when it is made."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.now = timezone.now()
        self.published = campaign.published_at or campaign.created_at
        counts = LetterCount.objects.filter(campaign=campaign)
        self.hours: dict[datetime, Counter] = defaultdict(Counter)
        self.stages: Counter = Counter()
        for row in counts.filter(stage__in=OVER_TIME).totals("stage", "hour"):
            self.hours[row["hour"]][row["stage"]] += row["total"]
            self.stages[row["stage"]] += row["total"]
        for row in counts.filter(stage__in=REVIEW).totals("stage"):
            self.stages[row["stage"]] += row["total"]
        self.days: dict = defaultdict(Counter)
        for hour, stages in self.hours.items():
            self.days[periods.local_day(hour)].update(stages)
        self.all_days = periods.days_between(
            periods.local_day(self.published), timezone.localdate()
        )
        # Letters that count, by how they were sent and where they came from.
        self.channels: Counter = Counter()
        self.sources: Counter = Counter()
        for row in counts.filter(stage=Stage.CONFIRMED).totals("channel", "source"):
            self.channels[row["channel"]] += row["total"]
            self.sources[row["source"]] += row["total"]

    # -- over time ------------------------------------------------------------------------

    def hourly(self) -> Chart:
        """The first 72 hours after publishing, hour by hour."""
        first = hour_of(self.published)
        last = min(first + timedelta(hours=FIRST_HOURS - 1), hour_of(self.now))
        hours = []
        moment = first
        while moment <= last:
            hours.append(moment)
            moment += timedelta(hours=1)
        label = lambda hour: date_format(timezone.localtime(hour), "D H:i")  # noqa: E731
        points = [(label(hour), self.hours[hour][Stage.CONFIRMED]) for hour in hours]
        total = sum(value for _label, value in points)
        busiest = max(points, key=lambda point: point[1], default=("", 0))
        summary = (
            ngettext(
                "%(total)s letter in the first hours after publishing; the busiest hour was "
                "%(hour)s, with %(most)s.",
                "%(total)s letters in the first hours after publishing; the busiest hour "
                "was %(hour)s, with %(most)s.",
                total,
            )
            % {"total": _number(total), "hour": busiest[0], "most": _number(busiest[1])}
            if total
            else _("No letters in the first hours after publishing.")
        )
        chart = Chart(
            key="hourly",
            title=_("Letters each hour, for the first 72 hours"),
            summary=summary,
            headers=[_("Hour"), *self._path_headers()],
            rows=[[label(hour), *self._path(self.hours[hour])] for hour in hours],
        )
        return charts.columns(chart, points)

    def daily(self) -> Chart:
        """Every day since publishing."""
        days, per_day = self.all_days, self.days
        label = lambda day: date_format(day, "j M")  # noqa: E731
        points = [(label(day), per_day[day][Stage.CONFIRMED]) for day in days]
        today = per_day[days[-1]][Stage.CONFIRMED]
        yesterday = per_day[days[-2]][Stage.CONFIRMED] if len(days) > 1 else 0
        busiest = max(points, key=lambda point: point[1], default=("", 0))
        summary = _(
            "Letters yesterday: %(yesterday)s; today so far: %(today)s; the busiest day: "
            "%(day)s, with %(most)s."
        ) % {
            "yesterday": _number(yesterday),
            "today": _number(today),
            "day": busiest[0],
            "most": _number(busiest[1]),
        }
        chart = Chart(
            key="daily",
            title=_("Letters each day since publishing"),
            summary=summary,
            headers=[_("Day"), *self._path_headers()],
            rows=[[day.isoformat(), *self._path(per_day[day])] for day in days],
        )
        return charts.columns(chart, points)

    def _path_headers(self) -> list[str]:
        return [str(Stage(stage).label) for stage in PATH]

    def _path(self, stages: Counter) -> list[int]:
        return [stages[stage] for stage in PATH]

    def shows_days(self) -> bool:
        return self.now - self.published > timedelta(hours=FIRST_HOURS)

    # -- how and where from ---------------------------------------------------------------

    def by_channel(self) -> Chart:
        total = self.stages[Stage.CONFIRMED]
        points = [(str(label), self.channels[channel]) for channel, label in CHANNELS.items()]
        most = max(CHANNELS, key=lambda channel: self.channels[channel])
        chart = Chart(
            key="channels",
            title=_("How letters were sent"),
            summary=(
                _("Most letters, %(share)s, were %(how)s.")
                % {
                    "share": share(self.channels[most], total),
                    "how": CHANNEL_SENTENCES[most],
                }
                if total
                else _("No letters yet.")
            ),
            headers=[_("How"), _("Letters"), _("Share")],
            rows=[[label, value, share(value, total)] for label, value in points],
        )
        return charts.rows(
            chart,
            [(label, value, f"{value:,} ({share(value, total)})") for label, value in points],
        )

    def by_source(self) -> Chart:
        total = self.stages[Stage.CONFIRMED]
        named = self.sources.most_common()
        shown, rest = named[:MOST_SOURCES], named[MOST_SOURCES:]
        points = [(source or _("No source given"), value) for source, value in shown]
        if rest:
            points.append(
                (
                    ngettext("%(count)s other source", "%(count)s other sources", len(rest))
                    % {"count": len(rest)},
                    sum(value for _source, value in rest),
                )
            )
        chart = Chart(
            key="sources",
            title=_("Where letters came from"),
            summary=(
                _("Most letters came from “%(source)s”: %(count)s, %(share)s of them.")
                % {
                    "source": points[0][0],
                    "count": _number(points[0][1]),
                    "share": share(points[0][1], total),
                }
                if total and points
                else _("No letters yet.")
            ),
            headers=[_("Source"), _("Letters"), _("Share")],
            rows=[[source or "", value, share(value, total)] for source, value in named],
        )
        return charts.rows(
            chart, [(label, value, f"{value:,} ({share(value, total)})") for label, value in points]
        )

    # -- the path of a letter -------------------------------------------------------------

    def path(self) -> Chart:
        written = self.stages[Stage.WRITTEN]
        confirmed = self.stages[Stage.CONFIRMED]
        delivered = self.stages[Stage.DELIVERED]
        by_email = self.channels[Channel.EMAIL]
        steps = [
            (_("Written"), written, ""),
            (_("Confirmed"), confirmed, share(confirmed, written)),
            (_("Delivered"), delivered, share(delivered, by_email)),
        ]
        rates = ["", _("of those written"), _("of those confirmed to send by email")]
        chart = Chart(
            key="path",
            title=_("From written to delivered"),
            summary=(
                _(
                    "%(written)s written, %(confirmed)s confirmed (%(c_share)s) and "
                    "%(delivered)s delivered (%(d_share)s of those we send by email)."
                )
                % {
                    "written": _number(written),
                    "confirmed": _number(confirmed),
                    "c_share": share(confirmed, written),
                    "delivered": _number(delivered),
                    "d_share": share(delivered, by_email),
                }
                if written
                else _("No letters yet.")
            ),
            headers=[_("Stage"), _("Letters"), _("Rate")],
            rows=[
                [step, value, f"{rate} {of}" if rate else ""]
                for (step, value, rate), of in zip(steps, rates, strict=True)
            ],
        )
        return charts.rows(
            chart,
            [
                (str(step), value, f"{value:,} ({rate})" if rate else f"{value:,}")
                for step, value, rate in steps
            ],
        )

    def review(self) -> Chart:
        held = self.stages[Stage.HELD]
        approved = self.stages[Stage.APPROVED]
        rejected = self.stages[Stage.REJECTED]
        waiting = max(held - approved - rejected, 0)
        points = [
            (_("Held for review"), held),
            (_("Approved"), approved),
            (_("Rejected"), rejected),
            (_("Still waiting"), waiting),
        ]
        chart = Chart(
            key="review",
            title=_("Letters held for review"),
            summary=(
                ngettext(
                    "%(held)s letter was held for review: %(approved)s approved, "
                    "%(rejected)s rejected, %(waiting)s still waiting.",
                    "%(held)s letters were held for review: %(approved)s approved, "
                    "%(rejected)s rejected, %(waiting)s still waiting.",
                    held,
                )
                % {
                    "held": _number(held),
                    "approved": _number(approved),
                    "rejected": _number(rejected),
                    "waiting": _number(waiting),
                }
                if held
                else _("No letter was held for review.")
            ),
            headers=[_("Review"), _("Letters")],
            rows=[[str(label), value] for label, value in points],
        )
        return charts.rows(chart, [(str(label), value, f"{value:,}") for label, value in points])

    def signups(self) -> Chart:
        days = self.all_days
        per_day = Counter({day: stages[Stage.SIGNED_UP] for day, stages in self.days.items()})
        total = self.stages[Stage.SIGNED_UP]
        written = self.stages[Stage.WRITTEN]
        chart = Chart(
            key="signups",
            title=_("Sign-ups for updates"),
            summary=ngettext(
                "%(total)s person asked for updates with their letter (%(share)s of writers).",
                "%(total)s people asked for updates with their letter (%(share)s of writers).",
                total,
            )
            % {"total": _number(total), "share": share(total, written)},
            headers=[_("Day"), _("Asked for updates")],
            rows=[[day.isoformat(), per_day[day]] for day in days],
        )
        return charts.columns(chart, [(date_format(day, "j M"), per_day[day]) for day in days])

    def charts(self) -> list[Chart]:
        over_time = [self.hourly(), *([self.daily()] if self.shows_days() else [])]
        return [
            *over_time,
            self.path(),
            self.by_channel(),
            self.by_source(),
            self.review(),
            self.signups(),
        ]

    def chart(self, key: str) -> Chart | None:
        makers = {
            "hourly": self.hourly,
            "daily": self.daily,
            "path": self.path,
            "channels": self.by_channel,
            "sources": self.by_source,
            "review": self.review,
            "signups": self.signups,
        }
        return makers[key]() if key in makers else None

    # -- targets --------------------------------------------------------------------------

    def targets(self) -> list[TargetRow]:
        """Each target's queue (every campaign's letters wait in the same one) and when it
        will clear at its pace, and this campaign's letters sent, failed and bounced; then
        the same of each copy target."""
        copies = list(self.campaign.copy_targets.all())
        targets = [*self.campaign.targets.all(), *copies]
        queued = dict(
            Delivery.objects.queued()
            .filter(target__in=targets)
            .order_by()
            .values_list("target")
            .annotate(count=Count("pk"))
        )
        counts = {
            count.target_id: count
            for count in TargetCount.objects.filter(campaign=self.campaign, target__in=targets)
        }
        rows = []
        for target in targets:
            waiting = queued.get(target.pk, 0)
            start = max(target.next_send_at or self.now, self.now)
            count = counts.get(target.pk, TargetCount())
            rows.append(
                TargetRow(
                    target=target,
                    queued=waiting,
                    clears_at=target.queue_finish(start, waiting) if waiting else None,
                    sent=count.sent,
                    failed=count.failed,
                    bounced=count.bounced,
                    last_sent_at=count.last_sent_at,
                    copy=target in copies,
                )
            )
        return rows
