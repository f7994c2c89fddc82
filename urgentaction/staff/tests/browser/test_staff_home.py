"""The staff home in Chromium: accessible, under the site's real CSP, on a phone too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from urgentaction.actions.models import Review
from urgentaction.actions.tallies import count
from urgentaction.actions.tests.browser.helpers import assert_no_axe_violations, screenshot
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_site(transactional_db) -> None:
    campaign = CampaignFactory(title="Free the three journalists", action_count=40)
    for hours in (2, 30, 80):
        when = timezone.now() - timedelta(hours=hours)
        count(ActionFactory(campaign=campaign), "confirmed", at=when)
    ActionFactory(campaign=campaign, review=Review.HELD)
    CampaignFactory(title="An old case", deadline=timezone.localdate() - timedelta(days=3))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_staff_home_is_accessible(staff_page: Page, live_server, busy_site, width) -> None:
    page = staff_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    expect(page.get_by_role("link", name="1 letter waiting for review")).to_be_visible()
    expect(page.get_by_role("link", name="Free the three journalists")).to_be_visible()
    week = page.get_by_role("img", name="Letters on each of the last 7 days:")
    expect(week.first).to_be_visible()
    assert_no_axe_violations(page, f"the staff home at {width} px")
    screenshot(page, f"staff-home-{width}")


def test_the_staff_home_keeps_to_the_sites_content_security_policy(
    strict_staff_page: Page, csp_violations: list[str], live_server, busy_site
) -> None:
    page = strict_staff_page
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="1 letter waiting for review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Letters held for review")
    assert csp_violations == []
