import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from urgentaction.conftest import sign_in_staff
from urgentaction.pages.tests.factories import PageFactory

pytestmark = pytest.mark.django_db


def test_it_shows_a_published_page_from_its_markdown(client):
    page = PageFactory(slug="us", title="About us", summary="Who we are.")

    response = client.get("/about/us/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>About us " in html
    assert "<h1>About us</h1>" in html
    assert "<p>We write letters.</p>\n<h2>Why</h2>" in html
    assert '<meta property="og:description" content="Who we are.">' in html
    assert page.get_absolute_url() == "/about/us/"


def test_it_renders_staff_markdown_safely(client):
    PageFactory(
        slug="us",
        body=(
            "<script>alert(1)</script>\n\n<b>bold</b>\n\n[click](javascript:alert(1))\n\n"
            "| What | Why |\n| --- | --- |\n| Name | To sign |"
        ),
    )

    html = client.get("/about/us/").content.decode()

    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<td>Name</td>" in html  # tables work


def test_it_fills_in_the_real_settings_where_the_text_asks(client, settings):
    settings.LETTER_RETENTION_DAYS = 45
    settings.SUPPORTER_RETENTION_MONTHS = 18
    settings.BUNDLE_RETENTION_DAYS = 10
    settings.CONFIRMATION_EXPIRY_DAYS = 5
    settings.CONTACT_EMAIL = "privacy@rights.example"
    PageFactory(
        slug="privacy",
        body=(
            "Letters: {letter_retention_days} days. People: {supporter_retention_months} "
            "months. Bundles: {bundle_retention_days} days. Unconfirmed: "
            "{confirmation_expiry_days} days. Ask {contact_email} at {org_name}. "
            "{no_such_thing} stays."
        ),
    )

    html = client.get("/about/privacy/").content.decode()

    assert (
        "Letters: 45 days. People: 18 months. Bundles: 10 days. Unconfirmed: 5 days. "
        'Ask <a href="mailto:privacy@rights.example">privacy@rights.example</a> at Test '
        "Rights Network. {no_such_thing} stays."
    ) in html


def test_a_setting_that_is_not_set_is_left_as_written_for_staff_to_see(client, settings):
    settings.CONTACT_EMAIL = ""
    PageFactory(slug="us", body="Write to {contact_email}.")

    assert "Write to {contact_email}." in client.get("/about/us/").content.decode()


def test_a_page_not_published_is_not_found_but_staff_can_check_it(client):
    PageFactory(slug="draft", title="Coming soon", published=False)
    staff = Client()
    sign_in_staff(staff, get_user_model().objects.create_user("staff", is_staff=True))

    assert client.get("/about/draft/").status_code == 404
    assert client.get("/about/nothing-here/").status_code == 404
    html = staff.get("/about/draft/").content.decode()
    assert "Not published: only staff see this page." in html


def test_it_is_cacheable_like_the_campaign_pages_and_changes_with_an_edit(client, settings):
    page = PageFactory(slug="us")

    first = client.get("/about/us/")
    again = client.get("/about/us/", HTTP_IF_NONE_MATCH=first["ETag"])
    page.body = "New words."
    page.save()
    edited = client.get("/about/us/", HTTP_IF_NONE_MATCH=first["ETag"])
    settings.LETTER_RETENTION_DAYS += 1
    reconfigured = client.get("/about/us/", HTTP_IF_NONE_MATCH=edited["ETag"])

    assert "public" in first["Cache-Control"] and "Set-Cookie" not in first
    assert again.status_code == 304
    assert edited.status_code == 200 and "New words." in edited.content.decode()
    assert reconfigured.status_code == 200


def test_a_value_filled_in_shows_as_written_not_as_markdown(client, settings):
    settings.ORG_NAME = "Rights *Now* [act](javascript:x)"
    PageFactory(slug="us", body="We are {org_name}.")

    html = client.get("/about/us/").content.decode()

    assert "<p>We are Rights *Now* [act](javascript:x).</p>" in html
