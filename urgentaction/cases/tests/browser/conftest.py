# The browser, and pages that record their requests, as the public pages' browser tests
# have them.
from urgentaction.actions.tests.browser.conftest import (  # noqa: F401
    browser,
    page,
    requested_urls,
)
