"""Every public page and state, checked with axe-core and for requests to other hosts."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from urgentaction.actions.models import Action
from urgentaction.actions.tests.browser.helpers import (
    LETTER_SENTENCE,
    assert_no_axe_violations,
    assert_only_the_live_server,
    letter_box,
    write_letter,
)
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import confirm_path
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import ConsentText

pytestmark = pytest.mark.browser


def test_it_lists_a_live_campaign_on_an_accessible_home_page(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent actions")
    link = page.get_by_role("link", name=campaign.title)
    expect(link).to_have_attribute("href", campaign.get_absolute_url())
    assert_no_axe_violations(page, "the home page")
    assert_only_the_live_server(requested_urls, live_server)


def test_it_shows_a_closed_campaigns_outcome_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    outcome = "The family was granted leave to remain."
    closed = CampaignFactory(status=Campaign.Status.CLOSED, outcome=outcome)
    page.goto(live_server.url + closed.get_absolute_url())

    expect(page.get_by_role("heading", name="This urgent action has closed")).to_be_visible()
    expect(page.get_by_text(outcome)).to_be_visible()
    expect(page.get_by_role("button", name="Send my letter")).to_have_count(0)
    assert_no_axe_violations(page, "a closed campaign's page")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    ("channel", "heading", "yes"),
    [
        ("Open it in my email app", "Now send your letter from your email", "Yes, I sent it"),
        ("Print it and post it", "Your letter is ready to print", "Yes, I posted it"),
    ],
)
def test_it_thanks_a_supporter_who_sends_the_letter_themselves(
    page: Page,
    requested_urls: list[str],
    live_server,
    campaign: Campaign,
    channel: str,
    heading: str,
    yes: str,
) -> None:
    write_letter(page, live_server.url + campaign.get_absolute_url(), channel)

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    target = campaign.targets.get()
    compose = page.get_by_role("list").filter(has=page.get_by_role("link", name="Open in Gmail"))
    expect(compose.get_by_role("link", name="Open in my email app")).to_have_attribute(
        "href", re.compile(rf"^mailto:{re.escape(target.email)}\?subject=")
    )
    expect(compose.get_by_role("link", name="Open in Outlook.com")).to_be_visible()
    envelope = page.locator("address.envelope")
    if channel == "Print it and post it":
        expect(envelope).to_be_visible()
        for line in target.address_lines():
            expect(envelope).to_contain_text(line)
    else:
        expect(envelope).to_have_count(0)
    assert_no_axe_violations(page, f"the thank-you page for “{channel}”")

    # Once they say it has gone, the letter is counted.
    with page.expect_navigation():
        page.get_by_role("button", name=yes).click()
    expect(page.get_by_text("Thank you: your letter is counted.")).to_be_visible()
    assert_no_axe_violations(page, f"the thank-you page for “{channel}”, once sent")
    assert_only_the_live_server(requested_urls, live_server)


def test_it_refuses_an_unknown_confirmation_link_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    page.goto(live_server.url + "/confirm/whatever/")

    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_role("button", name="Send my letter")).to_have_count(0)
    assert_no_axe_violations(page, "the page for a link that no longer works")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    ("same_browser", "heading"),
    [(True, "You have already written"), (False, "Check your inbox")],
    ids=["the browser that confirmed the address", "another browser"],
)
def test_it_tells_a_supporter_who_writes_twice_that_they_already_have(
    browser: Browser,
    page: Page,
    requested_urls: list[str],
    live_server,
    transactional_db: None,
    same_browser: bool,
    heading: str,
) -> None:
    campaign_url = live_server.url + CampaignFactory().get_absolute_url()
    write_letter(page, campaign_url)
    # A submit keeps nothing in the browser: confirming the address from the email is
    # what shows the browser is the writer's.
    page.goto(live_server.url + confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))
    with page.expect_navigation():
        page.get_by_role("button", name="Send my letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is on its way")

    other = None if same_browser else browser.new_context(bypass_csp=True)
    try:
        if other is not None:
            # Another browser has shown only that it knows the address: it sees nothing
            # of the earlier letter.
            page = other.new_page()
            page.on("request", lambda request: requested_urls.append(request.url))
        write_letter(page, campaign_url)

        expect(page).to_have_url(re.compile(r"/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_text(LETTER_SENTENCE)).to_have_count(1 if same_browser else 0)
        assert_no_axe_violations(page, f"the thank-you page for a repeat letter ({heading})")
    finally:
        if other is not None:
            other.close()
    assert_only_the_live_server(requested_urls, live_server)
    assert Action.objects.count() == 1


def test_it_thanks_a_visitor_without_a_letter_accessibly(
    page: Page, requested_urls: list[str], live_server, campaign: Campaign
) -> None:
    page.goto(live_server.url + campaign.get_absolute_url() + "thanks/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for taking action")
    expect(page.get_by_role("heading", name="Ask others to write too")).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page without a letter")
    assert_only_the_live_server(requested_urls, live_server)


def test_it_signs_a_supporter_up_for_updates_accessibly(
    page: Page, requested_urls: list[str], live_server, transactional_db: None
) -> None:
    ConsentText.objects.create(wording="Yes, email me news.", details="Twice a month at most.")
    page.goto(live_server.url + "/updates/")
    assert_no_axe_violations(page, "the sign-up page")

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Email address").fill("ada@people.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("link", name="Enter your last name")).to_be_visible()
    expect(page.get_by_role("link", name="Tick the box to say you want updates")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("ada@people.example")
    assert_no_axe_violations(page, "the sign-up page showing errors")

    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Yes, email me news.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert_no_axe_violations(page, "the sign-up confirmation page")
    assert_only_the_live_server(requested_urls, live_server)


@pytest.mark.parametrize(
    "path",
    ["/my-data/", "/my-data/check-your-inbox/", "/my-data/unknown-token/", "/my-data/yours/"],
)
def test_it_keeps_the_data_pages_accessible(
    page: Page, requested_urls: list[str], live_server, transactional_db: None, path: str
) -> None:
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page, path)
    assert_only_the_live_server(requested_urls, live_server)


def test_it_shows_how_much_of_the_letter_is_the_supporters_own_words(
    page: Page, live_server, campaign: Campaign
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(allow_template_letters=False)
    page.goto(live_server.url + campaign.get_absolute_url())
    meter = page.locator("[data-own-words]")
    # Nothing is said until the supporter changes something.
    page.wait_for_load_state("load")
    expect(meter).to_be_hidden()
    letter = letter_box(page)
    letter.fill(letter.input_value().replace(" ", "  ", 1))  # changed, but no word of its own
    expect(meter).to_have_text(re.compile(r"^About 0% of this letter is in your own words\. "))
    expect(meter).to_contain_text("checked by a person")

    own = (
        "I met families in Leeds who fled the same danger, and I know what waits for "
        "those sent back. My own grandparents were refugees and were given a chance to "
        "live safely here, which is all this family is asking of you today. "
    )
    letter.fill(own * 2 + letter.input_value())

    expect(meter).to_have_text(re.compile(r"^About [1-9]0% of this letter is in your own words\.$"))
    assert_no_axe_violations(page, "the campaign page counting the supporter's own words")


@pytest.mark.parametrize("path", ["/about/us/", "/about/manifesto/", "/about/privacy/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_it_keeps_the_organisations_own_pages_accessible(
    page: Page, requested_urls: list[str], live_server, transactional_db: None, path, width
) -> None:
    call_command("load_demo", stdout=StringIO())
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Our manifesto")).to_be_visible()
    footer = page.get_by_role("navigation", name="About this site")
    expect(footer.get_by_role("link", name="Privacy notice")).to_be_visible()
    expect(footer.get_by_role("link", name="See or erase your data")).to_be_visible()
    assert_no_axe_violations(page, f"{path} at {width} px")
    assert_only_the_live_server(requested_urls, live_server)
