import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.services import duplicate_campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.tests.images import jpeg_with_metadata, tiny_png
from urgentaction.staff.tests.conftest import superuser_client, user_with  # noqa: F401

pytestmark = pytest.mark.django_db

SECRET = b"taken at 37.5665N 126.9780E by Kim"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(data: bytes, name: str = "IMG_0001 Kim family.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def with_photo(data: bytes, **fields) -> Campaign:
    campaign = CampaignFactory(**fields)
    campaign.photo = upload(data)
    campaign.photo_alt = "Lee holding a photo of his son"
    campaign.full_clean()
    campaign.save()
    return campaign


def stored(campaign: Campaign) -> bytes:
    with default_storage.open(campaign.photo.name, "rb") as file:
        return file.read()


def test_a_photo_is_stored_under_a_new_name_without_its_metadata(media):
    campaign = with_photo(tiny_png(4, 3, text=SECRET))

    assert re.fullmatch(r"campaigns/[0-9a-f]{32}\.png", campaign.photo.name)
    assert stored(campaign) == tiny_png(4, 3)
    assert (campaign.photo_width, campaign.photo_height) == (4, 3)
    assert SECRET not in b"".join(path.read_bytes() for path in media.rglob("*.*"))


def test_a_jpeg_loses_its_exif_too():
    campaign = with_photo(jpeg_with_metadata(1200, 800, SECRET))

    assert SECRET not in stored(campaign)
    assert campaign.photo.name.endswith(".jpg")


def test_the_page_shows_the_photo_with_what_it_shows(client):
    campaign = with_photo(tiny_png(4, 3))

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert (
        f'<img src="/media/{campaign.photo.name}" alt="Lee holding a photo of his son" '
        'width="4" height="3">'
    ) in html
    assert '<meta property="og:image" content="http://testserver/media/campaigns/' in html


def test_a_published_photo_can_be_cached_for_good(client):
    campaign = with_photo(tiny_png())

    response = client.get(f"/media/{campaign.photo.name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == tiny_png()
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]


def test_a_drafts_photo_is_for_staff_who_may_preview_it(client):
    campaign = with_photo(tiny_png(), status=Campaign.Status.DRAFT)
    staff = Client()
    sign_in_staff(staff, user_with("editor", ["campaigns.view_campaign"], is_staff=True))

    assert client.get(f"/media/{campaign.photo.name}").status_code == 404
    response = staff.get(f"/media/{campaign.photo.name}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_no_other_file_is_served(client, media):
    (media / "campaigns").mkdir()
    (media / "campaigns" / f"{'a' * 32}.png").write_bytes(tiny_png())

    assert client.get(f"/media/campaigns/{'a' * 32}.png").status_code == 404
    assert client.get("/media/campaigns/../settings.py").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg><script>alert(1)</script></svg>", "Choose a photo in JPEG, PNG or WebP format."),
        (tiny_png() + bytes(5 * 1024 * 1024), "Choose a photo of 5 MB or less."),
    ],
)
def test_it_refuses_what_is_not_a_photo_it_can_use(data, message):
    campaign = CampaignFactory(photo_alt="A photo")
    campaign.photo = upload(data)

    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()

    assert refused.value.message_dict["photo"] == [message]


def test_a_photo_needs_words_for_people_who_cannot_see_it():
    campaign = CampaignFactory()
    campaign.photo = upload(tiny_png())

    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()

    assert "photo_alt" in refused.value.message_dict


def test_a_replaced_or_cleared_photo_is_deleted(django_capture_on_commit_callbacks):
    campaign = with_photo(tiny_png())
    first = campaign.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        campaign.photo = upload(tiny_png(2, 2))
        campaign.save()
    second = campaign.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        campaign.photo = ""
        campaign.save()

    assert not default_storage.exists(first)
    assert not default_storage.exists(second)
    assert (campaign.photo_width, campaign.photo_height) == (None, None)


def test_a_duplicate_has_a_copy_of_the_photo_of_its_own():
    original = with_photo(tiny_png(3, 3))

    copy = duplicate_campaign(campaign=original)

    assert copy.photo.name != original.photo.name
    assert stored(copy) == stored(original)
    assert copy.photo_alt == original.photo_alt


def test_staff_upload_a_photo_on_the_campaigns_form(superuser_client):  # noqa: F811
    response = superuser_client.get(reverse("admin:campaigns_campaign_add"))
    html = response.content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'name="photo"' in html and 'name="photo_alt_en_gb"' in html
