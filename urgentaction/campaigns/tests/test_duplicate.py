import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.services import duplicate_campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory, in_korean
from urgentaction.conftest import sign_in_staff
from urgentaction.staff.tests.conftest import superuser_client, user_with  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    campaign = CampaignFactory(
        slug="free-the-poets",
        title="Free the poets",
        targets=[TargetFactory(), TargetFactory(office="Home Secretary")],
        outcome="They were freed.",
        status=Campaign.Status.CLOSED,
        close_at=timezone.now(),
        thank_you="Come to the vigil.",
        test_mode=True,
        test_email="staff@org.example",
    )
    ActionFactory(campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(action_count=1, published_at=timezone.now())
    return Campaign.objects.get(pk=campaign.pk)


def url(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_duplicate", args=[campaign.pk])


def test_a_copy_is_a_new_draft_with_the_case_targets_letter_and_rules(original):
    copy = duplicate_campaign(campaign=original)

    assert (copy.slug, copy.title, copy.status) == ("free-the-poets-2", "Free the poets", "draft")
    assert set(copy.targets.all()) == set(original.targets.all())
    assert (copy.letter.subject, copy.letter.body) == (
        original.letter.subject,
        original.letter.body,
    )
    assert (copy.thank_you, copy.test_mode, copy.test_email) == (
        "Come to the vigil.",
        True,
        "staff@org.example",
    )
    assert (copy.action_count, copy.published_at, copy.close_at, copy.outcome) == (
        0,
        None,
        None,
        "",
    )
    assert not copy.actions.exists()
    assert duplicate_campaign(campaign=original).slug == "free-the-poets-3"


def test_a_copy_keeps_every_language_and_what_supporters_at_risk_are_told(original):
    original.safety_advice = "Sign with your initials."
    original.reply_email = "replies@org.example"
    original.letter_in_supporters_language = True
    in_korean(original)

    copy = Campaign.objects.get(pk=duplicate_campaign(campaign=original).pk)

    for name in ("title_ko", "summary_ko", "story_ko", "safety_advice_en_gb", "reply_email"):
        assert getattr(copy, name) == getattr(original, name), name
    assert copy.letter_in_supporters_language
    assert (copy.letter.subject_ko, copy.letter.body_ko) == (
        original.letter.subject_ko,
        original.letter.body_ko,
    )
    assert copy.title == "Free the poets"
    # Published in Korean only once staff have read its Korean words again.
    assert copy.published_languages == []


def test_staff_are_asked_then_taken_to_the_new_draft(superuser_client, original):  # noqa: F811
    change = reverse("admin:campaigns_campaign_change", args=[original.pk])
    assert f'href="{url(original)}">Duplicate this campaign</a>' in (
        superuser_client.get(change).content.decode()
    )

    asked = superuser_client.get(url(original))
    made = superuser_client.post(url(original))

    assert "A new draft will copy “Free the poets”" in asked.content.decode()
    assert Campaign.objects.count() == 2
    copy = Campaign.objects.exclude(pk=original.pk).get()
    assert made["Location"] == reverse("admin:campaigns_campaign_change", args=[copy.pk])


def test_only_staff_who_may_add_campaigns_can_duplicate(client, original):
    viewer = Client()
    sign_in_staff(viewer, user_with("viewer", ["campaigns.view_campaign"], is_staff=True))
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user("outsider"))

    assert viewer.post(url(original)).status_code == 403
    assert outsider.post(url(original)).status_code == 302
    assert client.post(url(original)).status_code == 302
    assert Campaign.objects.count() == 1
