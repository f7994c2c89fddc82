import pytest
from playwright.sync_api import Page

from urgentaction.actions.tests.browser.helpers import assert_only_the_live_server

pytestmark = pytest.mark.browser


def test_the_docs_page_runs_under_the_sites_policy_and_asks_no_other_host(
    strict_page: Page, live_server, transactional_db: None
):
    requested, refused = [], []
    strict_page.on("request", lambda request: requested.append(request.url))
    strict_page.on(
        "console",
        lambda message: refused.append(message.text) if message.type == "error" else None,
    )

    strict_page.goto(live_server.url + "/api/v1/docs")

    # Swagger UI read the schema and shows the endpoints.
    strict_page.get_by_text("/api/v1/campaigns/{slug}/count").wait_for()
    assert refused == []
    assert_only_the_live_server(requested, live_server)
