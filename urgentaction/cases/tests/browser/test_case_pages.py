"""A case's pages, and the page that stops its notices, checked with axe-core and for
requests to other hosts."""

import re

import pytest
from playwright.sync_api import Page, expect

from urgentaction.actions.tests.browser.helpers import (
    assert_no_axe_violations,
    assert_only_the_live_server,
)
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.cases.links import stop_url
from urgentaction.cases.models import CaseOptOut

pytestmark = pytest.mark.browser


def test_a_follow_up_links_the_case_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    case = CampaignFactory(title="Free the three")
    case.status = Campaign.Status.CLOSED
    case.save()
    follow_up = CampaignFactory(follow_up_of=case, title="The three are sentenced")

    page.goto(live_server.url + follow_up.get_absolute_url())

    expect(page.locator(".tag")).to_have_text(f"Further information on {case.reference} · FI 1")
    timeline = page.get_by_role("navigation", name=f"The case so far: {case.reference}")
    expect(timeline.get_by_role("link")).to_have_text(["Free the three"])
    assert_no_axe_violations(page, "a follow-up's page")
    timeline.get_by_role("link", name="Free the three").click()
    expect(page.get_by_role("link", name="The three are sentenced").first).to_be_visible()
    assert_no_axe_violations(page, "a closed case's page with a follow-up")
    assert_only_the_live_server(requested_urls, live_server)


def test_a_supporter_stops_a_cases_notices_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    case = CampaignFactory(title="Free the three")
    supporter = SupporterFactory()
    ActionFactory(campaign=case, supporter=supporter)
    url = re.sub(r"^https?://[^/]+", live_server.url, stop_url(supporter, case))

    page.goto(url)
    assert_no_axe_violations(page, "the page to stop a case's notices")
    page.get_by_role("button", name="Hear no more about this case").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will hear no more about this case"
    )
    assert_no_axe_violations(page, "the page after stopping a case's notices")
    assert CaseOptOut.objects.filter(supporter=supporter, case=case).exists()
    page.goto(live_server.url + "/cases/stop/forged-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert_no_axe_violations(page, "a stop link that does not work")
    assert_only_the_live_server(requested_urls, live_server)
