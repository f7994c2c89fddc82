import pytest

from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_any_page_may_show_a_campaigns_count_without_a_key(client):
    campaign = CampaignFactory(slug="free-them", goal=1000)
    Campaign.objects.filter(pk=campaign.pk).update(action_count=321)

    response = client.get("/api/v1/campaigns/free-them/count")

    assert response.status_code == 200
    assert response.json() == {"total_outreaches": 321, "goal": 1000}
    assert response["Cache-Control"] == "public, max-age=30"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_count_is_one_read_of_one_row(client, django_assert_num_queries):
    CampaignFactory(slug="free-them")

    with django_assert_num_queries(1) as captured:
        client.get("/api/v1/campaigns/free-them/count")

    sql = captured.captured_queries[0]["sql"]
    assert '"actions_action"' not in sql and "COUNT(" not in sql.upper()


def test_a_drafts_count_is_not_found(client):
    CampaignFactory(slug="secret-draft", status=Campaign.Status.DRAFT)

    response = client.get("/api/v1/campaigns/secret-draft/count")

    assert is_problem(response, 404)
    assert "public" not in response["Cache-Control"]
