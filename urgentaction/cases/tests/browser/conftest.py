"""The browser and a staff member's browser, as the staff pages' tests have them."""

from urgentaction.actions.tests.browser.conftest import (  # noqa: F401 (fixtures)
    browser,
    page,
    requested_urls,
)
from urgentaction.staff.tests.browser.conftest import staff_page  # noqa: F401 (a fixture)
