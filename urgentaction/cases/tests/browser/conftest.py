"""The public pages of a case's life in a real browser, with the public pages' browser
fixtures (actions/tests/browser/conftest.py)."""

from urgentaction.actions.tests.browser.conftest import (  # noqa: F401 (fixtures)
    browser,
    page,
    page_without_js,
    requested_urls,
)
