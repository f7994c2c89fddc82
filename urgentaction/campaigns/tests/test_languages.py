"""A campaign in English at today's addresses and in Korean under /ko/: shown in a language
only once its translation is complete and published, with the letter in its target's
language."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import KOREAN, CampaignFactory, in_korean
from urgentaction.conftest import sign_in_staff

pytestmark = pytest.mark.django_db


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_it_serves_english_at_todays_address_and_korean_under_ko(client):
    campaign = in_korean(CampaignFactory(slug="north-korean-family", title="Stop it"))
    assert campaign.get_absolute_url() == "/actions/north-korean-family/"

    english = client.get("/actions/north-korean-family/").content.decode()
    korean = client.get("/ko/actions/north-korean-family/").content.decode()

    assert '<html lang="en-gb"' in english and "<h1>Stop it</h1>" in english
    assert '<html lang="ko"' in korean and f"<h1>{KOREAN['title_ko']}</h1>" in korean
    assert KOREAN["story_ko"].split("\n")[0] in korean


def test_each_page_names_its_alternates_and_offers_a_switcher_to_the_same_page(client):
    in_korean(CampaignFactory(slug="case"))

    html = client.get("/ko/actions/case/").content.decode()

    assert alternates(html) == {
        "en-gb": "http://testserver/actions/case/",
        "ko": "http://testserver/ko/actions/case/",
        "x-default": "http://testserver/actions/case/",
    }
    switcher = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', html, re.S)[1]
    assert '<a href="/actions/case/" hreflang="en-gb" lang="en-gb">English</a>' in switcher
    assert '<span aria-current="true" lang="ko">한국어</span>' in switcher


def test_pages_of_their_own_switch_too(client):
    html = client.get("/ko/my-data/").content.decode()

    assert '<html lang="ko"' in html
    assert '<a href="/my-data/" hreflang="en-gb" lang="en-gb">English</a>' in html


@pytest.mark.parametrize(
    "state",
    [
        {"publish": False},  # complete, not published
        {"letter": False, "incomplete": True},  # published, its story not translated
    ],
)
def test_a_campaign_not_complete_or_not_published_in_korean_is_never_half_translated(client, state):
    campaign = in_korean(CampaignFactory(slug="case"), publish=state.get("publish", True))
    if state.get("incomplete"):
        Campaign.objects.filter(pk=campaign.pk).update(story_ko="")

    response = client.get("/ko/actions/case/")
    english = client.get("/actions/case/").content.decode()

    html = response.content.decode()
    assert response.status_code == 404
    assert '<a href="/actions/case/" hreflang="en-gb" lang="en-gb">English</a>' in html
    assert KOREAN["title_ko"] not in html and "<form" not in html
    assert "hreflang" not in english and 'class="language-switcher"' not in english
    assert client.post("/ko/actions/case/", {}).status_code == 404


def test_staff_who_may_preview_see_what_the_korean_lacks(client, django_user_model):
    campaign = in_korean(CampaignFactory(slug="case"))
    Campaign.objects.filter(pk=campaign.pk).update(summary_ko="")
    staff = django_user_model.objects.create_superuser("editor", "e@org.example", "pw")
    sign_in_staff(client, staff)

    html = client.get("/ko/actions/case/").content.decode()

    assert "미리 보기: 지지자에게는 이 페이지가 이 언어로 표시되지 않습니다." in html
    assert "<li>요약</li>" in html


def test_the_korean_page_offers_the_english_letter_its_office_reads_with_korean_to_read(client):
    in_korean(CampaignFactory(slug="case"))

    html = client.get("/ko/actions/case/").content.decode()

    body = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)
    assert 'lang="en-gb"' in body[0] and "Dear Foreign Secretary" in body[1]
    assert 'name="subject" value="Please stop the deportation"' in html
    assert "외무장관 사무실에서 읽는 언어는 영어입니다. 그래서 편지도 영어 편지입니다." in html
    assert "이 추방을 막아 주십시오." in html  # the Korean letter, to read beside it


def test_a_campaign_can_offer_the_letter_in_the_supporters_language(client):
    campaign = in_korean(CampaignFactory(slug="case"))
    Campaign.objects.filter(pk=campaign.pk).update(letter_in_supporters_language=True)

    html = client.get("/ko/actions/case/").content.decode()

    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1]
    assert body.startswith("\n외무장관님께") and "이 추방을 막아 주십시오." in body
    assert "office reads" not in html


def test_a_korean_letter_is_needed_only_where_it_is_offered(client):
    in_korean(CampaignFactory(slug="case"), letter=False)

    assert client.get("/ko/actions/case/").status_code == 200


def test_dates_and_the_count_follow_the_language(client):
    CampaignFactory(slug="case", deadline=date(2026, 3, 14), action_count=12345)
    in_korean(Campaign.objects.get(slug="case"))

    english = client.get("/actions/case/").content.decode()
    korean = client.get("/ko/actions/case/").content.decode()

    assert "14 March 2026" in english and "<strong>12,345</strong>" in english
    assert "2026년 3월 14일" in korean and "<strong>12,345</strong>" in korean


def test_the_korean_home_lists_only_campaigns_shown_in_korean(client):
    shown = in_korean(CampaignFactory(title="Shown"))
    CampaignFactory(title="English only")

    korean = client.get("/ko/").content.decode()
    english = client.get("/").content.decode()

    assert KOREAN["title_ko"] in korean and "English only" not in korean
    assert f'href="/ko/actions/{shown.slug}/"' in korean
    assert "Shown" in english and "English only" in english


@pytest.mark.parametrize(
    ("accept", "referer", "location"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "", "/ko/"),
        ("ko", "https://news.example/", "/ko/"),
        ("en-GB,en;q=0.9", "", None),
        ("fr-FR", "", None),
        # From one of our own pages (the switcher's "English"): the choice stands.
        ("ko", "http://testserver/ko/", None),
    ],
)
def test_the_browsers_language_chooses_only_the_first_visit_to_the_root(accept, referer, location):
    headers = {"Accept-Language": accept, **({"Referer": referer} if referer else {})}

    response = Client().get("/", headers=headers)

    assert response.get("Location") == location
    assert "Accept-Language" in response["Vary"]
    first = not referer.startswith("http://testserver/")
    assert ("private" in response["Cache-Control"]) == first


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_other_addresses_never_follow_the_browsers_language(client, prefix):
    campaign = CampaignFactory()
    in_korean(campaign)

    response = client.get(prefix + campaign.get_absolute_url(), headers={"Accept-Language": "ko"})

    language = "ko" if prefix else "en-gb"
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert response["Content-Language"] == language
    # So no cache keeps a copy for each browser language.
    assert "Accept-Language" not in response.get("Vary", "")


def test_staff_pages_and_the_api_keep_one_address(client):
    assert reverse("admin:index") == "/admin/"
    assert client.get("/ko/admin/").status_code == 404
    assert client.get("/ko/api/v1/openapi.json").status_code == 404


def test_the_country_the_form_starts_with_is_written_in_the_pages_language(client):
    in_korean(CampaignFactory(slug="case"))

    english = client.get("/actions/case/").content.decode()
    korean = client.get("/ko/actions/case/").content.decode()

    assert re.search(r'name="country" value="United Kingdom"', english)
    assert re.search(r'name="country" value="영국"', korean)
