"""Staff log a target's response; a published one shows on the case's page and the
target's page, with its PDF (stored without its hidden details) to download."""

import io
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import TargetResponse
from urgentaction.conftest import sign_in_staff
from urgentaction.staff.tests.conftest import user_with

pytestmark = pytest.mark.django_db

ADD = reverse("admin:cases_targetresponse_add")


def pdf(**metadata) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata(metadata)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(script)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def visitor():
    """Someone who is not signed in (``admin_client`` signs in pytest-django's ``client``)."""
    return Client()


@pytest.fixture
def target():
    return TargetFactory(office="Foreign Secretary", holder="Jane Minister")


@pytest.fixture
def campaign(target):
    return CampaignFactory(targets=[target], status=Campaign.Status.CLOSED)


def logged(campaign, target, **fields) -> dict:
    return {
        "campaign": campaign.pk,
        "target": target.pk,
        "holder": "",
        "received_on": "2027-03-20",
        "channel": "letter",
        "summary_en_gb": "The Foreign Secretary says she raised the case in Beijing.",
        "summary_ko": "",
        "text": "Dear Ms Lovelace, I raised Mr Kim's case with my counterpart.",
        **fields,
    }


def test_staff_log_a_response_with_a_pdf_stored_without_its_hidden_details(
    admin_client, campaign, target
):
    original = pdf(**{"/Author": "Jane Official", "/Title": "To A Lovelace"})
    assert b"Jane Official" in original
    assert b"/JavaScript" in original
    upload = SimpleUploadedFile("Letter to Ada Lovelace.pdf", original)

    response = admin_client.post(ADD, logged(campaign, target, document=upload, published="on"))

    assert response.status_code == 302, response.content.decode()
    saved = TargetResponse.objects.get()
    assert saved.holder == "Jane Minister"
    assert saved.published
    assert saved.document.name.startswith("responses/")
    assert "Lovelace" not in saved.document.name
    with default_storage.open(saved.document.name, "rb") as file:
        stored = file.read()
    for hidden in (b"Jane Official", b"Lovelace", b"/JavaScript", b"/OpenAction"):
        assert hidden not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1
    assert not reader.metadata
    assert "/OpenAction" not in reader.trailer["/Root"]


def test_a_file_that_is_not_a_pdf_is_refused(admin_client, campaign, target):
    upload = SimpleUploadedFile("reply.pdf", b"GIF89a not a pdf")

    response = admin_client.post(ADD, logged(campaign, target, document=upload))

    assert response.status_code == 200
    assert "Choose a PDF file that opens without a password." in response.content.decode()
    assert not TargetResponse.objects.exists()


def test_a_response_must_come_from_one_of_the_cases_targets(admin_client, campaign):
    stranger = TargetFactory(office="Home Secretary")

    response = admin_client.post(ADD, logged(campaign, stranger))

    assert "Choose one of the case&#x27;s targets." in response.content.decode()


def test_a_published_response_shows_on_the_case_page_and_the_targets_page(
    visitor, admin_client, campaign, target
):
    upload = SimpleUploadedFile("reply.pdf", pdf())
    admin_client.post(ADD, logged(campaign, target, document=upload, published="on"))
    saved = TargetResponse.objects.get()

    case_page = visitor.get(campaign.get_absolute_url()).content.decode()
    target_page = visitor.get(f"/targets/{target.pk}/").content.decode()

    for page in (case_page, target_page):
        assert "The Foreign Secretary says she raised the case in Beijing." in page
        assert "I raised Mr Kim&#x27;s case with my counterpart." in page
        assert '<time datetime="2027-03-20">20 March 2027</time>' in page
        assert "Download the response (PDF," in page
    assert "Responses from the targets" in case_page
    assert "Foreign Secretary (Jane Minister)" in case_page
    assert campaign.title in target_page
    download = visitor.get("/media/" + saved.document.name)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")


def test_an_unpublished_response_shows_nowhere_and_its_pdf_only_to_staff(
    visitor, admin_client, campaign, target
):
    upload = SimpleUploadedFile("reply.pdf", pdf())
    admin_client.post(ADD, logged(campaign, target, document=upload))
    path = "/media/" + TargetResponse.objects.get().document.name

    assert "raised the case" not in visitor.get(campaign.get_absolute_url()).content.decode()
    assert "raised the case" not in visitor.get(f"/targets/{target.pk}/").content.decode()
    assert visitor.get(path).status_code == 404
    staff = admin_client.get(path)
    assert staff.status_code == 200
    assert "private" in staff["Cache-Control"]


def test_staff_without_the_right_cannot_log_responses_or_see_unpublished_pdfs(
    admin_client, campaign, target
):
    admin_client.post(ADD, logged(campaign, target, document=SimpleUploadedFile("r.pdf", pdf())))
    path = "/media/" + TargetResponse.objects.get().document.name
    outsider = Client()
    sign_in_staff(outsider, user_with("newcomer", ["campaigns.view_campaign"], is_staff=True))

    assert outsider.get(ADD).status_code == 403
    assert outsider.post(ADD, logged(campaign, target)).status_code == 403
    assert outsider.get(path).status_code == 404
    assert TargetResponse.objects.count() == 1


def test_publishing_renews_the_case_page_in_every_cache(visitor, admin_client, campaign, target):
    first = visitor.get(campaign.get_absolute_url())
    admin_client.post(ADD, logged(campaign, target, published="on"))

    again = visitor.get(campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "raised the case in Beijing" in again.content.decode()


def test_withdrawing_a_response_takes_it_off_the_pages(visitor, admin_client, campaign, target):
    admin_client.post(ADD, logged(campaign, target, published="on"))
    saved = TargetResponse.objects.get()
    visitor.get(campaign.get_absolute_url())

    change = reverse("admin:cases_targetresponse_change", args=[saved.pk])
    admin_client.post(change, logged(campaign, target, holder="Jane Minister"))

    assert "raised the case" not in visitor.get(campaign.get_absolute_url()).content.decode()


def test_the_summary_is_shown_in_the_pages_language(visitor, admin_client, campaign, target):
    campaign.published_languages = ["ko"]
    campaign.title_ko, campaign.summary_ko, campaign.story_ko = "제목", "요약", "이야기"
    campaign.save()
    target.office_ko, target.salutation_ko = "외무장관", "외무장관님께"
    target.save()
    admin_client.post(
        ADD, logged(campaign, target, published="on", summary_ko="외무장관은 베이징에서 제기했다.")
    )

    page = visitor.get(f"/ko/targets/{target.pk}/").content.decode()

    assert "외무장관은 베이징에서 제기했다." in page
    assert date(2027, 3, 20).isoformat() in page
