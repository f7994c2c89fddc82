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
from urgentaction.supporters.models import ConsentText

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
    # axe-core is injected as an inline script, which the site's CSP rightly forbids.
    yield from _new_page(browser, bypass_csp=True)


@pytest.fixture
def strict_page(browser: Browser) -> Iterator[Page]:
    """A page under the site's real Content-Security-Policy."""
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
def campaign(transactional_db: None, settings) -> Campaign:
    # The live server runs in another thread: its data must be committed, not in a
    # test transaction, hence transactional_db. That also empties the tables between
    # tests, so the sign-up wording a migration adds is made again here.
    ConsentText.objects.get_or_create(
        wording="Yes, email me news about this case.", details="Twice a month at most."
    )
    # A browser driven by a test fills a form in faster than any person.
    settings.FORM_MIN_SECONDS = 0
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


def assert_only_the_live_server(requested_urls: list[str], live_server) -> None:
    server = urlsplit(live_server.url).netloc
    offsite = [url for url in requested_urls if urlsplit(url).netloc != server]
    assert not offsite, f"the pages requested other hosts than {server}: {offsite}"


def write_letter(page: Page, url: str, channel: str = "Send it for me by email") -> None:
    """Open the campaign page afresh, fill in the form for ``channel`` and send it."""
    page.goto(url)
    page.get_by_label("First name").fill(FIRST_NAME)
    fill_about_you(page)
    page.get_by_label(channel).check()
    submit(page)


# Every element Tab could stop at and that can be seen (an off-screen skip link counts),
# numbered, with how it looks unfocused.
MARK_TAB_STOPS = """() => {
    window.uaLook = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
        s.backgroundColor, s.color, s.borderColor].join("|");
    window.uaDescribe = el => `<${el.localName}${el.id ? "#" + el.id : ""}> ` + JSON.stringify(
        (el.type === "radio" ? el.value : el.innerText || el.name || "").trim().slice(0, 40));
    // Controls hidden from people on purpose (the spam trap) are not tab stops.
    const seen = el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden"
        && !el.closest("[aria-hidden=true]") && el.tabIndex !== -1;
    const stops = [...document.querySelectorAll("a, button, input, textarea")].filter(seen);
    stops.forEach((el, i) => {
        el.dataset.tabStop = String(i);
        el.dataset.restingLook = uaLook(getComputedStyle(el));
    });
    return stops.map(uaDescribe);
}"""
# The focused element: which stop it is, and whether its focus can be seen: an outline
# that is drawn and not transparent, or a box-shadow, and a look other than its resting one.
FOCUSED = r"""() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const transparent = /transparent|rgba\(.*,\s*0\)$/.test(s.outlineColor);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !transparent;
    const box = el.getBoundingClientRect();
    return {
        stop: el.dataset.tabStop ?? null,
        description: uaDescribe(el),
        radioGroup: el.type === "radio" ? el.name : null,
        indicator: (outline || s.boxShadow !== "none") && uaLook(s) !== el.dataset.restingLook,
        inViewport:
            box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    };
}"""


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

    assert_only_the_live_server(requested_urls, live_server)

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


def test_it_lists_a_live_campaign_on_an_accessible_home_page(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent actions")
    link = page.get_by_role("link", name=campaign.title)
    expect(link).to_have_attribute("href", campaign.get_absolute_url())
    assert_no_axe_violations(page, "the home page")
    assert_only_the_live_server(requested_urls, live_server)


def test_it_shows_a_closed_campaigns_outcome_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    outcome = "The family was granted leave to remain."
    closed = CampaignFactory(status=Campaign.Status.CLOSED, outcome=outcome)
    page.goto(live_server.url + closed.get_absolute_url())

    expect(page.get_by_role("heading", name="This urgent action has closed")).to_be_visible()
    expect(page.get_by_text(outcome)).to_be_visible()
    expect(page.get_by_role("button", name="Send my letter")).to_have_count(0)
    assert_no_axe_violations(page, "a closed campaign's page")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    ("channel", "heading", "yes"),
    [
        ("Open it in my email app", "Now send your letter from your email", "Yes, I sent it"),
        ("Print it and post it", "Your letter is ready to print", "Yes, I posted it"),
    ],
)
def test_it_thanks_a_supporter_who_sends_the_letter_themselves(
    page: Page,
    requested_urls: list[str],
    live_server,
    campaign: Campaign,
    channel: str,
    heading: str,
    yes: str,
) -> None:
    write_letter(page, live_server.url + campaign.get_absolute_url(), channel)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    target = campaign.targets.get()
    compose = page.get_by_role("list").filter(has=page.get_by_role("link", name="Open in Gmail"))
    expect(compose.get_by_role("link", name="Open in my email app")).to_have_attribute(
        "href", re.compile(rf"^mailto:{re.escape(target.email)}\?subject=")
    )
    expect(compose.get_by_role("link", name="Open in Outlook.com")).to_be_visible()
    envelope = page.locator("address.envelope")
    if channel == "Print it and post it":
        expect(envelope).to_be_visible()
        for line in target.address_lines():
            expect(envelope).to_contain_text(line)
    else:
        expect(envelope).to_have_count(0)
    assert_no_axe_violations(page, f"the thank-you page for “{channel}”")

    # Once they say it has gone, the letter is counted.
    with page.expect_navigation():
        page.get_by_role("button", name=yes).click()
    expect(page.get_by_text("Thank you: your letter is counted.")).to_be_visible()
    assert_no_axe_violations(page, f"the thank-you page for “{channel}”, once sent")
    assert_only_the_live_server(requested_urls, live_server)


