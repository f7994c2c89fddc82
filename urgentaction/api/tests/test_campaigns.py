import pytest
from django.conf import settings

from urgentaction.api.tests.conftest import is_problem
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_it_lists_published_campaigns_but_never_a_draft(partner_with):
    live = CampaignFactory(slug="free-them")
    closed = CampaignFactory(status=Campaign.Status.CLOSED)
    CampaignFactory(status=Campaign.Status.DRAFT, slug="secret-draft")

    response = partner_with("read").get("/api/v1/campaigns")

    assert response.status_code == 200
    listed = {campaign["slug"]: campaign["status"] for campaign in response.json()}
    assert listed == {live.slug: "live", closed.slug: "closed"}


def test_a_campaign_has_its_targets_count_and_status_in_osdi_terms(partner_with):
    target = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    campaign = CampaignFactory(slug="free-them", targets=[target], goal=5000)
    Campaign.objects.filter(pk=campaign.pk).update(action_count=42)

    shown = partner_with("read").get("/api/v1/campaigns/free-them").json()

    assert shown["identifiers"] == [f"urgentaction:{campaign.pk}"]
    assert shown["origin_system"] == "Urgent Action"
    assert (shown["title"], shown["description"]) == (campaign.title, campaign.summary)
    assert shown["browser_url"] == f"{settings.SITE_URL}/actions/free-them/"
    assert (shown["status"], shown["total_outreaches"], shown["goal"]) == ("live", 42, 5000)
    assert shown["deadline"] == campaign.deadline.isoformat()
    assert {"created_date", "modified_date"} <= shown.keys()
    assert (shown["reference"], shown["follow_up_of"]) == (campaign.reference, None)
    assert (shown["copy_targets"], shown["outcome"]) == ([], None)
    assert shown["targets"] == [
        {
            "title": "Foreign Secretary",
            "name": "Jane Minister",
            "organization": "Foreign Office",
            "email_addresses": [{"address": target.email, "primary": True}],
            "postal_addresses": [
                {
                    "address_lines": ["King Charles Street", "London"],
                    "locality": "",
                    "postal_code": "SW1A 2AH",
                    "country": "United Kingdom",
                }
            ],
        }
    ]


def test_a_follow_up_names_its_case_its_copies_and_the_cases_outcome(partner_with):
    case = CampaignFactory(slug="free-them")
    ambassador = TargetFactory(office="Ambassador", email="ambassador@example.org")
    follow_up = CampaignFactory(slug="free-them-fi", follow_up_of=case, copy_targets=[ambassador])
    Campaign.objects.filter(pk=follow_up.pk).update(
        status=Campaign.Status.CLOSED,
        outcome_kind="released",
        outcome_date="2026-11-02",
        outcome_en_gb="The family reached Seoul.",
    )

    shown = partner_with("read").get("/api/v1/campaigns/free-them-fi").json()

    assert shown["reference"] == f"{case.reference} FI 1"
    assert shown["follow_up_of"] == "free-them"
    assert [copy["title"] for copy in shown["copy_targets"]] == ["Ambassador"]
    assert shown["copy_targets"][0]["email_addresses"][0]["address"] == "ambassador@example.org"
    assert shown["outcome"] == {
        "kind": "released",
        "date": "2026-11-02",
        "description": "The family reached Seoul.",
    }


@pytest.mark.parametrize("slug", ["secret-draft", "no-such-campaign"])
def test_a_draft_is_not_found_like_a_campaign_that_does_not_exist(partner_with, slug):
    CampaignFactory(status=Campaign.Status.DRAFT, slug="secret-draft")

    response = partner_with("read").get(f"/api/v1/campaigns/{slug}")

    assert is_problem(response, 404)


def test_listing_campaigns_takes_the_same_queries_however_many_there_are(
    partner_with, django_assert_max_num_queries
):
    partner = partner_with("read")
    for _ in range(5):
        CampaignFactory(targets=[TargetFactory(), TargetFactory()])

    # The key, its rate counter, when it was last used, the campaigns (with the cases they
    # follow up), their targets and their copy targets.
    with django_assert_max_num_queries(6):
        assert len(partner.get("/api/v1/campaigns").json()) == 5
