from datetime import date

import pytest

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.django_db


def test_it_shows_the_case_the_target_and_the_letter(client):
    target = TargetFactory(
        office="Foreign Secretary",
        holder="Jane Minister",
        salutation="Dear Foreign Secretary",
        organisation="Foreign Office",
        address="King Charles Street\nLondon",
        postcode="SW1A 2AH",
        email="fs@government.example",
    )
    campaign = CampaignFactory(
        targets=[target],
        deadline=date(2030, 3, 14),
        story="The family was arrested.\n\nThey face return.",
        quote="Please help my family.",
        urgency_note="Time is running out.",
    )

    response = client.get(campaign.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{campaign.title}</h1>" in html
    assert "Act before 14 March 2030" in html
    assert "Time is running out." in html
    assert "<p>The family was arrested.</p>" in html
    assert "<blockquote><p>Please help my family.</p></blockquote>" in html
    assert (
        "<address>Foreign Secretary Jane Minister<br>Foreign Office<br>King Charles Street<br>"
        "London<br>SW1A 2AH<br>United Kingdom</address>"
    ) in html
    assert 'href="mailto:fs@government.example"' in html
    assert "Dear Foreign Secretary\n\nPlease act to stop this deportation." in html


def test_the_form_marks_mandatory_fields_and_leaves_the_sign_up_unticked(client):
    campaign = CampaignFactory()
    ConsentText.objects.create(wording="Email me news of your work.", details="Monthly at most.")

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "* mandatory fields" in html
    assert '<label class="label" for="id_first_name">First name <span class="required"' in html
    assert "Postcode (optional)" in html
    assert 'autocomplete="given-name"' in html
    assert 'type="checkbox" name="wants_updates"' in html
    assert "checked" not in html.split('name="wants_updates"')[1].split(">")[0]
    assert "Email me news of your work." in html
    assert "Monthly at most." in html
    assert "novalidate" in html
    assert ' maxlength="20000"' not in html
    assert 'data-maxlength="20000"' in html


def test_it_escapes_html_in_campaign_content(client):
    campaign = CampaignFactory(summary="<script>alert(1)</script>")

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_closed_campaign_shows_its_outcome_and_no_form(client):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED, outcome="The family reached safety.")

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "This urgent action has closed" in html
    assert "The family reached safety." in html
    assert "<form" not in html


def test_a_draft_or_unknown_campaign_is_not_found(client):
    draft = CampaignFactory(status=Campaign.Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/actions/no-such-campaign/").status_code == 404


def test_it_remembers_where_the_supporter_came_from(client):
    campaign = CampaignFactory()

    html = client.get(campaign.get_absolute_url() + "?source=newsletter").content.decode()
    client.post(
        campaign.get_absolute_url(),
        valid_data(source="newsletter", referrer="https://news.example/story"),
    )

    assert 'name="source" value="newsletter"' in html
    # The referrer is filled in by the browser: the page is the same for everyone.
    assert '<input type="hidden" name="referrer" id="id_referrer">' in html
    action = Action.objects.get()
    assert (action.source, action.referrer) == ("newsletter", "https://news.example/story")


def test_it_names_the_target_and_their_role_first_and_folds_the_address_away(client):
    target = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    campaign = CampaignFactory(targets=[target])

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "<h3>Jane Minister</h3>" in html
    assert '<p class="target__role">Foreign Secretary, Foreign Office</p>' in html
    disclosure = html.index("<summary>Show the postal address</summary>")
    assert html.index("<h3>Jane Minister</h3>") < disclosure < html.index("<address>")
    assert html.index("<address>") < html.index("<form")


def test_an_office_without_a_named_holder_is_named_by_its_office(client):
    target = TargetFactory(office="Home Office", holder="", organisation="")
    campaign = CampaignFactory(targets=[target])

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert "<h3>Home Office</h3>" in html
    assert "target__role" not in html


def test_the_story_opens_where_it_is_and_never_jumps_past_the_form(client):
    campaign = CampaignFactory(story="The family was arrested.\n\nThey face return.")

    html = client.get(campaign.get_absolute_url()).content.decode()

    story = html.index("<summary>Read the full story</summary>")
    assert story < html.index("<p>The family was arrested.</p>") < html.index("<form")
    assert 'href="#story"' not in html


def test_the_letter_has_one_heading(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    assert '<legend><h2 id="write">Write your letter</h2></legend>' in html
    assert ">Your letter<" not in html


def test_country_starts_as_the_sites_own(client, settings):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()
    settings.DEFAULT_COUNTRY = "Ireland"
    elsewhere = client.get(CampaignFactory().get_absolute_url()).content.decode()

    assert 'name="country" value="United Kingdom"' in html
    assert 'name="country" value="Ireland"' in elsewhere


def test_a_country_the_supporter_typed_is_kept(client):
    campaign = CampaignFactory()

    html = client.post(
        campaign.get_absolute_url(), valid_data(country="Ireland", first_name="")
    ).content.decode()

    assert 'name="country" value="Ireland"' in html


def test_the_proof_of_work_reads_as_a_check_that_runs_by_itself(client):
    html = client.get(CampaignFactory().get_absolute_url()).content.decode()

    assert '"display": "invisible"' in html
    assert "<strong>Automatic check</strong>" in html
    assert "there is nothing to do" in html


def test_it_takes_the_source_from_a_mailing_tools_utm_tags(client):
    campaign = CampaignFactory()
    query = "?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring%20appeal&utm_term=x"

    html = client.get(campaign.get_absolute_url() + query).content.decode()

    assert 'name="source" value="newsletter / email / spring appeal"' in html
