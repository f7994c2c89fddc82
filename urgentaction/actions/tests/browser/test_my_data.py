"""A supporter sees and erases their data in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from urgentaction.actions.tests.browser.helpers import (
    EMAIL,
    assert_no_axe_violations,
    assert_only_the_live_server,
    write_letter,
)
from urgentaction.campaigns.models import Campaign
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.browser


def test_it_opens_the_data_once_and_asks_before_erasing_it(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign
) -> None:
    write_letter(page, live_server.url + campaign.get_absolute_url())
    page.goto(live_server.url + "/my-data/")
    page.get_by_label("Email address").fill(EMAIL)
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a link").click()
    answer_my_data_requests()  # as the worker does within seconds
    sent = OutboundEmail.objects.get(kind="my_data_link")
    link = re.search(r"http://[^/\s]+(/my-data/[^\s/]+/)", sent.text).group(1)

    # Opening the link shows a button; pressing it opens the data.
    page.goto(live_server.url + link)
    assert_no_axe_violations(page, "the page a data link opens")
    with page.expect_navigation():
        page.get_by_role("button", name="Show my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything we hold about you")
    expect(page.get_by_text(re.compile(r"^Written on \d+ \w+ \d{4}, \d\d:\d\d"))).to_be_visible()
    assert_no_axe_violations(page, "the data page")

    # Erasing asks first, saying what goes and what stays.
    page.get_by_role("link", name="Erase my data…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase your data?")
    expect(page.get_by_role("heading", name="What stays")).to_be_visible()
    assert_no_axe_violations(page, "the page that asks before erasing")
    page.get_by_role("link", name="No, keep my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything we hold about you")
    assert Supporter.objects.get().email == EMAIL

    page.get_by_role("link", name="Erase my data…").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data has been erased")
    assert_no_axe_violations(page, "the page after erasing")
    assert Supporter.objects.get().email == ""

    # The emailed link, used, opens nothing.
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert_only_the_live_server(requested_urls, live_server)
