"""A campaign's targets have a role: the letter is addressed to its targets, and a copy
goes to its copy targets, which its page lists under "Send a copy to"."""

import re

import pytest
from django.urls import reverse

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.services import duplicate_campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory, in_korean
from urgentaction.staff.tests.conftest import superuser_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambassador():
    return TargetFactory(
        office="Ambassador of the People's Republic of China to the United Kingdom",
        holder="",
        organisation="",
        address="49-51 Portland Place\nLondon",
        postcode="W1B 1JL",
        email="ambassador@example.org",
        why="The embassy reports to Beijing what people in Britain say.",
    )


def section(html: str, heading: str) -> str:
    """The <section> whose heading is ``heading``."""
    match = re.search(rf"<section[^>]*>\s*<h2[^>]*>{heading}</h2>.*?</section>", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(0)


def test_the_page_lists_copy_targets_under_send_a_copy_to(client, ambassador):
    campaign = CampaignFactory(copy_targets=[ambassador])

    html = client.get(campaign.get_absolute_url()).content.decode()

    copies = section(html, "Send a copy to")
    assert "Ambassador of the People&#x27;s Republic of China to the United Kingdom" in copies
    assert "49-51 Portland Place<br>London<br>W1B 1JL" in copies
    assert "ambassador@example.org" in copies
    assert "The embassy reports to Beijing" in copies
    assert "Ambassador" not in section(html, "Who you are writing to")
    assert "The copy to Ambassador of the People&#x27;s Republic" in html  # what they see


def test_a_campaign_without_copy_targets_shows_no_such_section(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    assert "Send a copy to" not in html


def test_a_closed_campaign_still_says_who_was_sent_copies(client, ambassador):
    campaign = CampaignFactory(copy_targets=[ambassador], status=Campaign.Status.CLOSED)

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "49-51 Portland Place" in section(html, "Send a copy to")


def test_a_korean_page_waits_for_its_copy_targets_translation_too(client, ambassador):
    campaign = in_korean(CampaignFactory(slug="case", copy_targets=[ambassador]))

    assert client.get("/ko/actions/case/").status_code == 404

    ambassador.office_ko = "주영국 중국대사"
    ambassador.why_ko = "대사관은 영국 사람들의 목소리를 베이징에 보고합니다."
    ambassador.save()
    campaign.save()
    assert "주영국 중국대사" in client.get("/ko/actions/case/").content.decode()


def test_staff_cannot_make_one_target_both_addressee_and_copy(
    superuser_client,  # noqa: F811
    ambassador,
):
    target = TargetFactory()
    data = {
        "title_en_gb": "Free the journalists",
        "slug": "free-the-journalists",
        "status": "draft",
        "summary_en_gb": "Three journalists are held without charge.",
        "story_en_gb": "They were arrested at dawn.",
        "targets": [target.pk],
        "copy_targets": [target.pk, ambassador.pk],
        "offers_email": "on",
        "letter-TOTAL_FORMS": "1",
        "letter-INITIAL_FORMS": "0",
        "letter-MIN_NUM_FORMS": "1",
        "letter-MAX_NUM_FORMS": "1",
        "letter-0-subject_en_gb": "Release them",
        "letter-0-body_en_gb": "{salutation}\n\nRelease them now.\n\nYours sincerely",
    }
    url = reverse("admin:campaigns_campaign_add")

    refused = superuser_client.post(url, data)
    accepted = superuser_client.post(url, {**data, "copy_targets": [ambassador.pk]})

    assert "cannot be written to and sent a copy: choose one." in refused.content.decode()
    assert accepted.status_code == 302
    campaign = Campaign.objects.get()
    assert list(campaign.targets.all()) == [target]
    assert list(campaign.copy_targets.all()) == [ambassador]


def test_a_duplicate_sends_copies_to_the_same_targets(ambassador):
    campaign = CampaignFactory(copy_targets=[ambassador])

    copy = duplicate_campaign(campaign=campaign)

    assert list(copy.copy_targets.all()) == [ambassador]
