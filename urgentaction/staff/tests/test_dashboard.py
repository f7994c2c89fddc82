import csv
import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from urgentaction.actions.models import Delivery
from urgentaction.actions.tallies import count, letter_failed, letters_sent
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.privacy.rights import erase_supporter
from urgentaction.staff.tests.conftest import user_with

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Published at 09:00 in London on Monday 6 July 2026 (summer time: 08:00 UTC).
PUBLISHED = datetime(2026, 7, 6, 9, 0, tzinfo=LONDON)
# Looked at on Friday 10 July at noon: past the first 72 hours.
NOW = datetime(2026, 7, 10, 12, 0, tzinfo=LONDON)


def url(campaign: Campaign) -> str:
    return reverse("admin:staff_dashboard", args=[campaign.slug])


def letter(campaign, *stages: str, at: datetime, channel: str = "email", source: str = ""):
    action = ActionFactory(campaign=campaign, channel=channel, source=source, created_at=at)
    count(action, *stages, at=at)
    return action


@pytest.fixture
def campaign(settings):
    settings.TIME_ZONE = "Europe/London"
    target = TargetFactory(office="Foreign Secretary", holder="", hourly_cap=30)
    campaign = CampaignFactory(title="Free them", targets=[target], published_at=PUBLISHED)
    # Monday: two letters in the first hour, one confirmed and delivered, one only written.
    first = letter(campaign, "written", "confirmed", "signed_up", at=PUBLISHED, source="radio")
    count(first, "delivered", at=PUBLISHED + timedelta(minutes=20))
    letter(campaign, "written", at=PUBLISHED + timedelta(minutes=30), source="radio")
    # 23:30 on Tuesday in London is 22:30 UTC: still Tuesday.
    letter(
        campaign,
        "written",
        "confirmed",
        at=datetime(2026, 7, 7, 23, 30, tzinfo=LONDON),
        channel="post",
        source="newsletter",
    )
    # 00:30 on Thursday in London is 23:30 UTC on Wednesday: Thursday.
    letter(
        campaign,
        "written",
        "held",
        "rejected",
        at=datetime(2026, 7, 9, 0, 30, tzinfo=LONDON),
        source="newsletter",
    )
    return campaign


@pytest.fixture
def dashboard(campaigner_client, campaign):
    with time_machine.travel(NOW, tick=False):
        return campaigner_client.get(url(campaign)).context


def chart(context, key: str):
    return next(c for c in context["charts"] if c.key == key)


def test_an_outsider_is_refused(outsider_client, client, campaign):
    for visitor in (outsider_client, client):
        response = visitor.get(url(campaign))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_may_not_see_campaigns_are_refused(bare_staff_client, campaign):
    csv_url = reverse("admin:staff_dashboard_csv", args=[campaign.slug, "daily"])

    assert bare_staff_client.get(url(campaign)).status_code == 403
    assert bare_staff_client.get(csv_url).status_code == 403


def test_an_unknown_campaign_or_chart_is_not_found(campaigner_client, campaign):
    assert campaigner_client.get("/admin/dashboard/no-such-campaign/").status_code == 404
    csv_url = reverse("admin:staff_dashboard_csv", args=[campaign.slug, "nothing"])
    assert campaigner_client.get(csv_url).status_code == 404


def test_it_shows_the_first_72_hours_hour_by_hour(dashboard):
    hourly = chart(dashboard, "hourly")

    assert len(hourly.rows) == 72
    assert hourly.headers == ["Hour", "Written", "Confirmed", "Delivered"]
    assert hourly.rows[0] == ["Mon 09:00", 2, 1, 1]
    assert hourly.rows[38] == ["Tue 23:00", 1, 1, 0]
    assert sum(row[2] for row in hourly.rows) == 2
    assert hourly.summary == (
        "2 letters in the first hours after publishing; the busiest hour was Mon 09:00, with 1."
    )


def test_it_shows_every_day_since_publishing_in_the_sites_time_zone(dashboard):
    daily = chart(dashboard, "daily")

    assert daily.rows == [
        ["2026-07-06", 2, 1, 1],
        ["2026-07-07", 1, 1, 0],
        ["2026-07-08", 0, 0, 0],
        ["2026-07-09", 1, 0, 0],
        ["2026-07-10", 0, 0, 0],
    ]
    assert daily.summary == (
        "Letters yesterday: 0; today so far: 0; the busiest day: 6 Jul, with 1."
    )


def test_a_young_campaign_shows_its_hours_only(campaigner_client, campaign):
    with time_machine.travel(PUBLISHED + timedelta(hours=5), tick=False):
        context = campaigner_client.get(url(campaign)).context

    assert [c.key for c in context["charts"]][:2] == ["hourly", "path"]
    assert len(chart(context, "hourly").rows) == 6


def test_it_follows_a_letter_from_written_to_delivered(dashboard):
    path = chart(dashboard, "path")

    assert path.rows == [
        ["Written", 4, ""],
        ["Confirmed", 2, "50% of those written"],
        ["Delivered", 1, "100% of those confirmed to send by email"],
    ]
    assert path.summary == (
        "4 written, 2 confirmed (50%) and 1 delivered (100% of those we send by email)."
    )


