import io
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
from urgentaction.core.tests.images import halves, jpeg_with_metadata, pixels, png_header, tiny_png
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


def stored(campaign: Campaign, field: str = "photo") -> bytes:
    with default_storage.open(getattr(campaign, field).name, "rb") as file:
        return file.read()


def png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    halves(width, height).save(output, "PNG")
    return output.getvalue()


def test_a_photo_is_stored_under_a_new_name_without_its_metadata(media):
    campaign = with_photo(tiny_png(4, 3, text=SECRET))

    assert re.fullmatch(r"campaigns/[0-9a-f]{32}\.png", campaign.photo.name)
    assert pixels(stored(campaign)).tobytes() == pixels(tiny_png(4, 3)).tobytes()
    assert (campaign.photo_width, campaign.photo_height) == (4, 3)
    assert not campaign.photo_small
    assert SECRET not in b"".join(path.read_bytes() for path in media.rglob("*.*"))


def test_a_jpeg_loses_its_exif_too():
    campaign = with_photo(jpeg_with_metadata(1200, 800, SECRET))

    assert SECRET not in stored(campaign) and SECRET not in stored(campaign, "photo_small")
    assert campaign.photo.name.endswith(".jpg")


def test_a_large_photo_is_stored_1600_pixels_wide_and_800_for_phones():
    campaign = with_photo(png(4000, 2000))

    assert (campaign.photo_width, campaign.photo_height) == (1600, 800)
    assert pixels(stored(campaign)).size == (1600, 800)
    assert re.fullmatch(r"campaigns/[0-9a-f]{32}\.png", campaign.photo_small.name)
    assert pixels(stored(campaign, "photo_small")).size == (800, 400)


def test_a_photo_taken_sideways_is_stored_upright():
    campaign = with_photo(jpeg_with_metadata(40, 20, SECRET, orientation=6))

    assert (campaign.photo_width, campaign.photo_height) == (20, 40)


def test_the_page_shows_the_photo_with_what_it_shows(client):
    campaign = with_photo(tiny_png(4, 3))

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert (
        f'<img src="/media/{campaign.photo.name}" alt="Lee holding a photo of his son" '
        'width="4" height="3">'
    ) in html
    assert '<meta property="og:image" content="http://testserver/media/campaigns/' in html


def test_the_page_lets_a_phone_fetch_the_smaller_photo(client):
    campaign = with_photo(png(2000, 1000))

    html = client.get(campaign.get_absolute_url()).content.decode()

    assert (
        f'<img src="/media/{campaign.photo.name}" srcset="/media/{campaign.photo_small.name} '
        f'800w, /media/{campaign.photo.name} 1600w" sizes="(min-width: 44rem) 42rem, '
        'calc(100vw - 2rem)" alt="Lee holding a photo of his son" width="1600" height="800">'
    ) in html


def test_a_published_photo_can_be_cached_for_good(client):
    campaign = with_photo(tiny_png())

    response = client.get(f"/media/{campaign.photo.name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored(campaign)
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]


def test_the_smaller_photo_is_served_as_the_photo_is(client):
    campaign = with_photo(png(1000, 500), status=Campaign.Status.DRAFT)

    assert client.get(f"/media/{campaign.photo_small.name}").status_code == 404
    campaign.status = Campaign.Status.LIVE
    campaign.save()
    response = client.get(f"/media/{campaign.photo_small.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(campaign, "photo_small")


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
        (png_header(10_000, 6_000), "Choose a photo of 50 megapixels or less."),
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


def test_a_replaced_or_cleared_photo_is_deleted(django_capture_on_commit_callbacks, media):
    campaign = with_photo(png(1000, 500))
    first = [campaign.photo.name, campaign.photo_small.name]

    with django_capture_on_commit_callbacks(execute=True):
        campaign.photo = upload(png(900, 450))
        campaign.save()
    second = [campaign.photo.name, campaign.photo_small.name]
    with django_capture_on_commit_callbacks(execute=True):
        campaign.photo = ""
        campaign.save()

    assert not any(default_storage.exists(name) for name in first + second)
    assert list(media.rglob("*.*")) == []
    assert (campaign.photo_width, campaign.photo_height) == (None, None)
    assert not campaign.photo_small


def test_a_duplicate_has_a_copy_of_the_photo_of_its_own():
    original = with_photo(png(1000, 500))

    copy = duplicate_campaign(campaign=original)

    assert copy.photo.name != original.photo.name
    assert copy.photo_small.name != original.photo_small.name
    assert stored(copy) == stored(original)
    assert stored(copy, "photo_small") == stored(original, "photo_small")
    assert copy.photo_alt == original.photo_alt


def test_staff_upload_a_photo_on_the_campaigns_form(superuser_client):  # noqa: F811
    response = superuser_client.get(reverse("admin:campaigns_campaign_add"))
    html = response.content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'name="photo"' in html and 'name="photo_alt_en_gb"' in html
