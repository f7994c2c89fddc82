"""Staff choose the sites that may show a campaign's action in their pages, and copy the
code that does it from the campaign's page."""

import html

import pytest
from django.urls import reverse

from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.staff.tests.conftest import superuser_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def change_url(campaign) -> str:
    return reverse("admin:campaigns_campaign_change", args=[campaign.pk])


def save(client, campaign, origins: str):
    """The campaign's form as it stands, sent with ``origins`` typed in."""
    form = client.get(change_url(campaign)).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "photo"
    }
    data.update(
        targets=[t.pk for t in campaign.targets.all()],
        embed_origins=origins,
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
    data = {k: v for k, v in data.items() if v is not False}
    return client.post(change_url(campaign), data)


def test_staff_list_the_sites_one_on_each_line_as_browsers_write_them(
    superuser_client,  # noqa: F811
):
    campaign = CampaignFactory()

    response = save(
        superuser_client,
        campaign,
        "https://Partner.Example.org/\n\nhttp://127.0.0.1:8001\nhttps://partner.example.org:443",
    )

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.embed_origins == ["https://partner.example.org", "http://127.0.0.1:8001"]


@pytest.mark.parametrize(
    "typed",
    ["https://partner.example.org/campaigns", "partner.example.org", "https://*.example.org"],
)
def test_a_line_that_is_not_a_sites_address_is_refused(superuser_client, typed):  # noqa: F811
    campaign = CampaignFactory(embed_origins=["https://kept.example.org"])

    response = save(superuser_client, campaign, f"https://fine.example.org\n{typed}")

    assert response.status_code == 200
    assert f"“{typed}” is not a site's address" in html.unescape(response.content.decode())
    campaign.refresh_from_db()
    assert campaign.embed_origins == ["https://kept.example.org"]


def test_the_campaigns_page_shows_the_code_for_each_language_it_is_in(
    superuser_client,  # noqa: F811
    settings,
):
    settings.SITE_URL = "https://act.example.org"
    campaign = in_korean(CampaignFactory(slug="free-them"))

    page = html.unescape(superuser_client.get(change_url(campaign)).content.decode())

    script = "https://act.example.org/static/ua/embed.js"
    assert f'<script src="{script}" data-action="free-them" async></script>' in page
    assert (
        f'<script src="{script}" data-action="free-them" data-language="ko" async></script>' in page
    )
    assert '<label class="embed-code-label" for="embed-code-ko">Code for the page in Korean' in page


def test_a_new_campaign_says_its_code_comes_once_saved(superuser_client):  # noqa: F811
    page = superuser_client.get(reverse("admin:campaigns_campaign_add")).content.decode()

    assert "Save the campaign to get the code for other sites&#x27; pages." in page
