"""A case whose outcome staff recorded shows it at the top of its page, its form closed,
and the home page lists it under "Outcomes"."""

import re
from datetime import date

import pytest
from django.urls import reverse

from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.campaigns.models import Campaign, OutcomeKind
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.campaigns.tests.test_campaign_admin import form_data
from urgentaction.staff.tests.conftest import superuser_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def with_outcome(**fields) -> Campaign:
    return CampaignFactory(
        **{
            "status": Campaign.Status.CLOSED,
            "outcome_kind": OutcomeKind.RELEASED,
            "outcome_date": date(2026, 3, 2),
            "outcome": "Lee's wife and son reached Seoul.\n\nThank you for every letter.",
            "action_count": 1204,
            **fields,
        }
    )


def test_the_page_shows_the_outcome_first_and_no_form(client):
    campaign = with_outcome()

    html = client.get(campaign.get_absolute_url()).content.decode()

    panel = re.search(r'<section class="panel panel--outcome".*?</section>', html, re.S).group(0)
    assert '<h2 id="outcome-title">Released</h2>' in panel
    assert '<time datetime="2026-03-02">2 March 2026</time>' in panel
    assert "<p>Lee&#x27;s wife and son reached Seoul.</p>" in panel
    assert "1204 people wrote letters. Thank you." in panel
    assert html.index("panel--outcome") < html.index('id="targets-title"')
    assert "<form" not in html.split("</header>", 1)[1].split("<footer", 1)[0]
    assert "This urgent action has closed" not in html


def test_a_letter_sent_to_a_case_with_an_outcome_is_refused(client):
    campaign = with_outcome()

    response = client.post(campaign.get_absolute_url(), valid_data())

    assert "panel--outcome" in response.content.decode()
    assert not campaign.actions.exists()


def test_a_case_closed_before_outcomes_had_kinds_still_shows_its_words(client):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED, outcome="The family is safe.")

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "This urgent action has closed" in html and "The family is safe." in html
    assert "panel--outcome" not in html
    assert "Outcomes" not in client.get("/").content.decode()


def test_the_home_page_lists_cases_under_outcomes_the_latest_first(client):
    CampaignFactory(title="Still open")
    older = with_outcome(title="Free the journalists", outcome_date=date(2025, 12, 1))
    newer = with_outcome(title="Free the family")
    CampaignFactory(title="A draft", status=Campaign.Status.DRAFT, outcome_kind="released")

    html = client.get("/").content.decode()

    outcomes = html.split('<h2 id="outcomes-title">Outcomes</h2>', 1)[1]
    assert outcomes.index(newer.title) < outcomes.index(older.title)
    assert '<strong>Released</strong>, <time datetime="2026-03-02">2 March 2026</time>' in outcomes
    assert "Still open" not in outcomes and "A draft" not in html
    assert f'<a href="{newer.get_absolute_url()}">Free the family</a>' in outcomes


def test_the_korean_home_page_lists_outcomes_translated_into_korean(client):
    campaign = in_korean(with_outcome(slug="family"))
    campaign.outcome_ko = "이 씨의 아내와 아들이 서울에 도착했습니다."
    campaign.save()
    with_outcome(slug="english-only")

    html = client.get("/ko/").content.decode()

    assert "이 씨의 아내와 아들이 서울에 도착했습니다." in html
    assert "/ko/actions/family/" in html
    assert "english-only" not in html


def test_a_case_with_an_outcome_cannot_be_reopened_or_lose_it_in_the_admin(
    superuser_client,  # noqa: F811
):
    campaign = with_outcome()
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value not in (None, False) and name != "photo"
    }
    data.update(
        targets=[t.pk for t in campaign.targets.all()],
        outcome_date="2026-03-02",
        **{
            "letter-TOTAL_FORMS": "1",
            "letter-INITIAL_FORMS": "1",
            "letter-MIN_NUM_FORMS": "1",
            "letter-MAX_NUM_FORMS": "1",
            "letter-0-id": campaign.letter.pk,
            "letter-0-campaign": campaign.pk,
            "letter-0-subject_en_gb": campaign.letter.subject,
            "letter-0-body_en_gb": campaign.letter.body,
        },
    )
    for flag in ("requires_confirmation", "allow_template_letters", "offers_email"):
        if data.pop(flag, False):
            data[flag] = "on"

    reopened = superuser_client.post(url, {**data, "status": "live"})
    cleared = superuser_client.post(url, {**data, "outcome_kind": ""})
    corrected = superuser_client.post(url, {**data, "outcome_kind": "allowed_to_leave"})

    assert "A case whose outcome is recorded stays closed" in reopened.content.decode()
    assert "can be corrected but not removed" in cleared.content.decode()
    assert corrected.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.outcome_kind) == ("closed", "allowed_to_leave")


def test_a_correction_on_one_page_of_a_case_is_made_on_its_other_pages(
    superuser_client,  # noqa: F811
):
    first = CampaignFactory()
    follow_up = CampaignFactory(follow_up_of=first)
    other = with_outcome()
    ended = {"status": "closed", "outcome_kind": "released", "outcome_date": date(2026, 3, 2)}
    Campaign.objects.filter(pk__in=[first.pk, follow_up.pk]).update(
        **ended, outcome_en_gb="They reached Seoul."
    )
    follow_up.refresh_from_db()

    response = superuser_client.post(
        reverse("admin:campaigns_campaign_change", args=[follow_up.pk]),
        form_data(
            superuser_client,
            follow_up,
            outcome_kind="allowed_to_leave",
            outcome_date="2026-03-04",
            outcome_en_gb="They reached Seoul on 4 March.",
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.outcome_kind, first.outcome_date) == ("allowed_to_leave", date(2026, 3, 4))
    assert first.outcome_en_gb == "They reached Seoul on 4 March."
    other.refresh_from_db()
    assert other.outcome_kind == OutcomeKind.RELEASED


def test_the_home_page_lists_a_case_once_though_each_of_its_pages_shows_the_outcome(client):
    first = CampaignFactory(title="Free the family")
    follow_up = CampaignFactory(title="Their trial is set", follow_up_of=first)
    Campaign.objects.filter(pk__in=[first.pk, follow_up.pk]).update(
        status="closed", outcome_kind="released", outcome_date=date(2026, 3, 2)
    )

    outcomes = client.get("/").content.decode().split('id="outcomes-title"', 1)[1]

    assert "Free the family" in outcomes
    assert "Their trial is set" not in outcomes
