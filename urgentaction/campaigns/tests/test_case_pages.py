import re

import pytest
from django.utils import timezone

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.staff.tests.conftest import superuser_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DRAFT, CLOSED = Campaign.Status.DRAFT, Campaign.Status.CLOSED


def closed(campaign: Campaign) -> Campaign:
    campaign.status = CLOSED
    campaign.save()
    return campaign


@pytest.fixture
def case() -> Campaign:
    return closed(CampaignFactory(title="Free the three"))


def follow_up(case: Campaign, title: str, **fields) -> Campaign:
    return CampaignFactory(follow_up_of=case, title=title, **fields)


def timeline(html: str) -> list[str]:
    """The titles in the page's list of the case's pages, in order."""
    section = re.search(r'<nav class="case".*?</nav>', html, re.DOTALL)
    if section is None:
        return []
    return re.findall(r"<(?:a href=\"[^\"]+\"|strong[^>]*)>([^<]+)<", section.group())


def page(client, campaign: Campaign) -> str:
    return client.get(campaign.get_absolute_url()).content.decode()


def test_the_page_shows_the_cases_reference(client):
    campaign = CampaignFactory()

    html = page(client, campaign)

    assert f'<p class="tag">Urgent action · {campaign.case_reference}</p>' in html
    assert timeline(html) == []


def test_a_follow_up_says_it_is_further_information_on_the_case(client, case):
    first = follow_up(case, "The three are in court")

    html = page(client, first)

    assert f'<p class="tag">Further information on {case.case_reference} · FI 1</p>' in html


def test_each_page_of_the_case_lists_the_others_newest_first(client, case):
    first = closed(follow_up(case, "The three are in court"))
    second = follow_up(case, "The three are sentenced")
    follow_up(case, "Not yet published", status=DRAFT)

    for campaign in (case, first, second):
        html = page(client, campaign)
        assert timeline(html) == [
            "The three are sentenced",
            "The three are in court",
            "Free the three",
        ]
        assert f'<strong aria-current="page">{campaign.title}</strong> (this page)' in html
    published = timezone.localtime(first.published_at)
    assert f'Further information 1, <time datetime="{published:%Y-%m-%d}">' in page(client, case)


def test_older_pages_point_to_the_newest(client, case):
    first = closed(follow_up(case, "The three are in court"))
    second = follow_up(case, "The three are sentenced")

    newer = f'There is newer information on this case: <a href="{second.get_absolute_url()}">'
    assert newer in page(client, case)
    assert newer in page(client, first)
    assert "There is newer information" not in page(client, second)
    assert '<a href="#case-title">Read the case so far</a>' in page(client, second)


def test_publishing_a_follow_up_makes_a_new_version_of_the_cases_pages(client, case):
    draft = follow_up(case, "The three are in court", status=DRAFT)
    before = client.get(case.get_absolute_url())

    draft.status = Campaign.Status.LIVE
    draft.save()
    after = client.get(case.get_absolute_url())

    assert after["ETag"] != before["ETag"]
    assert timeline(after.content.decode()) == ["The three are in court", "Free the three"]


def test_staff_preview_a_draft_follow_up_at_the_top_of_its_case(superuser_client, case):  # noqa: F811
    draft = follow_up(case, "The three are in court", status=DRAFT)

    html = page(superuser_client, draft)

    assert timeline(html) == ["The three are in court", "Free the three"]
    assert "Further information, not yet published" in html
    assert f'<p class="tag">Further information on {case.case_reference}</p>' in html
