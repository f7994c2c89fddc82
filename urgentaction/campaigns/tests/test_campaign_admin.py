import re

import pytest
from django.urls import reverse
from modeltranslation.translator import translator

from urgentaction.campaigns.admin import CampaignAdmin, LetterTemplateInline
from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.staff.tests.conftest import superuser_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def flattened(fields) -> set[str]:
    names = set()
    for field in fields:
        names |= set(field) if isinstance(field, tuple) else {field}
    return names


def test_every_field_of_a_campaign_and_its_letter_is_on_the_form():
    shown = flattened(f for _name, options in CampaignAdmin.fieldsets for f in options["fields"])
    # A translated field is edited as its translations, one per language, side by side.
    editable = {
        field.name
        for field in Campaign._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created and field.concrete
    } - set(translator.get_options_for_model(Campaign).fields)
    assert editable - shown == set()
    assert {"title_en_gb", "title_ko", "story_ko", "published_languages"} <= shown
    letter = {f.name for f in LetterTemplate._meta.fields if f.editable and f.name != "campaign"}
    letter -= {"subject", "body"}
    assert letter - flattened(LetterTemplateInline.fields) == {"id"}


def test_the_form_goes_in_the_order_a_campaigner_thinks(superuser_client):  # noqa: F811
    campaign = CampaignFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    headings = re.findall(r"<h2[^>]*>\s*([^<]+?)\s*<", html)
    wanted = [
        "The case",
        "Whom to write to",
        "Suggested letter",
        "Sending rules",
        "What supporters see after sending",
        "Publishing",
        "On other sites",
        "After closing",
        "Record",
    ]
    assert [h for h in headings if h in wanted] == wanted


def test_the_letter_shows_its_placeholders_and_a_filled_in_preview(superuser_client):  # noqa: F811
    target = TargetFactory(salutation="Dear Minister Kim", office="Minister of Unification")
    campaign = CampaignFactory(targets=[target])

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    for placeholder in ("{salutation}", "{office}", "{name}"):
        assert f"<code>{placeholder}</code>" in html
    assert '<div class="letter-preview">Dear Minister Kim\n\nPlease act' in html


def test_a_new_campaign_says_its_preview_comes_once_saved(superuser_client):  # noqa: F811
    html = superuser_client.get(reverse("admin:campaigns_campaign_add")).content.decode()

    assert "Save the campaign to see its letter filled in for its targets." in html


def test_test_mode_wants_its_address(superuser_client):  # noqa: F811
    campaign = CampaignFactory(test_mode=False)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "photo"
    }
    data.update(
        targets=[t.pk for t in campaign.targets.all()],
        test_mode="on",
        test_email="",
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

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "Enter the address test letters go to." in response.content.decode()
