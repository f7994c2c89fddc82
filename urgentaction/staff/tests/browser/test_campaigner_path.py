"""A campaigner's path in Chromium, end to end: write a campaign in the admin, preview the
draft at its address, publish it, see a supporter's letter delivered on its dashboard,
then send the supporters an update through its confirmation page."""

import re

import pytest
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
from urgentaction.mailings.models import Update
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.browser

LETTER = "{salutation}\n\nPlease release the three poets now.\n\nYours sincerely"


@pytest.fixture
def site(transactional_db, settings) -> None:
    # A browser driven by a test fills a form in faster than any person.
    settings.FORM_MIN_SECONDS = 0
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
    page.get_by_role("link", name="Edit or publish the campaign").click()
    page.get_by_label("Status").select_option(label="Live")
    page.get_by_role("button", name="Save and continue editing").click()
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
    page.get_by_role("link", name="Send to everyone who asked for updates").click()
    expect(page.locator(".send-confirm")).to_contain_text("The poets are free")
    expect(page.locator(".send-confirm")).to_contain_text("It goes to 1 person")
    page.get_by_role("button", name="Send to 1 person").click()
    expect(page.locator(".messagelist")).to_contain_text("being sent")
    assert Update.objects.get().status == Update.Status.SENDING
