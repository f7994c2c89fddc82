import pytest

from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_an_address_under_the_api_that_does_not_exist_is_a_problem(client):
    response = client.get("/api/v1/no-such-thing")

    assert is_problem(response, 404)


def test_a_method_an_endpoint_does_not_take_is_a_problem_that_says_which_it_does(partner_with):
    response = partner_with("read").client.put("/api/v1/people")

    assert is_problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "DELETE"}


def test_no_cache_keeps_an_api_answer_unless_the_endpoint_allows_it(partner_with):
    response = partner_with("read").get("/api/v1/campaigns")

    assert response["Cache-Control"] == "private, no-store"


def test_pages_outside_the_api_are_left_as_they_are(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_is_a_problem_that_gives_nothing_away(partner_with, monkeypatch):
    def crash(campaign):
        raise RuntimeError("the secret inner workings")

    monkeypatch.setattr("urgentaction.api.endpoints.campaigns.campaign_data", crash)
    CampaignFactory(slug="free-them")
    partner = partner_with("read")
    partner.client.raise_request_exception = False

    response = partner.get("/api/v1/campaigns/free-them")

    assert is_problem(response, 500)
    assert "inner workings" not in response.content.decode()
