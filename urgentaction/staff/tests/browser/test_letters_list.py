"""The list of letters fits a 1280 px screen beside the navigation and the filters, and
axe finds nothing wrong with it, its filters by state included."""

import pytest
from playwright.sync_api import Page, expect

from urgentaction.actions.tests.browser.helpers import assert_no_axe_violations
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.browser

FITS = """() => {
    const results = document.querySelector("#changelist .results");
    return [document.documentElement.scrollWidth <= innerWidth,
            results.scrollWidth <= results.clientWidth];
}"""


def test_the_list_of_letters_fits_1280_px(staff_page: Page, live_server) -> None:
    campaign = CampaignFactory(
        title="Stop China sending a mother and her four-year-old son back to North Korea"
    )
    for n in range(5):
        action = ActionFactory(
            campaign=campaign, first_name="Maximiliana", last_name=f"Featherstonehaugh-{n}"
        )
        DeliveryFactory(action=action)
    ActionFactory(campaign=campaign, channel="mail_app", confirmed_at=None)
    page = staff_page
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + "/admin/actions/action/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Letters")
    expect(page.get_by_role("cell", name="waiting for confirmation")).to_be_visible()
    assert page.evaluate(FITS) == [True, True]


def test_the_list_of_letters_and_its_filters_are_accessible(staff_page: Page, live_server) -> None:
    DeliveryFactory(action=ActionFactory(first_name="Ada"))
    page = staff_page

    page.goto(live_server.url + "/admin/actions/action/")
    page.get_by_role("link", name="queued", exact=True).click()

    expect(page.get_by_role("cell", name="Ada")).to_be_visible()
    assert_no_axe_violations(page, "the list of queued letters")
