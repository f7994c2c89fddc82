"""How the public pages are laid out: room around the content, and on a phone."""

import pytest
from playwright.sync_api import Page

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
