"""How the public pages are laid out: room around the content, and on a phone."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from urgentaction.actions.tests.browser.helpers import assert_no_axe_violations
from urgentaction.campaigns.demo import DEMO_SLUG
from urgentaction.campaigns.models import Campaign

pytestmark = pytest.mark.browser

# Gaps between the header bar, the first and last things in <main>, and the footer.
GAPS = """() => {
    const main = document.querySelector("main");
    const first = main.firstElementChild.getBoundingClientRect();
    const last = main.lastElementChild.getBoundingClientRect();
    return {
        top: first.top - document.querySelector(".site-header").getBoundingClientRect().bottom,
        bottom: document.querySelector(".site-footer").getBoundingClientRect().top - last.bottom,
    };
}"""


@pytest.mark.parametrize("path", ["/", "/updates/", "/my-data/", "campaign"])
@pytest.mark.parametrize("width", [390, 1280])
def test_it_leaves_room_between_the_header_the_content_and_the_footer(
    page: Page, live_server, campaign: Campaign, path: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + (campaign.get_absolute_url() if path == "campaign" else path))

    gaps = page.evaluate(GAPS)

    assert gaps["top"] >= 16, f"the first heading or panel touches the header: {gaps}"
    assert gaps["bottom"] >= 16, f"the last of the page touches the footer: {gaps}"


def test_it_puts_the_ask_and_the_form_within_a_screen_and_a_half_on_a_phone(
    page: Page, live_server, campaign: Campaign
) -> None:
    # The demo's case: a long title, summary and reason to write, as real ones are.
    call_command("load_demo", stdout=StringIO())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/actions/" + DEMO_SLUG + "/")

    def top(locator) -> float:
        return locator.bounding_box()["y"]

    assert top(page.get_by_role("heading", level=1)) < 844
    assert top(page.get_by_role("heading", name="Write your letter")) < 1.5 * 844
    assert top(page.locator("label[for=id_subject]")) < 1.5 * 844  # its first field
    # The full address is folded away, and the story opens in place.
    expect(page.locator(".targets address")).to_be_hidden()
    page.locator(".targets").get_by_text("Show the postal address").click()
    expect(page.locator(".targets address")).to_be_visible()
    story = page.get_by_text("Read the full story")
    story.click()
    expect(story).to_be_in_viewport()
    expect(page.locator(".story blockquote")).to_be_in_viewport()
    # The button to send takes the width of the form.
    form = page.locator("form").filter(has=page.get_by_role("button", name="Send my letter"))
    button = page.get_by_role("button", name="Send my letter")
    assert button.bounding_box()["width"] == form.bounding_box()["width"]
    assert_no_axe_violations(page, "the campaign page on a phone")
