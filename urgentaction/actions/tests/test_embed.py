"""The action inside another site's frame: its pages, who may frame them, and the whole
letter's journey with no cookie at all (the browser in the frame keeps none)."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions import embed, thanks_state
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.actions.tests.test_take_action import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db

PARTNER = "https://partner.example.org"
OTHER_PARTNER = "http://127.0.0.1:8001"


@pytest.fixture
def campaign():
    return CampaignFactory(slug="free-them", embed_origins=[PARTNER, OTHER_PARTNER])


@pytest.fixture
def browser() -> Client:
    """A browser in a third-party frame: it keeps no cookie, so each request goes bare."""
    return Client()


def page_url(campaign, query: str = "") -> str:
    return reverse("actions:embed", kwargs={"slug": campaign.slug}) + query


def form_token(html: str) -> str:
    return re.search(r'name="embed_token" value="([^"]+)"', html).group(1)


def frame_ancestors(response) -> str:
    csp = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", csp).group(1)


def send(browser, campaign, **overrides):
    """The form shown in the frame, filled in and sent."""
    shown = browser.get(page_url(campaign, "?source=embed:partner.example.org"))
    assert not shown.cookies
    data = valid_data(embed_token=form_token(shown.content.decode()), **overrides)
    return browser.post(page_url(campaign), data)


def follow(browser, response):
    assert not response.cookies
    assert response.status_code == 302
    return browser.get(response["Location"])


def test_it_shows_the_letter_and_form_without_the_sites_header_and_footer(browser, campaign):
    response = browser.get(page_url(campaign))

    html = response.content.decode()
    assert response.status_code == 200
    assert campaign.title in html
    assert 'name="subject"' in html
    assert f'action="{page_url(campaign)}" target="_self"' in html
    assert 'class="site-header"' not in html
    assert "/static/ua/frame.js" in html
    # Links leave the frame for a tab of their own.
    assert '<base target="_blank">' in html
    assert f'data-frame-origins="{PARTNER} {OTHER_PARTNER}"' in html


def test_only_the_sites_staff_allowed_may_frame_it(browser, campaign):
    response = browser.get(page_url(campaign))

    assert frame_ancestors(response) == f"{PARTNER} {OTHER_PARTNER}"
    assert "X-Frame-Options" not in response


def test_with_no_site_allowed_no_site_may_frame_it(browser):
    campaign = CampaignFactory(slug="free-them")

    response = browser.get(page_url(campaign))

    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_a_copy_from_the_cache_says_who_may_frame_it_too(browser, campaign):
    browser.get(page_url(campaign))

    again = browser.get(page_url(campaign))
    unchanged = browser.get(page_url(campaign), HTTP_IF_NONE_MATCH=again["ETag"])

    assert again["Cache-Control"] == "public, max-age=30, s-maxage=60"
    assert unchanged.status_code == 304
    assert frame_ancestors(again) == frame_ancestors(unchanged) == f"{PARTNER} {OTHER_PARTNER}"


def test_a_copy_from_the_cache_shows_the_count_as_it_is_now(browser, campaign):
    first = browser.get(page_url(campaign))
    Campaign.objects.filter(pk=campaign.pk).update(action_count=2, counted_at=timezone.now())

    again = browser.get(page_url(campaign), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "campaigns/campaign.html" not in [template.name for template in again.templates]
    assert b"<strong>2</strong> people have written so far" in again.content


def test_the_campaign_page_itself_still_refuses_every_frame(browser, campaign):
    response = browser.get(campaign.get_absolute_url())

    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_a_draft_is_not_found(browser):
    draft = CampaignFactory(slug="secret", status="draft", embed_origins=[PARTNER])

    assert browser.get(page_url(draft)).status_code == 404


@pytest.mark.parametrize(
    ("query", "source"),
    [
        ("?source=embed:partner.example.org", "embed:partner.example.org"),
        ("?source=embed:127.0.0.1:8001", "embed:127.0.0.1:8001"),
        ("?source=embed:elsewhere.example", "embed"),
        ("?source=newsletter", "embed"),
        ("", "embed"),
    ],
)
def test_the_source_names_the_site_only_if_it_may_show_the_action(browser, campaign, query, source):
    html = browser.get(page_url(campaign, query)).content.decode()

    assert f'name="source" value="{source}"' in html


def test_a_letter_goes_from_the_frame_to_its_thank_you_page_without_a_cookie(browser, campaign):
    ConsentText.objects.create(wording="Email me news.", details="Now and then.")

    sent = send(browser, campaign, wants_updates="on", source="embed:partner.example.org")
    thanks = follow(browser, sent)

    action = Action.objects.get()
    assert action.source == "embed:partner.example.org"
    assert urlsplit(sent["Location"]).path == f"/embed/actions/{campaign.slug}/thanks/"
    html = thanks.content.decode()
    assert thanks.status_code == 200
    assert not thanks.cookies
    assert "Check your inbox to send your letter" in html
    assert "ada@people.example" in html
    assert frame_ancestors(thanks) == f"{PARTNER} {OTHER_PARTNER}"
    assert thanks["Cache-Control"].startswith("max-age=0")
    # Where the supporter agreed to updates: the page in the frame.
    consent = Consent.objects.get()
    assert consent.page_url == f"http://testserver/embed/actions/{campaign.slug}/"
    # Its writer confirms it by email, as for any letter a browser has not proved.
    assert OutboundEmail.objects.filter(kind="confirm_letter").count() == 1


def test_a_letter_from_the_frame_costs_the_statements_of_one_from_the_site(
    browser, campaign, django_assert_num_queries
):
    """The frame's submit reads what the site's keeps (actions/kept.py): once the first
    letter has read it, as few statements as
    test_take_action.test_a_new_letter_costs_the_same_few_queries..."""
    send(browser, campaign, email="first@people.example")
    shown = browser.get(page_url(campaign))
    data = valid_data(email="writer@people.example", embed_token=form_token(shown.content.decode()))

    with django_assert_num_queries(10):
        sent = browser.post(page_url(campaign), data)

    assert sent.status_code == 302
    assert Action.objects.count() == 2


def test_the_thank_you_page_shows_no_letter_without_a_state_it_can_trust(browser, campaign):
    sent = send(browser, campaign)
    state = parse_qs(urlsplit(sent["Location"]).query)["state"][0]
    address = reverse("actions:embed_thanks", kwargs={"slug": campaign.slug})
    other = CampaignFactory(slug="other", embed_origins=[PARTNER])
    forged = signing.dumps([campaign.pk, Action.objects.get().pk, False], salt="not ours")

    for url in (
        address,
        f"{address}?state={forged}",
        reverse("actions:embed_thanks", kwargs={"slug": other.slug}) + f"?state={state}",
    ):
        html = browser.get(url).content.decode()
        assert "ada@people.example" not in html, url
        assert "Thank you for taking action" in html, url


def test_the_thank_you_state_expires(browser, campaign):
    sent = send(browser, campaign)

    with time_machine.travel(time.time() + thanks_state.STATE_SECONDS + 60):
        html = browser.get(sent["Location"]).content.decode()

    assert "ada@people.example" not in html


def test_errors_come_back_in_the_frame_with_everything_typed(browser, campaign):
    response = send(browser, campaign, first_name="", town="Leeds")

    html = response.content.decode()
    assert response.status_code == 400
    assert not response.cookies
    assert "Enter your first name" in html
    assert 'href="#id_first_name" target="_self"' in html
    assert 'value="Leeds"' in html
    assert 'class="site-header"' not in html
    assert frame_ancestors(response) == f"{PARTNER} {OTHER_PARTNER}"
    assert not Action.objects.exists()


def test_a_form_held_open_too_long_is_sent_back_with_a_new_token(browser, campaign):
    shown = browser.get(page_url(campaign)).content.decode()
    token = form_token(shown)

    with time_machine.travel(time.time() + embed.FORM_SECONDS + 60):
        response = browser.post(page_url(campaign), valid_data(embed_token=token))

    html = response.content.decode()
    assert response.status_code == 400
    assert "This form was open for too long" in html
    assert 'value="Leeds"' in html
    assert form_token(html) != token
    assert not Action.objects.exists()


@pytest.mark.parametrize("token", ["", "made-up", "another campaign's"])
def test_it_takes_a_letter_only_from_a_form_it_gave_for_this_campaign(browser, campaign, token):
    if token == "another campaign's":
        other = CampaignFactory(slug="other", embed_origins=[PARTNER])
        token = form_token(browser.get(page_url(other)).content.decode())

    response = browser.post(page_url(campaign), valid_data(embed_token=token))

    assert response.status_code == 400
    assert "This form was open for too long" in response.content.decode()
    assert not Action.objects.exists()


def test_a_form_posted_from_another_site_is_refused(browser, campaign):
    shown = browser.get(page_url(campaign)).content.decode()

    response = browser.post(
        page_url(campaign),
        valid_data(embed_token=form_token(shown)),
        HTTP_ORIGIN="https://attacker.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )

    assert response.status_code == 403
    assert "Your letter was not sent" in response.content.decode()
    assert frame_ancestors(response) == f"{PARTNER} {OTHER_PARTNER}"
    assert not Action.objects.exists()


def test_a_second_form_with_the_same_address_learns_nothing_and_its_owner_is_told(
    browser, campaign
):
    follow(browser, send(browser, campaign, body="My private letter."))

    html = follow(browser, send(browser, campaign, body="Impersonation.")).content.decode()

    assert "Check your inbox" in html
    assert "My private letter." not in html
    assert Action.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="confirm_reminder").count() == 1


def test_the_same_form_sent_twice_shows_the_one_letter(browser, campaign):
    shown = browser.get(page_url(campaign)).content.decode()
    data = valid_data(embed_token=form_token(shown))
    browser.post(page_url(campaign), data)

    html = follow(browser, browser.post(page_url(campaign), data)).content.decode()

    assert Action.objects.count() == 1
    assert "Check your inbox to send your letter" in html


def test_a_supporter_who_posts_it_says_so_from_the_frame(browser, campaign):
    thanks = follow(browser, send(browser, campaign, channel="post"))
    html = thanks.content.decode()
    state = re.search(r'name="state" value="([^"]+)"', html).group(1)
    sent_url = reverse("actions:embed_sent", kwargs={"slug": campaign.slug})
    assert f'action="{sent_url}" target="_self"' in html

    after = follow(browser, browser.post(sent_url, {"state": state}))

    assert Action.objects.get().reported_sent_at is not None
    assert "Thank you: your letter is counted." in after.content.decode()


def test_saying_so_needs_the_state_of_the_letter(browser, campaign):
    action = ActionFactory(campaign=campaign, channel="post", confirmed_at=None)
    sent_url = reverse("actions:embed_sent", kwargs={"slug": campaign.slug})

    browser.post(sent_url, {"state": "made-up"})

    action.refresh_from_db()
    assert action.reported_sent_at is None


def test_it_is_in_korean_under_ko(browser):
    campaign = in_korean(CampaignFactory(slug="free-them", embed_origins=[PARTNER]))

    shown = browser.get("/ko/embed/actions/free-them/")
    html = shown.content.decode()
    sent = browser.post("/ko/embed/actions/free-them/", valid_data(embed_token=form_token(html)))

    assert shown.status_code == 200
    assert '<html lang="ko"' in html
    assert campaign.title_ko in html
    assert 'action="/ko/embed/actions/free-them/"' in html
    assert urlsplit(sent["Location"]).path == "/ko/embed/actions/free-them/thanks/"
    assert Action.objects.get().language == "ko"


def test_a_campaign_not_in_korean_says_so_in_the_frame(browser, campaign):
    response = browser.get("/ko/embed/actions/free-them/")

    assert response.status_code == 404
    assert 'class="site-header"' not in response.content.decode()
    assert 'href="/embed/actions/free-them/"' in response.content.decode()
    assert frame_ancestors(response) == f"{PARTNER} {OTHER_PARTNER}"
