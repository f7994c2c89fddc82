# The browser, and a page under the site's real Content-Security-Policy, as the public
# pages' browser tests have them.
from urgentaction.actions.tests.browser.conftest import browser, strict_page  # noqa: F401
