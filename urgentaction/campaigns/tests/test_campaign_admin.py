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


def form_data(client, campaign: Campaign, **changes) -> dict:
    """What the campaign's change form posts back as it stands, with ``changes``."""
    form = (
        client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
        .context["adminform"]
        .form
    )
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name != "photo"
    }
    data.update(
        targets=[t.pk for t in campaign.targets.all()],
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
    data.update(changes)
    for flag in ("requires_confirmation", "allow_template_letters", "offers_email", "test_mode"):
        if data.pop(flag, False):
            data[flag] = "on"
    return {k: v for k, v in data.items() if v is not False}


def test_test_mode_wants_its_address(superuser_client):  # noqa: F811
    campaign = CampaignFactory(test_mode=False)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])

    response = superuser_client.post(
        url, form_data(superuser_client, campaign, test_mode=True, test_email="")
    )

    assert response.status_code == 200
    assert "Enter the address test letters go to." in response.content.decode()


def test_long_lines_show_whole_in_boxes_that_wrap(superuser_client):  # noqa: F811
    campaign = CampaignFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    for name, rows, most in [
        ("title_en_gb", 2, 200),
        ("title_ko", 2, 200),
        ("summary_en_gb", 3, 400),
        ("urgency_note_en_gb", 2, 200),
        ("photo_alt_en_gb", 2, 300),
        ("letter-0-subject_en_gb", 2, 200),
    ]:
        box = re.search(rf'<textarea name="{name}"[^>]*>', html)
        assert box, name
        assert f'rows="{rows}"' in box[0] and f'maxlength="{most}"' in box[0]
        assert "wrapping-line" in box[0]


def test_a_line_break_typed_in_a_title_or_subject_is_saved_as_a_space(superuser_client):  # noqa: F811
    campaign = CampaignFactory()
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = form_data(
        superuser_client,
        campaign,
        title_en_gb="Free the\r\nthree",
        **{"letter-0-subject_en_gb": "Please\n  free them"},
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    campaign.refresh_from_db()
    campaign.letter.refresh_from_db()
    assert (campaign.title_en_gb, campaign.letter.subject_en_gb) == (
        "Free the three",
        "Please free them",
    )


def test_the_preview_shows_the_letter_in_each_language_it_is_written_in(superuser_client):  # noqa: F811
    target = TargetFactory(salutation_en_gb="Dear Minister", salutation_ko="장관님께")
    campaign = CampaignFactory(targets=[target])
    LetterTemplate.objects.filter(campaign=campaign).update(
        subject_ko="석방해 주십시오", body_ko="{salutation}\n\n석방해 주십시오."
    )

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    assert '<section lang="en-gb"><h3>English</h3>' in html
    assert (
        '<section lang="ko"><h3>Korean</h3><p><strong>Subject:</strong> 석방해 주십시오</p>'
        '<div class="letter-preview">장관님께\n\n석방해 주십시오.</div></section>'
    ) in html


def test_a_letter_in_one_language_has_one_preview(superuser_client):  # noqa: F811
    campaign = CampaignFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    assert '<section lang="en-gb">' in html and '<section lang="ko">' not in html


def test_the_placeholders_sit_in_the_row_of_the_letter(superuser_client):  # noqa: F811
    campaign = CampaignFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    ).content.decode()

    assert '<div class="form-row field-body_en_gb field-body_ko field-placeholders">' in html


def test_a_targets_long_lines_wrap_too(superuser_client):  # noqa: F811
    target = TargetFactory()

    html = superuser_client.get(
        reverse("admin:campaigns_target_change", args=[target.pk])
    ).content.decode()

    for name in ("office_en_gb", "salutation_ko", "why_en_gb"):
        assert re.search(rf'<textarea name="{name}"[^>]*wrapping-line', html), name


def test_the_times_to_publish_and_close_have_a_label_for_each_box(superuser_client):  # noqa: F811
    draft = CampaignFactory(status=Campaign.Status.DRAFT)

    form = superuser_client.get(reverse("admin:campaigns_campaign_add")).content.decode()
    publishing = superuser_client.get(
        reverse("admin:campaigns_campaign_publish", args=[draft.pk])
    ).content.decode()

    for html, box in (
        (form, "close_at_0"),
        (form, "close_at_1"),
        (publishing, "at_0"),
        (publishing, "at_1"),
    ):
        assert f'<label for="id_{box}" class="datetime-part">' in html, box