def test_it_counts_letters_by_channel_and_source(dashboard):
    channels = chart(dashboard, "channels")
    sources = chart(dashboard, "sources")

    assert channels.rows == [
        ["Email, sent by us", 1, "50%"],
        ["Their own email app", 0, "0%"],
        ["Printed and posted", 1, "50%"],
    ]
    assert sorted(sources.rows) == [["newsletter", 1, "50%"], ["radio", 1, "50%"]]


def test_it_counts_review_and_sign_ups(dashboard):
    assert chart(dashboard, "review").rows == [
        ["Held for review", 1],
        ["Approved", 0],
        ["Rejected", 1],
        ["Still waiting", 0],
    ]
    signups = chart(dashboard, "signups")
    assert signups.rows[0] == ["2026-07-06", 1]
    assert signups.summary == "1 person asked for updates with their letter (25% of writers)."


def test_many_sources_fold_into_others(campaigner_client, campaign):
    for n in range(10):
        letter(campaign, "confirmed", at=PUBLISHED, source=f"partner {n}")

    sources = chart(campaigner_client.get(url(campaign)).context, "sources")

    assert len(sources.bars) == 9
    assert sources.bars[-1].label == "4 other sources"
    assert len(sources.rows) == 12


def test_each_target_shows_its_queue_its_pace_and_its_failures(campaigner_client, campaign):
    target = campaign.targets.get()
    target.flagged_at = NOW
    target.save()
    for _ in range(3):
        DeliveryFactory(action__campaign=campaign, target=target)
    sent = DeliveryFactory(action__campaign=campaign, target=target, status=Delivery.Status.SENT)
    with time_machine.travel(NOW, tick=False):
        letters_sent([sent])
    letter_failed(sent, bounced=True)
    letter_failed(sent, bounced=False)

    with time_machine.travel(NOW, tick=False):
        [row] = campaigner_client.get(url(campaign)).context["targets"]

    assert (row.target, row.queued, row.sent, row.failed, row.bounced) == (target, 3, 1, 1, 1)
    # Three letters at 30 an hour: the last goes four minutes after the first.
    assert row.clears_at == NOW + timedelta(minutes=4)
    assert row.last_sent_at == NOW


def test_copy_targets_follow_the_targets_marked_as_copies(campaigner_client, campaign):
    ambassador = TargetFactory(office="Ambassador", holder="")
    campaign.copy_targets.add(ambassador)
    DeliveryFactory(action__campaign=campaign, target=ambassador, role="copy")

    with time_machine.travel(NOW, tick=False):
        response = campaigner_client.get(url(campaign))

    rows = response.context["targets"]
    assert [(row.target.office, row.queued, row.copy) for row in rows] == [
        ("Foreign Secretary", 0, False),
        ("Ambassador", 1, True),
    ]
    assert "Ambassador</a> (a copy)" in response.content.decode()


def test_the_page_shows_each_chart_with_its_words_and_its_table(campaigner_client, campaign):
    with time_machine.travel(NOW, tick=False):
        html = campaigner_client.get(url(campaign)).content.decode()

    assert "<title>Dashboard: Free them | " in html
    assert html.count('role="img" aria-labelledby="chart-') == 7
    assert "4 written, 2 confirmed (50%)" in html
    assert '<caption class="visually-hidden">The numbers of “From written to delivered”' in html
    assert reverse("admin:staff_dashboard_csv", args=[campaign.slug, "path"]) in html
    assert 'data-refresh-seconds="30"' in html
    assert "Flagged" not in html and "Working" in html


def test_erasing_a_writer_changes_no_number(campaigner_client, campaign):
    with time_machine.travel(NOW, tick=False):
        before = campaigner_client.get(url(campaign)).context
        erase_supporter(campaign.actions.first().supporter)
        after = campaigner_client.get(url(campaign)).context

    assert [c.rows for c in after["charts"]] == [c.rows for c in before["charts"]]


def test_each_chart_downloads_as_the_csv_of_its_table(campaigner_client, campaign):
    letter(campaign, "confirmed", at=PUBLISHED, source="=cmd|' /C calc'!A0")

    with time_machine.travel(NOW, tick=False):
        response = campaigner_client.get(
            reverse("admin:staff_dashboard_csv", args=[campaign.slug, "sources"])
        )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{campaign.slug}-sources.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Source", "Letters", "Share"]
    assert ["'=cmd|' /C calc'!A0", "1", "33%"] in rows


def test_the_dashboard_takes_a_few_queries_whatever_the_number_of_letters(
    campaigner_client, campaign, django_assert_max_num_queries
):
    for hour in range(200):
        letter(campaign, "written", "confirmed", at=PUBLISHED + timedelta(hours=hour))

    with django_assert_max_num_queries(13):
        campaigner_client.get(url(campaign))


def test_staff_reach_the_dashboard_from_the_campaigns_row_and_page(campaigner_client, campaign):
    changelist = campaigner_client.get(reverse("admin:campaigns_campaign_changelist"))
    page = campaigner_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))

    assert f'<a href="{url(campaign)}">Dashboard</a>' in changelist.content.decode()
    assert f'<a href="{url(campaign)}">Dashboard</a>' in page.content.decode()


def test_it_refuses_a_campaigner_whose_permission_was_taken_away(client, campaign):
    user = user_with("former", ["campaigns.view_campaign"], is_staff=True)
    sign_in_staff(client, user)
    assert client.get(url(campaign)).status_code == 200
    user.user_permissions.clear()

    assert client.get(url(campaign)).status_code == 403
