from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.schedule import publish_and_close_due
from urgentaction.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

DRAFT, LIVE, CLOSED = Campaign.Status.DRAFT, Campaign.Status.LIVE, Campaign.Status.CLOSED


def statuses() -> dict[str, str]:
    return dict(Campaign.objects.values_list("slug", "status"))


def test_a_draft_goes_live_at_its_time_and_a_live_campaign_closes_at_its_own():
    now = timezone.now()
    CampaignFactory(slug="due", status=DRAFT, publish_at=now - timedelta(minutes=1))
    CampaignFactory(slug="later", status=DRAFT, publish_at=now + timedelta(hours=1))
    CampaignFactory(slug="ending", status=LIVE, close_at=now - timedelta(minutes=1))
    CampaignFactory(slug="running", status=LIVE, close_at=now + timedelta(days=1))

    assert publish_and_close_due() == (1, 1)

    assert statuses() == {"due": LIVE, "later": DRAFT, "ending": CLOSED, "running": LIVE}
    published = Campaign.objects.get(slug="due")
    assert published.published_at is not None
    assert published.publish_at is None
    assert Campaign.objects.get(slug="ending").close_at is None


def test_publishing_makes_a_new_version_of_the_page():
    campaign = CampaignFactory(status=DRAFT, publish_at=timezone.now())
    edited = Campaign.objects.get(pk=campaign.pk).updated_at

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        publish_and_close_due()

    assert Campaign.objects.get(pk=campaign.pk).updated_at > edited


def test_a_draft_nobody_could_write_from_stays_a_draft():
    due = timezone.now() - timedelta(minutes=1)
    CampaignFactory(slug="no-target", status=DRAFT, publish_at=due, targets=[])
    CampaignFactory(slug="no-letter", status=DRAFT, publish_at=due, letter=False)

    assert publish_and_close_due() == (0, 0)
    assert set(statuses().values()) == {DRAFT}


def test_a_follow_up_of_a_case_not_yet_published_waits_for_it():
    due = timezone.now() - timedelta(minutes=1)
    case = CampaignFactory(slug="case", status=DRAFT)
    CampaignFactory(slug="follow-up", status=DRAFT, publish_at=due, follow_up_of=case)

    assert publish_and_close_due() == (0, 0)
    assert statuses() == {"case": DRAFT, "follow-up": DRAFT}


def test_a_campaign_reopened_after_closing_stays_open():
    campaign = CampaignFactory(status=LIVE, close_at=timezone.now() - timedelta(minutes=1))
    publish_and_close_due()
    Campaign.objects.filter(pk=campaign.pk).update(status=LIVE)

    assert publish_and_close_due() == (0, 0)
    assert Campaign.objects.get(pk=campaign.pk).status == LIVE


@pytest.mark.parametrize(
    ("status", "publish_in", "close_in", "field"),
    [
        (LIVE, 1, None, "status"),
        (DRAFT, 2, 1, "close_at"),
        (DRAFT, 2, 2, "close_at"),
    ],
)
def test_it_refuses_times_that_contradict_each_other(status, publish_in, close_in, field):
    now = timezone.now()
    campaign = CampaignFactory.build(
        status=status,
        publish_at=now + timedelta(hours=publish_in),
        close_at=now + timedelta(hours=close_in) if close_in else None,
    )

    with pytest.raises(ValidationError) as refused:
        campaign.clean()

    assert field in refused.value.message_dict


def test_a_draft_to_publish_then_close_is_valid():
    now = timezone.now()
    campaign = CampaignFactory.build(
        status=DRAFT, publish_at=now + timedelta(hours=1), close_at=now + timedelta(days=3)
    )

    campaign.clean()
