"""The action inside a partner's page, in a real browser: a page served from another
local origin pastes the snippet, and a supporter writes their letter in its frame while
the browser blocks third-party cookies, as more browsers do every year."""

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, Route, expect, sync_playwright

from urgentaction.actions.models import Action
from urgentaction.actions.tests.browser.helpers import (
    ABOUT_YOU,
    AXE_RUN,
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    FIRST_NAME,
    assert_no_axe_violations,
    fill_about_you,
    screenshot,
)
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import in_korean

pytestmark = pytest.mark.browser

# Chromium's switch that blocks third-party cookies as its "phase-out" does; the test
# checks in the frame that they are blocked, whatever the browser's own default.
BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"
# axe-core, served to the frame as if from the site, so that the site's own policy
# (scripts from 'self' only) stays in force while axe checks the page.
AXE_PATH = "/static/test-only/axe.min.js"


@dataclass
class PartnerSite:
    """Another site: a page of its own at ``origin``, which pastes the snippet."""

    origin: str
    pages: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, *, snippet: str, heading: str = "Act with us") -> str:
        self.pages[path] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner: {heading}</title></head>
<body><main><h1>{heading}</h1><p>Our partners ask you to write.</p>
{snippet}
<p>The end of the partner's page.</p></main></body></html>"""
        return self.origin + path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_THIRD_PARTY_COOKIES]
        )
        yield browser
        browser.close()


@pytest.fixture
def partner() -> Iterator[PartnerSite]:
    """The partner's site on 127.0.0.1 (the live server is on localhost: to the browser
    another site, so the frame is a third party's)."""
    site = PartnerSite(origin="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            content = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def partner_page(browser: Browser, live_server) -> Iterator[Page]:
    """A page under every site's real Content-Security-Policy, which records what the
    browser says on its console."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    axe = Path(AXE_SCRIPT).read_text()

    def serve_axe(route: Route) -> None:
        route.fulfill(body=axe, content_type="text/javascript")

    context.route(live_server.url + AXE_PATH, serve_axe)
    yield context.new_page()
    context.close()


@pytest.fixture
def console(partner_page: Page) -> list[str]:
    """What the browser says on the console of the partner's page and its frames."""
    messages: list[str] = []
    partner_page.on("console", lambda message: messages.append(message.text))
    return messages


def snippet(live_server, campaign: Campaign, language: str = "") -> str:
    extra = f' data-language="{language}"' if language else ""
    return (
        f'<script src="{live_server.url}/static/ua/embed.js" '
        f'data-action="{campaign.slug}"{extra} async></script>'
    )


def action_frame(page: Page) -> Frame:
    page.wait_for_selector("iframe")
    frame = page.frame(url=re.compile(r"/embed/actions/"))
    assert frame is not None
    frame.wait_for_load_state()
    return frame


def frame_height(page: Page) -> float:
    return page.locator("iframe").evaluate("frame => frame.getBoundingClientRect().height")


def fits(page: Page, frame: Frame) -> None:
    """The partner's frame grows or shrinks to the page inside it."""
    page.wait_for_function(
        "height => Math.abs(document.querySelector('iframe').getBoundingClientRect().height"
        " - height) < 2",
        arg=frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)"),
    )


def assert_frame_is_accessible(frame: Frame, live_server, where: str) -> None:
    frame.add_script_tag(url=live_server.url + AXE_PATH)
    violations = frame.evaluate(AXE_RUN)
    report = [f"- {v['id']}: {v['help']}" for v in violations]
    assert not violations, f"axe found violations on {where}:\n" + "\n".join(report)


def send(frame: Frame) -> None:
    with frame.expect_navigation():
        frame.get_by_role("button", name="Send my letter").click()


