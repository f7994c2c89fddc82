"""A supporter writes a letter in a real browser, and it reaches the official."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from urgentaction.actions.models import Action
from urgentaction.actions.tests.browser.helpers import (
    ABOUT_YOU,
    EMAIL,
    FIRST_NAME,
    LETTER_SENTENCE,
    assert_no_axe_violations,
    assert_only_the_live_server,
    fill_about_you,
    letter_box,
    run_worker,
    screenshot,
    submit,
)
from urgentaction.campaigns.models import Campaign

pytestmark = pytest.mark.browser


def test_it_takes_a_supporter_from_the_campaign_page_to_a_delivered_letter(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign, smtp_server
) -> None:
    campaign_url = live_server.url + campaign.get_absolute_url()

    # The campaign page loads, with its own stylesheet and script only.
    page.goto(campaign_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert any(url.endswith("/ua/site.css") for url in requested_urls)
    assert any(url.endswith("/ua/enhance.js") for url in requested_urls)

    # The first Tab reaches the skip link, and focus on it can be seen.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()
    indicator = focused.evaluate(
        """el => {
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== "none";
        }"""
    )
    assert indicator, "the focused skip link has neither an outline nor a box-shadow"

    assert_no_axe_violations(page, "the campaign page")
    screenshot(page, "campaign")

    # Everything but the first name: the errors are summarised, and nothing typed is lost.
    expect(page.get_by_label("Subject")).not_to_be_empty()
    expect(letter_box(page)).to_have_value(re.compile(re.escape(LETTER_SENTENCE)))
    fill_about_you(page)
    submit(page)

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your first name")).to_be_visible()
    for label, value in ABOUT_YOU.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("Send it for me by email")).to_be_checked()
    expect(letter_box(page)).to_have_value(re.compile(re.escape(LETTER_SENTENCE)))
    assert_no_axe_violations(page, "the campaign page showing errors")

    # With the first name the letter is taken, and waits for the supporter to confirm.
    page.get_by_label("First name").fill(FIRST_NAME)
    submit(page)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your inbox to send your letter"
    )
    assert_no_axe_violations(page, "the thank-you page asking to confirm")
    assert "Tried 1 deliveries." in run_worker()
    [confirmation] = smtp_server.messages
    assert [address.addr_spec for address in confirmation["To"].addresses] == [EMAIL]
    link = re.search(r"http://\S+(/confirm/\S+/)", confirmation.get_body(("plain",)).get_content())

    # The email quotes nothing the supporter typed: the link opens a page that shows
    # which letter goes to whom, with a button; pressing it sends the letter.
    assert LETTER_SENTENCE not in confirmation.get_body(("plain",)).get_content()
    page.goto(live_server.url + link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Send your letter")
    expect(page.get_by_role("link", name=campaign.title)).to_be_visible()
    expect(page.locator(".summary-list")).to_contain_text(campaign.targets.get().display_name)
    expect(page.locator(".letter").first).to_contain_text(LETTER_SENTENCE)
    assert_no_axe_violations(page, "the confirmation page")
    screenshot(page, "confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is on its way")
    expect(
        page.get_by_text(f"from “{FIRST_NAME} Lovelace via {settings.ORG_NAME}”")
    ).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page")
    screenshot(page, "thanks")

    assert_only_the_live_server(requested_urls, live_server)

    # The worker emails the letter to the official, from the supporter, via the org.
    assert "Tried 1 deliveries." in run_worker()

    assert len(smtp_server.messages) == 2
    message = smtp_server.messages[1]
    target = campaign.targets.get()
    assert [address.addr_spec for address in message["To"].addresses] == [target.email]
    assert "via " in message["From"]
    assert settings.ORG_NAME in message["From"]
    assert [address.addr_spec for address in message["Reply-To"].addresses] == [EMAIL]
    body = message.get_content()
    assert f"{FIRST_NAME} {ABOUT_YOU['Last name']}" in body
    assert LETTER_SENTENCE in body


def test_it_takes_a_letter_without_javascript(
    page_without_js: Page, live_server, campaign: Campaign
) -> None:
    # Even where letters need no confirmation, one sent without the proof of work that
    # the page's script does waits for its writer to confirm it by email.
    Campaign.objects.filter(pk=campaign.pk).update(requires_confirmation=False)
    page = page_without_js
    page.goto(live_server.url + campaign.get_absolute_url())
    expect(page.locator("html")).to_have_class("no-js")
    expect(page.get_by_text("We will email you a link to confirm before anything")).to_be_visible()

    page.get_by_label("First name").fill(FIRST_NAME)
    fill_about_you(page)
    submit(page)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your inbox to send your letter"
    )
    action = Action.objects.get()
    assert (action.first_name, action.email, action.channel) == (FIRST_NAME, EMAIL, "email")


def test_it_does_the_proof_of_work_within_the_content_security_policy(
    strict_page: Page, live_server, campaign: Campaign
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(requires_confirmation=False)
    workers: list[str] = []
    strict_page.on("worker", lambda worker: workers.append(worker.url))
    violations: list[str] = []
    strict_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    strict_page.goto(live_server.url + campaign.get_absolute_url())
    token = strict_page.locator("input[name=form_token]")
    expect(token).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))  # enhance.js ran

    strict_page.get_by_label("First name").fill(FIRST_NAME)
    fill_about_you(strict_page)
    # The check runs by itself, and says so: it is not a box to tick.
    status = strict_page.get_by_role("status").filter(has_text="this form can be sent")
    expect(status).to_have_text("Done: this form can be sent.")
    expect(strict_page.locator("altcha-widget input[type=checkbox]")).to_be_hidden()
    expect(strict_page.get_by_text("We will email you a link to confirm before")).to_be_hidden()
    submit(strict_page)

    expect(strict_page).to_have_url(re.compile(r"/thanks/$"))
    assert violations == []
    assert workers and all(url.endswith("/altcha/workers/pbkdf2.js") for url in workers)
    # The proof reached the server: the letter goes without waiting for confirmation.
    action = Action.objects.get()
    assert action.confirmed_at is not None
    assert action.held_reasons == []


def test_a_send_before_the_proof_of_work_is_done_waits_for_it(
    strict_page: Page, live_server, campaign: Campaign
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(requires_confirmation=False)
    page = strict_page
    page.goto(live_server.url + campaign.get_absolute_url())
    # Filled in without focusing anything (as autofill might), so no work has started.
    for label, value in {"First name": FIRST_NAME, **ABOUT_YOU}.items():
        page.get_by_label(label).evaluate("(field, value) => { field.value = value; }", value)
    page.get_by_label("Send it for me by email").evaluate("radio => { radio.checked = true; }")
    assert page.locator("altcha-widget").evaluate("widget => widget.getState()") == "unverified"

    submit(page)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    action = Action.objects.get()
    assert action.confirmed_at is not None  # the proof came with it
