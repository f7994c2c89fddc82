"""A campaign's dashboard in Chromium: accessible, under the site's real CSP, refreshing
itself while open, and whole without JavaScript."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from urgentaction.actions.tallies import count
from urgentaction.actions.tests.browser.helpers import assert_no_axe_violations, screenshot
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.staff import views
from urgentaction.staff.tests.browser.conftest import staff_page_in

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(transactional_db) -> Campaign:
    campaign = CampaignFactory(
        title="Free the three journalists", published_at=timezone.now() - timedelta(days=5)
    )
    for hours, channel, source in (
        (1, "email", "newsletter"),
        (30, "post", ""),
        (100, "email", "radio"),
    ):
        action = ActionFactory(campaign=campaign, channel=channel, source=source)
        count(action, "written", "confirmed", at=timezone.now() - timedelta(hours=hours))
    return campaign


def dashboard_url(live_server, campaign: Campaign) -> str:
    return f"{live_server.url}/admin/dashboard/{campaign.slug}/"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_is_accessible(staff_page: Page, live_server, campaign, width) -> None:
    page = staff_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(dashboard_url(live_server, campaign))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dashboard: Free the three journalists"
    )
    for title in ("Letters each day since publishing", "From written to delivered", "Targets"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("img", name="How letters were sent")).to_be_visible()
    page.get_by_text("Show the numbers").first.click()
    assert_no_axe_violations(page, f"the dashboard at {width} px")
    screenshot(page, f"staff-dashboard-{width}")


def test_the_dashboard_refreshes_itself_under_the_sites_csp(
    strict_staff_page: Page, csp_violations: list[str], live_server, campaign, monkeypatch
) -> None:
    monkeypatch.setattr(views, "REFRESH_SECONDS", 1)
    page = strict_staff_page
    page.goto(dashboard_url(live_server, campaign))
    summary = page.locator("#chart-path-summary")
    expect(summary).to_contain_text("3 written,")

    count(ActionFactory(campaign=campaign), "written")

    expect(summary).to_contain_text("4 written,", timeout=5_000)
    page.get_by_role("button", name="Stop updating").click()
    expect(page.get_by_role("button", name="Update every 1 seconds")).to_be_visible()
    assert csp_violations == []


@pytest.fixture
def page_without_js(browser, live_server, transactional_db) -> Iterator[Page]:
    yield from staff_page_in(browser, live_server, java_script_enabled=False)


def test_the_dashboard_works_without_javascript(
    page_without_js: Page, live_server, campaign
) -> None:
    page = page_without_js
    page.goto(dashboard_url(live_server, campaign))
    count(ActionFactory(campaign=campaign), "written")

    page.get_by_role("link", name="Refresh").click()

    expect(page.locator("#chart-path-summary")).to_contain_text("4 written,")
    expect(page.get_by_role("button", name="Stop updating")).to_have_count(0)
    page.get_by_text("Show the numbers").first.click()
    expect(page.get_by_role("table").first).to_be_visible()
