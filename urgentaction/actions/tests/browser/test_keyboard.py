"""The campaign page by keyboard, and the size of what a finger must hit."""

import pytest
from playwright.sync_api import Page

from urgentaction.actions.tests.browser.helpers import (
    FOCUSED,
    MARK_TAB_STOPS,
)
from urgentaction.campaigns.models import Campaign

pytestmark = pytest.mark.browser


def test_it_lets_the_keyboard_reach_everything_on_the_campaign_page_with_focus_shown(
    page: Page, live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + campaign.get_absolute_url())
    stops = page.evaluate(MARK_TAB_STOPS)

    reached: set[str] = set()
    unseen_focus: list[str] = []

    def note_focus() -> dict | None:
        """What has focus, if it is something not reached before."""
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["stop"] in reached:
            return None
        if not (focused["indicator"] and focused["inViewport"]):
            unseen_focus.append(focused["description"])
        reached.add(focused["stop"])
        return focused

    for _ in range(2 * len(stops) + 5):
        page.keyboard.press("Tab")
        focused = note_focus()
        if focused is None:  # past the end of the page, or back at its start
            break
        if focused["radioGroup"]:
            # Tab stops once in a group of radios; the arrow keys move within it.
            group = page.locator(f"input[type=radio][name='{focused['radioGroup']}']")
            for _ in range(group.count() - 1):
                page.keyboard.press("ArrowDown")
                note_focus()
    else:
        pytest.fail("Tab never left the page or came back to where it started")

    missed = [description for i, description in enumerate(stops) if str(i) not in reached]
    assert not missed, "Tab never reached:\n" + "\n".join(missed)
    assert not unseen_focus, "focus could not be seen on:\n" + "\n".join(unseen_focus)


def test_it_gives_radios_checkboxes_and_the_send_button_a_big_enough_target(
    page: Page, live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + campaign.get_absolute_url())
    targets = page.locator("input[type=radio], input[type=checkbox], button[type=submit]")
    assert targets.count() >= 5  # three ways to send, the sign-up box and the button

    too_small = []
    for target in targets.all():
        if not target.is_visible():
            continue
        box = target.bounding_box()
        if box["width"] < 24 or box["height"] < 24:
            too_small.append(f"{target.evaluate('el => el.outerHTML')}: {box}")
    assert not too_small, "targets smaller than 24 by 24 CSS px:\n" + "\n".join(too_small)