def test_a_supporter_writes_their_letter_inside_a_partners_page_without_cookies(
    partner_page: Page, console: list[str], partner: PartnerSite, live_server, campaign: Campaign
) -> None:
    page = partner_page
    Campaign.objects.filter(pk=campaign.pk).update(
        requires_confirmation=False, embed_origins=[partner.origin]
    )
    page.goto(partner.page("/act", snippet=snippet(live_server, campaign)))
    frame = action_frame(page)

    # The frame is a third party's: the browser keeps no cookie for it.
    assert (
        frame.evaluate("document.cookie = 'probe=1; SameSite=None; Secure'; document.cookie") == ""
    )

    # The page inside says its title and its height, and the frame fits it.
    expect(frame.get_by_role("heading", level=1)).to_have_text(campaign.title)
    expect(page.locator("iframe")).to_have_attribute("title", re.compile(campaign.title))
    fits(page, frame)
    assert frame_height(page) > 1000
    # Only the site's own frame is believed: the partner's page posting the same message
    # to itself (or any other window doing so) never sizes the frame.
    page.evaluate(
        """() => {
            window.heightsSet = [];
            const frame = document.querySelector("iframe");
            new MutationObserver(() => heightsSet.push(frame.style.height))
                .observe(frame, {attributeFilter: ["style"]});
            postMessage({type: "urgent-action:frame", height: 10, scroll: false}, "*");
        }"""
    )
    frame.get_by_text("Read the full story").click()
    fits(page, frame)
    heights = page.evaluate("window.heightsSet")
    assert heights and "10px" not in heights
    assert_frame_is_accessible(frame, live_server, "the action in a partner's page")
    assert_no_axe_violations(page, "the partner's page around the action")
    screenshot(page, "embed-partner-page")

    # Without the first name: the errors come back in the frame, nothing typed is lost.
    fill_about_you(frame)
    send(frame)
    assert frame.title().startswith("Error: ")
    summary = frame.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter your first name")).to_be_visible()
    for label, value in ABOUT_YOU.items():
        expect(frame.get_by_label(label)).to_have_value(value)
    fits(page, frame)
    assert_frame_is_accessible(frame, live_server, "the action's errors in a partner's page")

    # With it, and the proof of work done in the frame, the letter goes at once.
    frame.get_by_label("First name").fill(FIRST_NAME)
    status = frame.get_by_role("status").filter(has_text="this form can be sent")
    expect(status).to_have_text("Done: this form can be sent.")
    send(frame)

    expect(frame.get_by_role("heading", level=1)).to_have_text("Your letter is on its way")
    assert re.search(r"/embed/actions/[\w-]+/thanks/\?state=", frame.url)
    fits(page, frame)
    assert_frame_is_accessible(frame, live_server, "the thank-you page in a partner's page")
    screenshot(page, "embed-thanks")
    action = Action.objects.get()
    # The proof reached the server: the letter did not wait for confirmation.
    assert action.confirmed_at is not None
    assert action.source == f"embed:{partner.origin.removeprefix('http://')}"
    assert action.referrer.startswith(partner.origin)
    assert page.context.cookies() == []
    assert not [message for message in console if "Content Security Policy" in message]


def test_a_site_staff_did_not_allow_cannot_show_the_action(
    partner_page: Page, partner: PartnerSite, live_server, campaign: Campaign
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(embed_origins=["https://elsewhere.example"])

    with partner_page.expect_console_message(
        predicate=lambda message: "frame-ancestors" in message.text
    ):
        partner_page.goto(partner.page("/act", snippet=snippet(live_server, campaign)))

    frame = partner_page.frame(url=re.compile(r"/embed/actions/"))
    assert frame is None or not frame.get_by_role("heading", name=campaign.title).count()


def test_the_action_shows_in_korean_in_a_partners_page(
    partner_page: Page, partner: PartnerSite, live_server, campaign: Campaign
) -> None:
    in_korean(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(embed_origins=[partner.origin])

    partner_page.goto(
        partner.page("/ko", snippet=snippet(live_server, campaign, "ko"), heading="함께해 주십시오")
    )
    frame = action_frame(partner_page)

    expect(frame.locator("html")).to_have_attribute("lang", "ko")
    expect(frame.get_by_role("heading", level=1)).to_have_text(campaign.title_ko)
    fits(partner_page, frame)
    assert_frame_is_accessible(frame, live_server, "the action in Korean in a partner's page")
    screenshot(partner_page, "embed-partner-page-ko")
