import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from urgentaction.conftest import sign_in_staff
from urgentaction.pages.models import Page
from urgentaction.pages.tests.factories import PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@org.example", "pw-for-tests")
    sign_in_staff(client, user)
    return client


def test_staff_write_a_page_in_markdown_and_place_it_in_the_navigation(staff_client):
    response = staff_client.post(
        reverse("admin:pages_page_add"),
        {
            "title_en_gb": "Privacy notice",
            "slug": "privacy",
            "summary_en_gb": "",
            "body_en_gb": "We keep letters for {letter_retention_days} days.",
            "published": "on",
            "place": "footer",
            "position": "1",
            "menu_title_en_gb": "Privacy",
            "role": "privacy",
        },
    )

    assert response.status_code == 302
    page = Page.objects.get()
    assert (page.place, page.role, page.published) == ("footer", "privacy", True)
    html = staff_client.get("/about/privacy/").content.decode()
    assert "We keep letters for 28 days." in html


def test_the_form_shows_what_each_placeholder_becomes_now(staff_client, settings):
    settings.LETTER_RETENTION_DAYS = 45
    settings.CONTACT_EMAIL = ""
    page = PageFactory()

    html = staff_client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()

    assert "<code>{letter_retention_days}</code>: 45" in html
    assert "<code>{contact_email}</code>: not set, so left as written" in html


def test_only_one_page_is_the_privacy_notice(staff_client):
    PageFactory(role=Page.Role.PRIVACY)

    response = staff_client.post(
        reverse("admin:pages_page_add"),
        {
            "title_en_gb": "Another",
            "slug": "another",
            "body_en_gb": "x",
            "position": "0",
            "role": "privacy",
        },
    )

    assert response.status_code == 200
    assert Page.objects.filter(role=Page.Role.PRIVACY).count() == 1


def test_an_outsider_is_sent_to_log_in(client):
    response = client.get(reverse("admin:pages_page_changelist"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
