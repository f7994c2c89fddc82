import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.staff.tests.conftest import superuser_client, user_with  # noqa: F401

pytestmark = pytest.mark.django_db

DRAFT = Campaign.Status.DRAFT


def change_url(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_change", args=[campaign.pk])


def follow_up_url(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_follow_up", args=[campaign.pk])


@pytest.fixture
def case() -> Campaign:
    return CampaignFactory(slug="free-the-poets", title="Free the poets")


def test_the_list_and_the_form_show_the_reference(superuser_client, case):  # noqa: F811
    draft = CampaignFactory(status=DRAFT, title="Not yet")

    listed = superuser_client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    form = superuser_client.get(change_url(case)).content.decode()

    assert case.reference in listed
    assert "Given when first published." in listed
    assert case.reference in form
    assert "Given when first published." in superuser_client.get(change_url(draft)).content.decode()


def test_staff_find_a_case_and_its_follow_ups_by_reference(superuser_client, case):  # noqa: F811
    follow_up = CampaignFactory(title="News of the poets", follow_up_of=case)
    CampaignFactory(title="Another case")
    typed = case.reference.removeprefix("UA ")

    listed = superuser_client.get(
        reverse("admin:campaigns_campaign_changelist"), {"q": typed}
    ).context["cl"]

    assert set(listed.result_list) == {case, follow_up}


def test_a_draft_can_be_made_a_follow_up_of_a_published_case_only(superuser_client, case):  # noqa: F811
    CampaignFactory(status=DRAFT, title="An unpublished case")
    draft = CampaignFactory(status=DRAFT)

    field = superuser_client.get(change_url(draft)).context["adminform"].form.fields["follow_up_of"]

    assert [label for _value, label in field.choices][1:] == [f"{case.reference}: Free the poets"]


def test_once_published_its_case_cannot_change(superuser_client, case):  # noqa: F811
    form = superuser_client.get(change_url(case)).context["adminform"].form

    assert "follow_up_of" not in form.fields


def test_staff_are_asked_then_taken_to_a_draft_follow_up_of_the_case(superuser_client, case):  # noqa: F811
    follow_up = CampaignFactory(follow_up_of=case)
    assert f'href="{follow_up_url(follow_up)}">Start a follow-up</a>' in (
        superuser_client.get(change_url(follow_up)).content.decode()
    )

    asked = superuser_client.get(follow_up_url(follow_up))
    made = superuser_client.post(follow_up_url(follow_up))

    assert f"It is further information on {case.reference}" in asked.content.decode()
    draft = Campaign.objects.get(status=DRAFT)
    assert draft.follow_up_of == case
    assert draft.reference == ""
    assert made["Location"] == change_url(draft)


def test_a_draft_has_no_case_to_follow_up(superuser_client):  # noqa: F811
    draft = CampaignFactory(status=DRAFT)

    assert "Start a follow-up" not in superuser_client.get(change_url(draft)).content.decode()
    assert superuser_client.post(follow_up_url(draft)).status_code == 404


def test_only_staff_who_may_add_campaigns_can_start_a_follow_up(client, case):
    viewer = Client()
    sign_in_staff(viewer, user_with("viewer", ["campaigns.view_campaign"], is_staff=True))
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user("outsider"))

    assert viewer.post(follow_up_url(case)).status_code == 403
    assert outsider.post(follow_up_url(case)).status_code == 302
    assert client.post(follow_up_url(case)).status_code == 302
    assert Campaign.objects.count() == 1