def test_it_refuses_an_unknown_confirmation_link_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    page.goto(live_server.url + "/confirm/whatever/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send your letter")
    assert_no_axe_violations(page, "the confirmation page")

    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert_no_axe_violations(page, "the page for a link that no longer works")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    ("same_browser", "heading"),
    [(True, "You have already written"), (False, "Check your inbox")],
    ids=["same browser", "another browser"],
)
def test_it_tells_a_supporter_who_writes_twice_that_they_already_have(
    browser: Browser,
    page: Page,
    requested_urls: list[str],
    live_server,
    transactional_db: None,
    same_browser: bool,
    heading: str,
) -> None:
    campaign_url = live_server.url + CampaignFactory(requires_confirmation=False).get_absolute_url()
    write_letter(page, campaign_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is on its way")

    other = None if same_browser else browser.new_context(bypass_csp=True)
    try:
        if other is not None:
            # Another browser has shown only that it knows the address: it sees nothing
            # of the earlier letter.
            page = other.new_page()
            page.on("request", lambda request: requested_urls.append(request.url))
        write_letter(page, campaign_url)

        expect(page).to_have_url(re.compile(r"/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text(LETTER_SENTENCE)).to_have_count(1 if same_browser else 0)
        assert_no_axe_violations(page, f"the thank-you page for a repeat letter ({heading})")
    finally:
        if other is not None:
            other.close()
    assert_only_the_live_server(requested_urls, live_server)
    assert Action.objects.count() == 1


def test_it_thanks_a_visitor_without_a_letter_accessibly(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + campaign.get_absolute_url() + "thanks/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for taking action")
    expect(page.get_by_role("heading", name="Ask others to write too")).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page without a letter")
    assert_only_the_live_server(requested_urls, live_server)


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


def test_it_signs_a_supporter_up_for_updates_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    ConsentText.objects.create(wording="Yes, email me news.", details="Twice a month at most.")
    page.goto(live_server.url + "/updates/")
    assert_no_axe_violations(page, "the sign-up page")

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Email address").fill("ada@people.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("link", name="Enter your last name")).to_be_visible()
    expect(page.get_by_role("link", name="Tick the box to say you want updates")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("ada@people.example")
    assert_no_axe_violations(page, "the sign-up page showing errors")

    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Yes, email me news.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert_no_axe_violations(page, "the sign-up confirmation page")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    "path", ["/my-data/", "/my-data/check-your-inbox/", "/my-data/unknown-token/"]
)
def test_it_keeps_the_data_pages_accessible(
    page: Page, requested_urls: list[str], live_server, transactional_db: None, path: str
) -> None:
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page, path)
    assert_only_the_live_server(requested_urls, live_server)


def test_it_breaks_no_content_security_policy_rule(
    strict_page: Page, live_server, campaign: Campaign
) -> None:
    violations: list[str] = []
    strict_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    strict_page.goto(live_server.url + campaign.get_absolute_url())
    token = strict_page.locator("input[name=form_token]")
    expect(token).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))  # enhance.js ran

    strict_page.get_by_label("First name").fill(FIRST_NAME)
    fill_about_you(strict_page)
    submit(strict_page)

    expect(strict_page).to_have_url(re.compile(r"/thanks/$"))
    assert violations == []
