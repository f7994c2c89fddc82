"""Staff record an outcome through a form, then a page that says exactly what will happen
(how many letters are cancelled and why they wait, how many people are emailed), whose
one button does it. Nothing changes before that button."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.cases.models import OutcomeRecord
from urgentaction.conftest import sign_in_staff
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.staff.tests.conftest import (  # noqa: F401 (fixtures)
    CAMPAIGNER_PERMISSIONS,
    campaigner_client,
    superuser_client,
    user_with,
)

pytestmark = pytest.mark.django_db

ADD = "admin:cases_outcomerecord_add"


@pytest.fixture
def campaign():
    campaign = CampaignFactory(title="Free the family")
    ActionFactory(campaign=campaign, counted_at=timezone.now())  # its letter went
    for _ in range(2):
        DeliveryFactory(action__campaign=campaign, action__counted_at=timezone.now())
    return campaign


@pytest.fixture
def recorder_client(client):
    """A campaigner who may also record outcomes."""
    permissions = [*CAMPAIGNER_PERMISSIONS, "cases.add_outcomerecord", "cases.view_outcomerecord"]
    sign_in_staff(client, user_with("recorder", permissions, is_staff=True))
    return client


def answers(campaign, **more) -> dict[str, object]:
    return {
        "campaign": campaign.pk,
        "kind": "released",
        "on": timezone.localdate().isoformat(),
        "outcome_en_gb": "The family reached Seoul.",
        "outcome_ko": "",
        **more,
    }


def test_the_confirmation_page_says_what_will_happen_and_changes_nothing(recorder_client, campaign):
    response = recorder_client.post(reverse(ADD), answers(campaign))

    html = " ".join(response.content.decode().split())
    assert "<strong>Released</strong>" in html
    assert (
        "<strong>2 letters</strong> not yet delivered are cancelled and will never be sent" in html
    )
    assert "2 queued or waiting their turn at their targets' pace." in html
    assert "That is 2 emails to targets and copy targets." in html
    assert "<strong>3 people</strong> who wrote get one email each with the outcome" in html
    assert "Record the outcome and cancel 2 letters" in html
    campaign.refresh_from_db()
    assert (campaign.status, campaign.outcome_kind) == (Campaign.Status.LIVE, "")
    assert not OutcomeRecord.objects.exists()
    assert set(Delivery.objects.values_list("status", flat=True)) == {OutboxStatus.PENDING}


def test_its_button_records_the_outcome_closes_the_case_and_cancels_its_letters(
    recorder_client, campaign
):
    confirmation = recorder_client.post(reverse(ADD), answers(campaign)).content.decode()
    button = re.search(
        r"<form[^>]*>(?:(?!</form>).)*Record the outcome and cancel", confirmation, re.S
    )
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', button[0]))

    response = recorder_client.post(reverse(ADD), hidden, follow=True)

    assert "2 letters not yet delivered were cancelled" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert (campaign.outcome_kind, campaign.outcome_date) == ("released", timezone.localdate())
    assert campaign.outcome == "The family reached Seoul."
    record = OutcomeRecord.objects.get()
    assert (record.letters_cancelled, record.emails_cancelled) == (2, 2)
    assert record.recorded_by.username == "recorder"
    assert set(Delivery.objects.values_list("status", flat=True)) == {OutboxStatus.CANCELLED}


def test_going_back_keeps_what_was_written(recorder_client, campaign):
    response = recorder_client.post(reverse(ADD), {**answers(campaign), "edit": "yes"})

    html = response.content.decode()
    assert "Check what happens" in html
    assert "The family reached Seoul.</textarea>" in html
    assert not OutcomeRecord.objects.exists()


def test_it_asks_for_the_words_in_each_language_the_case_is_shown_in(recorder_client, campaign):
    in_korean(campaign)

    response = recorder_client.post(reverse(ADD), answers(campaign))

    assert "The case is shown in Korean: say what happened in it too." in response.content.decode()
    assert not OutcomeRecord.objects.exists()


def test_an_outcome_cannot_be_in_the_future_or_recorded_twice(recorder_client, campaign):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    future = recorder_client.post(reverse(ADD), answers(campaign, on=tomorrow))
    recorder_client.post(reverse(ADD), answers(campaign, confirmed="yes"))
    again = recorder_client.post(reverse(ADD), answers(campaign, confirmed="yes"))

    assert "Enter a date that is today or before." in future.content.decode()
    assert OutcomeRecord.objects.count() == 1
    assert "Select a valid choice" in again.content.decode()


def test_a_campaigner_without_the_right_to_record_outcomes_is_refused(
    campaigner_client,  # noqa: F811
    campaign,
):
    assert campaigner_client.get(reverse(ADD)).status_code == 403
    assert (
        campaigner_client.post(reverse(ADD), answers(campaign, confirmed="yes")).status_code == 403
    )
    assert not OutcomeRecord.objects.exists()


def test_recording_takes_the_right_to_change_campaigns_too(client, campaign):
    sign_in_staff(client, user_with("clerk", ["cases.add_outcomerecord"], is_staff=True))

    assert client.post(reverse(ADD), answers(campaign, confirmed="yes")).status_code == 403


def test_an_outsider_is_sent_to_sign_in(client, campaign):
    response = client.post(reverse(ADD), answers(campaign, confirmed="yes"))

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not OutcomeRecord.objects.exists()


def test_the_campaign_page_in_the_admin_leads_to_it_and_then_offers_corrections(
    recorder_client, campaign
):
    change = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    before = recorder_client.get(change).content.decode()
    recorder_client.post(reverse(ADD), answers(campaign, confirmed="yes"))
    after = recorder_client.get(change)

    assert f'href="{reverse(ADD)}?campaign={campaign.pk}">Record the outcome</a>' in before
    assert "Record the outcome" not in after.content.decode()
    form = after.context["adminform"].form
    assert {"outcome_kind", "outcome_date"} <= set(form.fields)


def test_the_form_starts_with_the_campaign_it_was_opened_from(recorder_client, campaign):
    html = recorder_client.get(f"{reverse(ADD)}?campaign={campaign.pk}").content.decode()

    assert f'<option value="{campaign.pk}" selected>Free the family</option>' in html


def test_the_list_shows_what_each_outcome_cancelled_and_how_far_its_email_has_got(
    superuser_client,  # noqa: F811
    campaign,
):
    superuser_client.post(reverse(ADD), answers(campaign, confirmed="yes"))

    html = superuser_client.get(reverse("admin:cases_outcomerecord_changelist")).content.decode()

    assert "Free the family" in html and "Released" in html
    assert '<td class="field-letters_cancelled">2</td>' in html
    assert '<td class="field-progress">0 of 0</td>' in html


@pytest.fixture
def follow_up(campaign):
    """A follow-up of ``campaign``'s case, live beside it, with a letter in its queue."""
    follow_up = CampaignFactory(title="Their trial is set", follow_up_of=campaign)
    DeliveryFactory(action__campaign=follow_up, action__counted_at=timezone.now())
    return follow_up


