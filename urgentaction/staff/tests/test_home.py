import re
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Delivery, Review
from urgentaction.actions.tallies import count
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.privacy.rights import erase_supporter

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def text_of(response) -> str:
    """The page's visible words, tags dropped and spaces collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def sections(response) -> list[str]:
    return [section["name"] for section in response.context["app_list"]]


def test_it_carries_the_organisations_name_not_djangos(campaigner_client):
    response = campaigner_client.get(HOME)

    html = response.content.decode()
    assert f'<div id="site-name"><a href="{HOME}">{settings.ORG_NAME}</a></div>' in html
    assert f"<title>Staff home | {settings.ORG_NAME} staff</title>" in html
    assert "Django" not in text_of(response)


def test_superusers_see_every_section_in_a_campaigners_words(superuser_client):
    response = superuser_client.get(HOME)

    assert sections(response) == [
        "Campaigns",
        "Letters",
        "Supporters and consent",
        "Updates",
        "Printed letters",
        "Settings",
        "System",
    ]
    letters = next(s for s in response.context["app_list"] if s["name"] == "Letters")
    assert [(m["name"], m["admin_url"]) for m in letters["models"]][:2] == [
        ("All letters", reverse("admin:actions_action_changelist")),
        ("Held for review", reverse("admin:actions_action_changelist") + "?review__exact=held"),
    ]
    system = next(s for s in response.context["app_list"] if s["name"] == "System")
    # Task results are kept by the database backend; RQ (with REDIS_URL) keeps its own.
    tasks = [] if settings.REDIS_URL else ["Background task results"]
    assert [m["name"] for m in system["models"]] == [
        "Audit log",
        "Authenticator devices",
        *tasks,
    ]


def test_the_system_section_is_for_superusers_only(campaigner_client):
    response = campaigner_client.get(HOME)

    assert sections(response) == ["Campaigns", "Letters", "Updates"]
    assert "Audit log" not in response.content.decode()


def test_the_navigation_follows_staff_to_every_admin_page(superuser_client):
    response = superuser_client.get(reverse("admin:actions_delivery_changelist"))

    assert [app["name"] for app in response.context["available_apps"]][:2] == [
        "Campaigns",
        "Letters",
    ]
    # An app's own page still lists that app's models.
    app_page = superuser_client.get(reverse("admin:app_list", args=["actions"]))
    assert [app["app_label"] for app in app_page.context["app_list"]] == ["actions"]


def test_staff_without_permissions_see_no_lists_and_no_counts(bare_staff_client):
    ActionFactory(review=Review.HELD)

    response = bare_staff_client.get(HOME)

    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert response.context["alerts"] == []
    assert "Live campaigns" not in response.content.decode()


def test_an_outsider_is_refused(outsider_client, client):
    for visitor in (outsider_client, client):
        response = visitor.get(HOME)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_nothing_to_do_says_so(campaigner_client):
    response = campaigner_client.get(HOME)

    assert "Nothing needs your attention now." in text_of(response)
    assert "No campaign is live." in text_of(response)


def test_each_alert_says_how_many_how_long_and_links_to_its_list(campaigner_client):
    now = timezone.now()
    held = ActionFactory(review=Review.HELD, created_at=now - timedelta(hours=3))
    ActionFactory(review=Review.HELD, created_at=now - timedelta(minutes=5))
    TargetFactory(flagged_at=now - timedelta(days=2))
    DeliveryFactory(
        status=Delivery.Status.PENDING, attempts=2, first_attempt_at=now - timedelta(hours=5)
    )
    DeliveryFactory(status=Delivery.Status.PENDING, attempts=0)
    CampaignFactory(deadline=timezone.localdate() - timedelta(days=4))
    CampaignFactory(deadline=timezone.localdate() - timedelta(days=1), status="closed")

    response = campaigner_client.get(HOME)

    alerts = [(a.text, a.detail) for a in response.context["alerts"]]
    assert alerts == [
        ("2 letters waiting for review", "The oldest has waited 3\xa0hours."),
        ("1 target whose address keeps failing", "The first was flagged 2\xa0days ago."),
        ("1 letter failing to send, being tried again", "The oldest first failed 5\xa0hours ago."),
        ("1 campaign past its deadline but still live", "The oldest deadline passed 4 days ago."),
    ]
    listed = {
        alert.text: campaigner_client.get(alert.url).context["cl"]
        for alert in response.context["alerts"]
    }
    assert listed["2 letters waiting for review"].result_count == 2
    assert held in listed["2 letters waiting for review"].result_list
    assert listed["1 target whose address keeps failing"].result_count == 1
    assert listed["1 letter failing to send, being tried again"].result_count == 1
    assert listed["1 campaign past its deadline but still live"].result_count == 1


def test_an_update_being_sent_shows_its_progress(campaigner_client):
    update = Update.objects.create(
        campaign=CampaignFactory(), subject="They are free", body="Thank you.", status="sending"
    )
    for status in ("sent", "sent", "pending"):
        OutboundEmail.objects.create(
            kind="update",
            to="a@people.example",
            subject="They are free",
            text="Thank you.",
            update=update,
            status=status,
            message_id=OutboundEmail.new_message_id("updates@rights.example"),
        )

    response = campaigner_client.get(HOME)

    [alert] = response.context["alerts"]
    assert (alert.text, alert.detail) == (
        "Sending the update “They are free”",
        "2 of 3 emails sent so far.",
    )
    assert alert.url == reverse("admin:mailings_update_change", args=[update.pk])


@pytest.mark.parametrize("month", [1, 7], ids=["winter, UTC+0", "summer, UTC+1"])
def test_live_campaigns_count_each_letter_on_its_day_in_the_sites_time_zone(
    campaigner_client, settings, month
):
    settings.TIME_ZONE = "Europe/London"
    london = zoneinfo.ZoneInfo("Europe/London")
    campaign = CampaignFactory(title="Free the journalists")
    CampaignFactory(title="A closed case", status=Campaign.Status.CLOSED)
    late = datetime(2026, month, 14, 23, 30, tzinfo=london)
    # In summer, 00:30 in London is 23:30 UTC the day before.
    after_midnight = datetime(2026, month, 15, 0, 30, tzinfo=london)
    for when in (late, after_midnight, late - timedelta(days=2)):
        count(ActionFactory(campaign=campaign), "confirmed", at=when)

    with time_machine.travel(datetime(2026, month, 15, 12, 0, tzinfo=london), tick=False):
        [row] = campaigner_client.get(HOME).context["live_campaigns"]

    assert row.campaign == campaign
    assert row.today == 1
    assert row.week == [
        (date(2026, month, day), letters)
        for day, letters in zip(range(9, 16), [0, 0, 0, 1, 0, 1, 1], strict=True)
    ]


def test_the_live_campaigns_table_shows_the_numbers_and_the_week(campaigner_client):
    campaign = CampaignFactory(
        title="Free the journalists", deadline=date(2026, 12, 1), action_count=1
    )
    action = ActionFactory(campaign=campaign)
    count(action, "confirmed")
    erase_supporter(action.supporter)

    response = campaigner_client.get(HOME)

    row = text_of(response).split("Free the journalists", 1)[1]
    assert row.startswith(" 1 1 1 Dec 2026")
    html = response.content.decode()
    dashboard = reverse("admin:staff_dashboard", args=[campaign.slug])
    assert f'<a href="{dashboard}">Free the journalists</a>' in html
    assert 'aria-label="Letters on each of the last 7 days: ' in html
    assert html.count('<svg class="staff-sparkline"') == 1


def test_the_home_page_takes_a_few_queries_whatever_the_number_of_campaigns(
    campaigner_client, django_assert_max_num_queries
):
    for _ in range(5):
        count(ActionFactory(campaign=CampaignFactory()), "confirmed")

    with django_assert_max_num_queries(14):
        campaigner_client.get(HOME)
