"""Staff publish a campaign through a page that says what publishing does (its public
addresses, its reference, and for a follow-up how many of the case's writers are told, at
what pace), whose button publishes it now; or set the time at which the worker does. The
campaign's own form no longer makes a draft live."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.schedule import publish_and_close_due
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.cases.notices import announce_follow_ups
from urgentaction.conftest import sign_in_staff
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.staff.tests.conftest import user_with
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db

DRAFT, LIVE = Campaign.Status.DRAFT, Campaign.Status.LIVE


def publish_url(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_publish", args=[campaign.pk])


@pytest.fixture
def case() -> Campaign:
    case = CampaignFactory(title="Free the three")
    for name in ("ada", "grace", "alan"):
        supporter = SupporterFactory(email=f"{name}@people.example")
        ActionFactory(campaign=case, supporter=supporter)
    return case


@pytest.fixture
def follow_up(case) -> Campaign:
    return CampaignFactory(follow_up_of=case, title="The three are sentenced", status=DRAFT)


def test_the_page_says_whom_a_follow_up_tells_and_changes_nothing(
    campaigner_client, case, follow_up
):
    erase_supporter(Supporter.objects.get(email_hash=email_hash("alan@people.example")))

    html = campaigner_client.get(publish_url(follow_up)).content.decode()

    assert f"{case.reference} FI 1" in html
    assert f"http://127.0.0.1:8000/actions/{follow_up.slug}/" in html
    assert f"<strong>2 people</strong> who wrote on {case.reference} get one email each" in html
    assert "At 300 emails a minute, the last goes about 1 minute after" in html
    assert 'value="Publish now and tell 2 people"' in html
    follow_up.refresh_from_db()
    assert follow_up.status == DRAFT and follow_up.reference == ""


def test_publishing_a_follow_up_makes_it_live_and_tells_the_case_once(
    campaigner_client, case, follow_up
):
    response = campaigner_client.post(publish_url(follow_up), {"publish": "yes"})

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == LIVE
    assert follow_up.reference == f"{case.reference} FI 1"
    announce_follow_ups()
    assert OutboundEmail.objects.filter(kind="case_notice").count() == 3
    page = campaigner_client.get(response["Location"]).content.decode()
    assert f"is published as {case.reference} FI 1." in page


def test_a_first_publication_names_the_reference_it_will_take(campaigner_client):
    CampaignFactory()  # UA 1/yy
    draft = CampaignFactory(status=DRAFT)
    year = timezone.localdate().year % 100

    html = campaigner_client.get(publish_url(draft)).content.decode()

    assert f"UA 2/{year:02d}" in html
    assert "get one email" not in html
    assert 'value="Publish now"' in html


def test_the_campaigns_form_cannot_make_a_draft_live_or_set_its_time(superuser_client):
    draft = CampaignFactory(status=DRAFT)
    change = reverse("admin:campaigns_campaign_change", args=[draft.pk])

    html = superuser_client.get(change).content.decode()

    assert 'name="status"' not in html
    assert 'name="publish_at_0"' not in html
    assert f'href="{publish_url(draft)}"' in html


def test_a_live_campaigns_status_may_still_change_in_its_form(superuser_client):
    live = CampaignFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[live.pk])
    ).content.decode()

    assert 'name="status"' in html
    assert f'href="{publish_url(live)}"' not in html


def test_a_time_to_publish_is_kept_and_the_worker_publishes_then(campaigner_client, follow_up):
    at = timezone.localtime() + timedelta(days=1)
    data = {"schedule": "yes", "at_0": at.strftime("%Y-%m-%d"), "at_1": at.strftime("%H:%M")}

    response = campaigner_client.post(publish_url(follow_up), data)

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == DRAFT
    assert follow_up.publish_at == at.replace(second=0, microsecond=0)
    html = campaigner_client.get(publish_url(follow_up)).content.decode()
    assert "It is set to be published at" in html
    assert publish_and_close_due() == (0, 0)
    with time_machine.travel(at + timedelta(minutes=1)):
        assert publish_and_close_due() == (1, 0)
    follow_up.refresh_from_db()
    assert follow_up.status == LIVE


def test_a_time_gone_by_is_refused_with_what_was_typed(campaigner_client, follow_up):
    data = {"schedule": "yes", "at_0": "2020-01-02", "at_1": "09:30"}

    response = campaigner_client.post(publish_url(follow_up), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a time still to come, or publish it now." in html
    assert 'value="2020-01-02"' in html
    follow_up.refresh_from_db()
    assert follow_up.publish_at is None


def test_a_time_set_can_be_taken_back(campaigner_client, follow_up):
    follow_up.publish_at = timezone.now() + timedelta(hours=2)
    follow_up.save()

    campaigner_client.post(publish_url(follow_up), {"unschedule": "yes"})

    follow_up.refresh_from_db()
    assert follow_up.publish_at is None and follow_up.status == DRAFT


def test_a_campaign_that_cannot_go_live_says_why_and_stays_a_draft(campaigner_client):
    case = CampaignFactory(status=DRAFT, title="Not yet out")
    draft = CampaignFactory(status=DRAFT, follow_up_of=case, targets=[], letter=False)

    html = campaigner_client.get(publish_url(draft)).content.decode()
    campaigner_client.post(publish_url(draft), {"publish": "yes"})

    assert "It has no suggested letter." in html
    assert "It has nobody to write to." in html
    assert "It follows up “Not yet out”, which is not published yet" in html
    assert 'name="publish"' not in html
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_a_published_campaign_is_not_published_again(campaigner_client, case):
    response = campaigner_client.post(publish_url(case), {"publish": "yes"})

    assert response.status_code == 302
    assert "is published already" in campaigner_client.get(response["Location"]).content.decode()


def test_staff_who_may_only_view_campaigns_may_not_publish(client, follow_up):
    sign_in_staff(client, user_with("reader", ["campaigns.view_campaign"], is_staff=True))

    assert client.get(publish_url(follow_up)).status_code == 403
    assert client.post(publish_url(follow_up), {"publish": "yes"}).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.status == DRAFT
