"""The public pages of a case's life in a real browser, with the public pages' browser
fixtures (actions/tests/browser/conftest.py) and a staff member's browser (the staff
pages' tests')."""

from urgentaction.actions.tests.browser.conftest import (  # noqa: F401 (fixtures)
    browser,
    page,
    page_without_js,
    requested_urls,
)
from urgentaction.staff.tests.browser.conftest import staff_page  # noqa: F401 (a fixture)
