"""A campaign's code for other sites' pages is copied whole with one button, under the
staff pages' real Content-Security-Policy, and the button says it was."""

import pytest
from playwright.sync_api import Page, expect

from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.browser


def test_the_code_for_other_sites_copies_with_one_button(
    strict_staff_page: Page, live_server, csp_violations: list[str]
) -> None:
    campaign = CampaignFactory(slug="free-them")
    page = strict_staff_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + f"/admin/campaigns/campaign/{campaign.pk}/change/")

    page.get_by_role("button", name="Copy the code").click()

    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_text(
        "Copied: paste it into the page."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_role("textbox", name="Code for the page in English").input_value()
    assert 'data-action="free-them" async></script>' in copied
    assert csp_violations == []
