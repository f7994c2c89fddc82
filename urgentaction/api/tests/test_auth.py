import pytest

from urgentaction.api.keys import revoke
from urgentaction.api.models import ApiKey
from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns"


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ua_not-a-key", "Basic dXNlcjpwYXNz", "Bearer "],
    ids=["no key", "unknown key", "another scheme", "empty"],
)
def test_it_refuses_a_request_without_a_valid_key(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get(CAMPAIGNS, headers=headers)

    assert is_problem(response, 401)
    assert response.json()["title"] == "Unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_is_refused_at_once(partner_with):
    partner = partner_with("read")
    assert partner.get(CAMPAIGNS).status_code == 200

    revoke(keys=ApiKey.objects.filter(pk=partner.key.pk))

    assert is_problem(partner.get(CAMPAIGNS), 401)


def test_a_key_without_the_scope_an_endpoint_needs_is_forbidden(partner_with):
    writer = partner_with("write")

    response = writer.get(CAMPAIGNS)

    assert is_problem(response, 403)
    assert response.json()["required_scopes"] == ["read"]
    assert "read" in response.json()["detail"]


def test_erasing_needs_both_personal_and_write(partner_with):
    for scopes, missing in [(("personal",), ["write"]), (("write",), ["personal"])]:
        response = partner_with(*scopes).delete("/api/v1/people?email=ada@people.example")

        assert is_problem(response, 403)
        assert response.json()["required_scopes"] == missing


def test_a_key_past_its_limit_is_told_when_to_come_back(partner_with, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    partner, other = partner_with("read"), partner_with("read")

    answers = [partner.get(CAMPAIGNS) for _ in range(3)]

    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    assert is_problem(answers[2], 429)
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    # The limit is per key.
    assert other.get(CAMPAIGNS).status_code == 200


def test_it_notes_when_a_key_was_last_used(partner_with):
    partner = partner_with("read")
    CampaignFactory()

    partner.get(CAMPAIGNS)

    partner.key.refresh_from_db()
    assert partner.key.last_used_at is not None
