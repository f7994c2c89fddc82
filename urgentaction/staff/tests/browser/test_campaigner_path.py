"""A campaigner's path in Chromium, end to end: write a campaign with a photo in the admin,
preview the draft at its address, publish it through the page that says what publishing
does, see a supporter's letter delivered on its dashboard, then test an update on
themselves (giving the address their account lacks) and send it to the supporters through
its confirmation page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from urgentaction.actions.tests.browser.helpers import (
    assert_no_axe_violations,
    run_worker,
    write_letter,
)
from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import TargetFactory
from urgentaction.core.tests.images import jpeg_with_metadata
from urgentaction.mailings.models import Update
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.browser

LETTER = "{salutation}\n\nPlease release the three poets now.\n\nYours sincerely"


@pytest.fixture
def site(transactional_db, settings, tmp_path) -> None:
    # A browser driven by a test fills a form in faster than any person.
    settings.FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path
    TargetFactory(office="Interior Minister", holder="", salutation="Dear Minister")
    wording = ConsentText.objects.create(wording="Email me news.", details="Now and then.")
    subscriber = SupporterFactory(email="reader@people.example")
    Consent.objects.create(
        supporter=subscriber,
        email_hash=subscriber.email_hash,
        text=wording,
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
    )


def write_the_campaign(page: Page, live_server) -> None:
    page.goto(live_server.url + "/admin/campaigns/campaign/add/")
    # The web address follows the title (the admin's own script).
    page.get_by_label("Title [en-gb]").fill("Free the three poets")
    page.get_by_label("Summary [en-gb]").fill("Three poets are held without charge.")
    story = "They were arrested at dawn.\n\nNobody has seen them."
    page.get_by_label("Case story [en-gb]").fill(story)
    photo = jpeg_with_metadata(3000, 2000, b"taken at 37.5665N 126.9780E")
    page.locator("#id_photo").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.get_by_label("What the photo shows [en-gb]").fill("The three poets in 2019")
    page.locator("#id_targets_from").select_option(label="Interior Minister")
    page.locator("#id_targets_add").click()
    page.locator("#id_letter-0-subject_en_gb").fill("Release the three poets")
    page.locator("#id_letter-0-body_en_gb").fill(LETTER)
    page.get_by_label("Supporters confirm their email before their letter goes").uncheck()
    page.get_by_label("Send letters that are the suggested text unchanged").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".letter-preview")).to_contain_text("Dear Minister")


def test_a_campaigner_publishes_a_case_and_follows_its_letters(
    staff_page: Page, browser: Browser, live_server, site, smtp_server
) -> None:
    page = staff_page
    write_the_campaign(page, live_server)

    # The draft, as supporters will see it; nobody else can.
    page.goto(live_server.url + "/actions/free-the-three-poets/")
    expect(page.get_by_text("Preview: not published.")).to_be_visible()
    expect(page.get_by_role("button", name="Send my letter")).to_be_disabled()
    # The photo, resized, with a smaller copy for narrower screens.
    photo = page.get_by_role("img", name="The three poets in 2019")
    expect(photo).to_have_attribute("width", "1600")
    expect(photo).to_have_attribute("srcset", re.compile(r"\.jpg 800w, /media/.+\.jpg 1600w$"))
    small = Campaign.objects.get(slug="free-the-three-poets").photo_small.url
    # A column 672 px wide on this screen of density 1: the copy 800 px wide does.
    assert photo.evaluate("image => image.complete && image.currentSrc").endswith(small)
    page.get_by_role("link", name="Edit or publish the campaign").click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator(".publish-confirm")).to_contain_text("/actions/free-the-three-poets/")
    assert_no_axe_violations(page, "the page that publishes a campaign")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("is published as UA 1/")
    assert Campaign.objects.get(slug="free-the-three-poets").status == Campaign.Status.LIVE

    # A supporter writes; the worker delivers.
    supporter = browser.new_context().new_page()
    write_letter(supporter, live_server.url + "/actions/free-the-three-poets/")
    expect(supporter).to_have_url(re.compile(r"/thanks/$"))
    supporter.context.close()
    assert "Tried 1 deliveries." in run_worker()
    assert smtp_server.messages[-1]["Subject"] == "Release the three poets"

    # The dashboard, from the campaign's row.
    page.goto(live_server.url + "/admin/campaigns/campaign/")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard: Free the three poets")
    expect(page.locator("#chart-path-summary")).to_have_text(
        "1 written, 1 confirmed (100%) and 1 delivered (100% of those we send by email)."
    )
    target = page.get_by_role("row", name=re.compile("Interior Minister"))
    expect(target.get_by_role("cell").nth(2)).to_have_text("1")
    assert_no_axe_violations(page, "the dashboard of a published campaign")

    # An update, sent through the page that says what will happen.
    page.goto(live_server.url + "/admin/mailings/update/add/")
    page.locator("#id_campaign").select_option(label="Free the three poets")
    page.locator("#id_subject_en_gb").fill("The poets are free")
    page.locator("#id_body_en_gb").fill("Thank you: your letters helped.")
    page.get_by_role("button", name="Save and continue editing").click()
    get_user_model().objects.filter(username="campaigner").update(email="")
    page.get_by_role("link", name="Send a test to me").click()
    page.get_by_label("Your email address").fill("campaigner@org.example")
    page.get_by_role("button", name="Save my address and send the test").click()
    expect(page.locator(".messagelist")).to_contain_text("Test sent to campaigner@org.example.")
    run_worker()
    reference = Update.objects.get().campaign.reference
    assert smtp_server.messages[-1]["Subject"] == f"[Test] [{reference}] The poets are free"
    page.goto(live_server.url + f"/admin/mailings/update/{Update.objects.get().pk}/change/")
    page.get_by_role("link", name="Send to everyone who asked for updates").click()
    expect(page.locator(".send-confirm")).to_contain_text("The poets are free")
    expect(page.locator(".send-confirm")).to_contain_text("It goes to 1 person")
    page.get_by_role("button", name="Send to 1 person").click()
    expect(page.locator(".messagelist")).to_contain_text("being sent")
    assert Update.objects.get().status == Update.Status.SENDING
