"""The staff pages in a real browser, with the public pages' browser fixture
(actions/tests/browser/conftest.py), signed in as staff with both factors."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page

from urgentaction.actions.tests.browser.conftest import browser  # noqa: F401 (a fixture)
from urgentaction.conftest import sign_in_staff


def staff_cookie(live_server) -> dict:
    """The session cookie of a staff member signed in with password and authenticator."""
    user = get_user_model().objects.create_superuser("campaigner", "campaigner@org.example")
    client = Client()
    sign_in_staff(client, user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def staff_page_in(browser, live_server, **options) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    context.add_cookies([staff_cookie(live_server)])
    yield context.new_page()
    context.close()


@pytest.fixture
def staff_page(browser, live_server, transactional_db) -> Iterator[Page]:  # noqa: F811
    """A staff member's browser. axe-core is injected as an inline script, which the
    site's CSP rightly forbids: this page bypasses it (``strict_staff_page`` does not)."""
    yield from staff_page_in(browser, live_server, bypass_csp=True)


@pytest.fixture
def csp_violations() -> list[str]:
    return []


@pytest.fixture
def strict_staff_page(browser, live_server, transactional_db, csp_violations) -> Iterator[Page]:  # noqa: F811
    """A staff member's browser under the site's real Content-Security-Policy; every
    violation it reports goes into ``csp_violations``."""
    for page in staff_page_in(browser, live_server):
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and csp_violations.append(message.text)
            ),
        )
        yield page
