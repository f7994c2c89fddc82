"""The live campaigns on the staff home: letters today and in total, the deadline, and
the last seven days, from the hourly counters (never the letters themselves)."""

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from urgentaction.actions.counts import LetterCount, Stage
from urgentaction.campaigns.models import Campaign
from urgentaction.staff import charts, periods

WEEK = 7


@dataclass(frozen=True)
class LiveCampaign:
    campaign: Campaign
    today: int
    week: list[tuple[date, int]]

    @property
    def sparkline(self) -> list[charts.Bar]:
        return charts.sparkline([letters for _day, letters in self.week])

    @property
    def week_text(self) -> str:
        days = ", ".join(f"{date_format(day, 'D j M')}: {letters:,}" for day, letters in self.week)
        return _("Letters on each of the last 7 days: %(days)s") % {"days": days}


def live_campaigns(request: HttpRequest) -> list[LiveCampaign]:
    if not request.user.has_perm("campaigns.view_campaign"):
        return []
    campaigns = list(Campaign.objects.live().most_urgent_first())
    days = periods.last_days(WEEK)
    counted = (
        LetterCount.objects.filter(campaign__in=campaigns, stage=Stage.CONFIRMED)
        .since(periods.start_of_day(days[0]))
        .totals("campaign", "hour")
    )
    letters = periods.per_day(counted, by="campaign")
    return [
        LiveCampaign(
            campaign=campaign,
            today=letters[(campaign.pk, days[-1])],
            week=[(day, letters[(campaign.pk, day)]) for day in days],
        )
        for campaign in campaigns
    ]