def test_the_confirmation_page_counts_the_letters_and_people_of_every_page_of_the_case(
    recorder_client, campaign, follow_up
):
    response = recorder_client.post(reverse(ADD), answers(follow_up))

    html = " ".join(response.content.decode().split())
    assert "The case's 2 pages show the outcome at the top" in html
    assert f"<li>{campaign.reference}: Free the family (live)</li>" in html
    assert f"<li>{follow_up.reference}: Their trial is set (live)</li>" in html
    assert "<strong>3 letters</strong> not yet delivered are cancelled" in html
    assert "<strong>4 people</strong> who wrote get one email each" in html

    done = recorder_client.post(reverse(ADD), answers(follow_up, confirmed="yes"), follow=True)

    assert (
        "The outcome of “Their trial is set” is recorded and the case&#x27;s 2 pages closed. "
        "3 letters not yet delivered were cancelled" in done.content.decode()
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {OutboxStatus.CANCELLED}
    assert set(Campaign.objects.values_list("status", "outcome_kind")) == {("closed", "released")}


def test_it_asks_for_the_words_in_each_language_any_page_of_the_case_is_shown_in(
    recorder_client, campaign, follow_up
):
    in_korean(follow_up)

    response = recorder_client.post(reverse(ADD), answers(campaign))

    assert "The case is shown in Korean: say what happened in it too." in response.content.decode()
    assert not OutcomeRecord.objects.exists()


def test_the_form_offers_no_page_of_a_case_whose_outcome_is_recorded(
    recorder_client, campaign, follow_up
):
    recorder_client.post(reverse(ADD), answers(follow_up, confirmed="yes"))

    again = recorder_client.post(reverse(ADD), answers(campaign, confirmed="yes"))

    assert "Select a valid choice" in again.content.decode()
    assert OutcomeRecord.objects.count() == 1
