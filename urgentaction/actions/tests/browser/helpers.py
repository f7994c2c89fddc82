"""What the browser tests share: the browser's settings, what a supporter types, and
steps such as filling in the form or running axe-core."""

import signal
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Locator, Page

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
    // Controls hidden from people on purpose (the spam trap) are not tab stops, nor is
    // what a closed disclosure folds away (its summary is).
    const seen = el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden"
        && !el.closest("[aria-hidden=true]") && el.tabIndex !== -1
        && !el.closest("details:not([open]) > :not(summary)");
    const stops = [...document.querySelectorAll("a, button, input, textarea, summary")]
        .filter(seen);
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
