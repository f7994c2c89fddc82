from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from urgentaction.campaigns.models import Campaign, ReferenceCounter
from urgentaction.campaigns.schedule import publish_and_close_due
from urgentaction.campaigns.tests.factories import CampaignFactory

DRAFT, LIVE, CLOSED = Campaign.Status.DRAFT, Campaign.Status.LIVE, Campaign.Status.CLOSED
LONDON = ZoneInfo("Europe/London")


def publish(campaign: Campaign) -> Campaign:
    campaign.status = LIVE
    campaign.save()
    return Campaign.objects.get(pk=campaign.pk)


def references() -> dict[str, str]:
    return {c.slug: c.reference for c in Campaign.objects.all()}


@pytest.mark.django_db
def test_it_gives_each_case_the_next_number_of_its_year_when_first_published():
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=LONDON), tick=False):
        first = CampaignFactory(slug="first", status=DRAFT)
        second = CampaignFactory(slug="second", status=DRAFT)
        assert references() == {"first": "", "second": ""}

        publish(second)
        publish(first)

    assert references() == {"first": "UA 2/26", "second": "UA 1/26"}


@pytest.mark.django_db
def test_numbers_start_again_each_year_in_the_sites_time_zone():
    # 23:30 on New Year's Eve in UTC is already the new year in Seoul.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        CampaignFactory(slug="old-year")
        with timezone.override(ZoneInfo("Asia/Seoul")):
            CampaignFactory(slug="new-year")

    assert references() == {"old-year": "UA 1/26", "new-year": "UA 1/27"}


@pytest.mark.django_db
def test_the_prefix_is_the_setting_when_first_published_and_stays(settings):
    settings.REFERENCE_PREFIX = "AI"
    campaign = CampaignFactory(slug="case")
    settings.REFERENCE_PREFIX = "UA"
    publish(campaign)

    assert campaign.reference.startswith("AI ")
    assert Campaign.objects.get(pk=campaign.pk).reference == campaign.reference


@pytest.mark.django_db
def test_a_number_is_never_given_twice_even_after_its_campaign_is_deleted():
    year = timezone.localdate().year % 100
    deleted = CampaignFactory(slug="deleted")
    deleted.delete()

    CampaignFactory(slug="next")

    assert references() == {"next": f"UA 2/{year:02d}"}


@pytest.mark.django_db
def test_a_campaign_keeps_its_reference_when_closed_reopened_or_put_back_to_draft():
    campaign = CampaignFactory()
    CampaignFactory()
    reference = Campaign.objects.get(pk=campaign.pk).reference

    for status in (CLOSED, LIVE, DRAFT, LIVE):
        campaign.status = status
        campaign.save()
        assert Campaign.objects.get(pk=campaign.pk).reference == reference
    assert ReferenceCounter.objects.get().last == 2


@pytest.mark.django_db
def test_an_older_copy_saved_later_keeps_the_reference_and_first_publication():
    draft = CampaignFactory(status=DRAFT)
    older_copy = Campaign.objects.get(pk=draft.pk)
    published = publish(draft)

    older_copy.title = "A better title"
    older_copy.status = LIVE
    older_copy.save()

    saved = Campaign.objects.get(pk=draft.pk)
    assert (saved.reference, saved.published_at) == (published.reference, published.published_at)
    assert saved.title == "A better title"


@pytest.mark.django_db
def test_scheduled_publishing_numbers_drafts_in_the_order_they_were_due():
    year = timezone.localdate().year % 100
    now = timezone.now()
    CampaignFactory(slug="later", status=DRAFT, publish_at=now - timedelta(minutes=1))
    CampaignFactory(slug="sooner", status=DRAFT, publish_at=now - timedelta(minutes=2))
    CampaignFactory(slug="waiting", status=DRAFT, publish_at=now + timedelta(hours=1))

    assert publish_and_close_due() == (2, 0)

    assert references() == {
        "sooner": f"UA 1/{year:02d}",
        "later": f"UA 2/{year:02d}",
        "waiting": "",
    }


@pytest.mark.django_db
def test_a_follow_up_takes_its_cases_reference_and_the_next_follow_up_number():
    year = timezone.localdate().year % 100
    CampaignFactory(slug="other")
    case = CampaignFactory(slug="case")
    first = CampaignFactory(slug="fi-a", status=DRAFT, follow_up_of=case)
    second = CampaignFactory(slug="fi-b", status=DRAFT, follow_up_of=case)

    publish(second)
    publish(first)
    CampaignFactory(slug="next-case")

    assert references() == {
        "other": f"UA 1/{year:02d}",
        "case": f"UA 2/{year:02d}",
        "fi-b": f"UA 2/{year:02d} FI 1",
        "fi-a": f"UA 2/{year:02d} FI 2",
        "next-case": f"UA 3/{year:02d}",
    }
    assert Campaign.objects.get(slug="fi-a").case_reference == f"UA 2/{year:02d}"


@pytest.mark.django_db
def test_only_a_published_case_can_be_followed_up():
    draft = CampaignFactory(status=DRAFT)
    case = CampaignFactory()
    follow_up = CampaignFactory(follow_up_of=case)

    for earlier in (draft, follow_up):
        with pytest.raises(ValidationError) as refused:
            CampaignFactory.build(slug="new", follow_up_of=earlier).full_clean()
        assert "follow_up_of" in refused.value.message_dict
    CampaignFactory.build(slug="new", follow_up_of=case).full_clean()


@pytest.mark.django_db
def test_a_published_campaign_cannot_become_or_stop_being_a_follow_up():
    case = CampaignFactory()
    other = CampaignFactory()
    follow_up = CampaignFactory(follow_up_of=case)

    other.follow_up_of = case
    follow_up.follow_up_of = None
    for campaign in (other, follow_up):
        with pytest.raises(ValidationError) as refused:
            campaign.full_clean()
        assert "follow_up_of" in refused.value.message_dict


def publish_at_once(campaigns: list[Campaign]) -> None:
    """Each campaign published from a thread of its own, at the same moment."""

    def publish_one(campaign: Campaign) -> None:
        try:
            publish(campaign)
        finally:
            connection.close()

    with ThreadPoolExecutor(len(campaigns)) as pool:
        list(pool.map(publish_one, campaigns))


@pytest.mark.django_db(transaction=True)
def test_cases_published_at_the_same_moment_get_numbers_in_a_row():
    drafts = [CampaignFactory(status=DRAFT) for _ in range(8)]

    publish_at_once(drafts)

    numbers = sorted(Campaign.objects.values_list("reference_number", flat=True))
    assert numbers == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_follow_ups_published_at_the_same_moment_get_numbers_in_a_row():
    case = CampaignFactory()
    drafts = [CampaignFactory(status=DRAFT, follow_up_of=case) for _ in range(6)]

    publish_at_once(drafts)

    follow_ups = Campaign.objects.filter(follow_up_of=case)
    assert sorted(follow_ups.values_list("follow_up_number", flat=True)) == list(range(1, 7))
    assert set(follow_ups.values_list("reference_number", flat=True)) == {case.reference_number}


@pytest.mark.django_db(transaction=True)
def test_a_draft_published_twice_at_the_same_moment_is_numbered_once():
    draft = CampaignFactory(status=DRAFT)
    copies = [Campaign.objects.get(pk=draft.pk) for _ in range(4)]

    publish_at_once(copies)

    assert Campaign.objects.get(pk=draft.pk).reference_number == 1
    assert ReferenceCounter.objects.get().last == 1
