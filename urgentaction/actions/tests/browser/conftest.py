"""End to end in a real browser. Playwright drives Debian's Chromium (``/usr/bin/chromium``)
against pytest-django's live server. Without that browser the tests are skipped, except
under CI, where they fail. axe-core comes from ``npm ci`` (package.json)."""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from urgentaction.actions.tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.supporters.models import ConsentText


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
        wording="Yes, email me news of our urgent actions.", details="Twice a month at most."
    )
    # A browser driven by a test fills a form in faster than any person.
    settings.FORM_MIN_SECONDS = 0
    return CampaignFactory()
