"""End to end in a real browser: a supporter writes a letter and it reaches the official.

Playwright drives Debian's Chromium (``/usr/bin/chromium``) against pytest-django's live
server. Without that browser the tests are skipped, except under CI, where they fail.
axe-core comes from ``npm ci`` (package.json).
"""

import os
import re
import signal
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Locator, Page, Request, expect, sync_playwright

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js"
AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', "
    "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    ".then(results => results.violations)"
)
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

FIRST_NAME = "Ada"
EMAIL = "ada@people.example"
# Labels as the supporter sees them, and what they type; first name is kept apart so
# that it can be left out.
ABOUT_YOU = {
    "Last name": "Lovelace",
    "Email address": EMAIL,
    "Address line 1": "1 High Street",
    "Town or city": "Leeds",
    "Postcode": "LS1 1AA",
    "Country": "United Kingdom",
}
LETTER_SENTENCE = "Please act to stop this deportation."


# Fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (Debian package: chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests must run under CI.", pytrace=False)
        pytest.skip(f"{message}; skipping the browser tests.")
    # Playwright's sync API keeps its event loop marked as running in this thread, which
    # Django takes for an async context and refuses the ORM in. Nothing runs on that loop
    # while the test's own code does, so allow it, for as long as Playwright is up.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser: Browser, **context_options: object) -> Iterator[Page]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser)


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, java_script_enabled=False)


@pytest.fixture
def requested_urls(page: Page) -> list[str]:
    """Every URL the page requests, for the whole test."""
    urls: list[str] = []

    def record(request: Request) -> None:
        urls.append(request.url)

    page.on("request", record)
    return urls


@pytest.fixture
def campaign(transactional_db: None) -> Campaign:
    # The live server runs in another thread: its data must be committed, not in a
    # test transaction, hence transactional_db.
    return CampaignFactory()


# Helpers ----------------------------------------------------------------------------


def fill_about_you(page: Page) -> None:
    for label, value in ABOUT_YOU.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Send it for me by email").check()


def letter_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Letter", exact=True)


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()


def assert_no_axe_violations(page: Page, where: str) -> None:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` at the repository root.")
    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(AXE_RUN)
    report = [
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in v["nodes"])
        for v in violations
    ]
    assert not violations, f"axe found violations on {where}:\n" + "\n".join(report)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def run_worker() -> str:
    """Deliver everything due, in this process. The worker installs its own SIGINT and
    SIGTERM handlers; put pytest's back afterwards so that Ctrl-C still works."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        call_command("worker", "--until-idle", stdout=out)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
    return out.getvalue()


# Tests ------------------------------------------------------------------------------


def test_it_takes_a_supporter_from_the_campaign_page_to_a_delivered_letter(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign, smtp_server
) -> None:
    campaign_url = live_server.url + campaign.get_absolute_url()
    server = urlsplit(live_server.url).netloc

    # The campaign page loads, with its own stylesheet and script only.
    page.goto(campaign_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert any(url.endswith("/ua/site.css") for url in requested_urls)
    assert any(url.endswith("/ua/enhance.js") for url in requested_urls)

    # The first Tab reaches the skip link, and focus on it can be seen.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()
    indicator = focused.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== "none";
        }"""
    )
    assert indicator, "the focused skip link has neither an outline nor a box-shadow"

    assert_no_axe_violations(page, "the campaign page")
    screenshot(page, "campaign")

    # Everything but the first name: the errors are summarised, and nothing typed is lost.
    expect(page.get_by_label("Subject")).not_to_be_empty()
    expect(letter_box(page)).to_have_value(re.compile(re.escape(LETTER_SENTENCE)))
    fill_about_you(page)
    submit(page)

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your first name")).to_be_visible()
    for label, value in ABOUT_YOU.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("Send it for me by email")).to_be_checked()
    expect(letter_box(page)).to_have_value(re.compile(re.escape(LETTER_SENTENCE)))
    assert_no_axe_violations(page, "the campaign page showing errors")

    # With the first name the letter is taken, and waits for the supporter to confirm.
    page.get_by_label("First name").fill(FIRST_NAME)
    submit(page)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your inbox to send your letter"
    )
    assert_no_axe_violations(page, "the thank-you page asking to confirm")
    assert "Tried 1 deliveries." in run_worker()
    [confirmation] = smtp_server.messages
    assert [address.addr_spec for address in confirmation["To"].addresses] == [EMAIL]
    link = re.search(r"http://\S+(/confirm/\S+/)", confirmation.get_body(("plain",)).get_content())

    # The link opens a page with a button; pressing it sends the letter.
    page.goto(live_server.url + link.group(1))
    assert_no_axe_violations(page, "the confirmation page")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is on its way")
    expect(
        page.get_by_text(f"from “{FIRST_NAME} Lovelace via {settings.ORG_NAME}”")
    ).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page")
    screenshot(page, "thanks")

    offsite = [url for url in requested_urls if urlsplit(url).netloc != server]
    assert not offsite, f"the pages requested other hosts than {server}: {offsite}"

    # The worker emails the letter to the official, from the supporter, via the org.
    assert "Tried 1 deliveries." in run_worker()

    assert len(smtp_server.messages) == 2
    message = smtp_server.messages[1]
    target = campaign.targets.get()
    assert [address.addr_spec for address in message["To"].addresses] == [target.email]
    assert "via " in message["From"]
    assert settings.ORG_NAME in message["From"]
    assert [address.addr_spec for address in message["Reply-To"].addresses] == [EMAIL]
    body = message.get_content()
    assert f"{FIRST_NAME} {ABOUT_YOU['Last name']}" in body
    assert LETTER_SENTENCE in body


def test_it_takes_a_letter_without_javascript(
    page_without_js: Page, live_server, campaign: Campaign
) -> None:
    page = page_without_js
    page.goto(live_server.url + campaign.get_absolute_url())
    expect(page.locator("html")).to_have_class("no-js")

    page.get_by_label("First name").fill(FIRST_NAME)
    fill_about_you(page)
    submit(page)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your inbox to send your letter"
    )
    action = Action.objects.get()
    assert (action.first_name, action.email, action.channel) == (FIRST_NAME, EMAIL, "email")
