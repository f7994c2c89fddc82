"""A case from a supporter's letter to its outcome, in Chromium: a supporter writes (a copy
goes to the ambassador), the letter waits its turn; staff publish a follow-up through the
page that says whom it tells, and the writer is told; staff record the outcome through the
page that says what it cancels; the supporter's page then shows the outcome, and their
email says their letter was cancelled."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.browser.helpers import (
    assert_no_axe_violations,
    assert_only_the_live_server,
    run_worker,
    write_letter,
)
from urgentaction.campaigns.models import Campaign, Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.tasks import tell_outcomes_job
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(transactional_db, settings) -> Campaign:
    settings.FORM_MIN_SECONDS = 0
    ConsentText.objects.get_or_create(wording="Email me news.", details="Now and then.")
    minister = TargetFactory(office="Interior Minister", holder="", email="im@gov.example")
    ambassador = TargetFactory(
        office="Ambassador of the People's Republic of China to the United Kingdom",
        holder="",
        organisation="",
        address="49-51 Portland Place\nLondon",
        postcode="W1B 1JL",
        email="ambassador@example.org",
    )
    return CampaignFactory(
        title="Free the three poets",
        slug="poets",
        targets=[minister],
        copy_targets=[ambassador],
        requires_confirmation=False,
    )


def test_a_case_from_a_letter_to_its_outcome(
    staff_page: Page,
    page: Page,
    requested_urls: list[str],
    browser: Browser,
    live_server,
    campaign: Campaign,
    smtp_server,
) -> None:
    # A supporter writes; the office's pace makes the letter wait.
    Target.objects.filter(email="im@gov.example").update(
        next_send_at=timezone.now() + timedelta(days=1)
    )
    write_letter(page, live_server.url + "/actions/poets/")
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_text("A copy goes to Ambassador")).to_be_visible()
    run_worker()
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [
        "ambassador@example.org"
    ]

    # Staff publish a follow-up through the page that says whom it tells; the writer is told.
    staff = staff_page
    staff.goto(live_server.url + f"/admin/campaigns/campaign/{campaign.pk}/change/")
    staff.get_by_role("link", name="Start a follow-up").click()
    staff.get_by_role("button", name="Make the new draft").click()
    staff.get_by_role("link", name="Publish…").click()
    expect(staff.locator(".publish-confirm")).to_contain_text(
        f"1 person who wrote on {campaign.reference} gets one email telling them of this follow-up"
    )
    assert_no_axe_violations(staff, "the page that publishes a follow-up")
    staff.get_by_role("button", name="Publish now and tell 1 person").click()
    expect(staff.locator(".messagelist")).to_contain_text(f"{campaign.reference} FI 1")
    run_worker()
    OutboundEmail.objects.filter(kind="case_notice").update(next_attempt_at=timezone.now())
    run_worker()
    [notice] = [m for m in smtp_server.messages if "Further information" in m["Subject"]]
    assert notice["To"].addresses[0].addr_spec == "ada@people.example"

    # Staff record the outcome from the campaign's page in the admin.
    staff.goto(live_server.url + f"/admin/campaigns/campaign/{campaign.pk}/change/")
    staff.get_by_role("link", name="Record the outcome").click()
    staff.get_by_label("Released", exact=True).check()
    staff.get_by_label("When").fill(timezone.localdate().isoformat())
    staff.get_by_label("What happened, in English").fill("The three poets are free.")
    staff.get_by_role("button", name="Check what happens").click()
    expect(staff.locator(".send-confirm")).to_contain_text(
        "1 letter not yet delivered is cancelled and will never be sent"
    )
    expect(staff.locator(".send-confirm")).to_contain_text("1 person who wrote gets one email")
    assert_no_axe_violations(staff, "the page that confirms an outcome")
    staff.get_by_role("button", name="Record the outcome and cancel 1 letter").click()
    expect(staff.locator(".messagelist")).to_contain_text("is recorded and the case's 2 pages")

    # The supporter's page shows it, and takes no more letters.
    page.goto(live_server.url + "/actions/poets/")
    outcome = page.get_by_role("region", name="Released")
    expect(outcome).to_contain_text("The three poets are free.")
    expect(page.get_by_role("heading", name="Send a copy to")).to_be_visible()
    expect(page.get_by_role("button", name="Send my letter")).to_have_count(0)
    assert_no_axe_violations(page, "a case's page with its outcome")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Free the three poets")).to_be_visible()
    assert_no_axe_violations(page, "the home page with an outcome")
    assert_only_the_live_server(requested_urls, live_server)

    # Nothing more goes to the minister; the writer is told, once.
    tell_outcomes_job.call()
    OutboundEmail.objects.filter(kind="outcome").update(next_attempt_at=timezone.now())
    Target.objects.update(next_send_at=None)
    run_worker()
    recipients = [m["To"].addresses[0].addr_spec for m in smtp_server.messages]
    assert "im@gov.example" not in recipients
    [told] = [m for m in smtp_server.messages if "The outcome of" in m["Subject"]]
    assert "so we cancelled it" in told.get_body(("plain",)).get_content()
    assert Delivery.objects.get(target__email="im@gov.example").status == OutboxStatus.CANCELLED
