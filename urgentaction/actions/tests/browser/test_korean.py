"""A Korean reader in a real browser: /ko/actions/<slug>/, sending by email (confirmed from
the email), by post and from their own app, signing up for updates and /ko/my-data/, with
axe on each page. The interface's words come from the gettext catalogue; these tests find
controls by what does not change with it (names, addresses) and check what this code
decides: languages, addresses, the campaign's content and the letter's language."""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from urgentaction.actions.models import Action
from urgentaction.actions.tests.browser.helpers import (
    assert_no_axe_violations,
    assert_only_the_live_server,
    run_worker,
    screenshot,
)
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import KOREAN, in_korean
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.my_data_link import answer_my_data_requests
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.browser

EMAIL = "minjun@people.example"
ABOUT_YOU = {
    "first_name": "민준",
    "last_name": "김",
    "email": EMAIL,
    "address_line1": "세종대로 209",
    "town": "서울",
    "postcode": "03171",
    "country": "대한민국",
}


@pytest.fixture
def korean(campaign: Campaign) -> Campaign:
    ConsentText.objects.update(
        wording_ko="네, 긴급 행동 소식을 이메일로 받겠습니다.",
        details_ko="한 달에 두 번 이하로 보내 드립니다.",
    )
    return in_korean(campaign)


def korean_page(page: Page, url: str, where: str) -> None:
    """Open ``url`` and check it is in Korean, with axe."""
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    assert_no_axe_violations(page, where)


def write(page: Page, url: str, channel: str, *, updates: bool = False) -> None:
    page.goto(url)
    for name, value in ABOUT_YOU.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator(f"input[name=channel][value={channel}]").check()
    if updates:
        page.locator("input[name=wants_updates]").check()
    with page.expect_navigation():
        page.locator("form[data-form-token] button[type=submit]").click()


def link_in(text: str, path: str) -> str:
    return re.search(rf"http://\S+?({re.escape(path)}\S+/)", text)[1]


def test_a_korean_reader_writes_by_email_and_confirms_from_a_korean_email(
    page: Page, requested_urls: list[str], live_server, korean: Campaign, smtp_server
) -> None:
    url = f"{live_server.url}/ko{korean.get_absolute_url()}"
    korean_page(page, url, "the Korean campaign page")
    expect(page.get_by_role("heading", level=1)).to_have_text(KOREAN["title_ko"])
    # The letter is in the language its office reads; the case in the reader's.
    expect(page.locator("textarea[name=body]")).to_have_attribute("lang", "en-gb")
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile("Dear Foreign Secretary"))
    expect(page.locator(".letter-language")).to_contain_text("영어")
    # The switcher leads to the same page in English, and back.
    switcher = page.locator(".language-switcher")
    expect(switcher.locator("[aria-current=true]")).to_have_text("한국어")
    switcher.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + korean.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.locator(".language-switcher").get_by_role("link", name="한국어").click()
    expect(page).to_have_url(url)
    screenshot(page, "korean-campaign")

    write(page, url, "email", updates=True)

    expect(page).to_have_url(re.compile(r"/ko/actions/[^/]+/thanks/$"))
    assert_no_axe_violations(page, "the Korean thank-you page asking to confirm")
    action = Action.objects.get()
    assert (action.language, action.letter_language) == ("ko", "en-gb")
    assert Consent.objects.get().language == "ko"

    run_worker()
    [confirmation] = smtp_server.messages
    text = confirmation.get_body(("plain",)).get_content()
    korean_page(page, live_server.url + link_in(text, "/ko/confirm/"), "the confirmation page")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ko/actions/[^/]+/thanks/$"))
    assert_no_axe_violations(page, "the Korean thank-you page")
    assert_only_the_live_server(requested_urls, live_server)

    run_worker()
    letter = smtp_server.messages[-1]
    assert [a.addr_spec for a in letter["To"].addresses] == [korean.targets.get().email]
    assert "Dear Foreign Secretary" in letter.get_content()


def test_a_korean_reader_prints_their_letter_in_korean(
    page: Page, live_server, korean: Campaign
) -> None:
    Campaign.objects.filter(pk=korean.pk).update(letter_in_supporters_language=True)
    url = f"{live_server.url}/ko{korean.get_absolute_url()}"
    korean_page(page, url, "the Korean campaign page with the letter in Korean")
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile("외무장관님께"))

    write(page, url, "post")

    expect(page).to_have_url(re.compile(r"/ko/actions/[^/]+/thanks/$"))
    assert_no_axe_violations(page, "the Korean thank-you page for a printed letter")
    href = page.locator("a[href$='letter.pdf']").first.get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "이 추방을 막아 주십시오." in text  # Hangul, set in the bundled Korean font
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", text)
    fonts = {
        font["/BaseFont"]
        for page_ in PdfReader(io.BytesIO(pdf.body())).pages
        for font in page_["/Resources"]["/Font"].values()
    }
    assert any("NanumMyeongjo" in str(name) for name in fonts)


def test_a_korean_reader_sends_it_from_their_own_email_app(
    page: Page, live_server, korean: Campaign
) -> None:
    write(page, f"{live_server.url}/ko{korean.get_absolute_url()}", "mail_app")

    expect(page.locator("html")).to_have_attribute("lang", "ko")
    mailto = page.locator("a[href^='mailto:']").first.get_attribute("href")
    assert korean.targets.get().email in mailto and "Dear%20Foreign%20Secretary" in mailto
    assert_no_axe_violations(page, "the Korean thank-you page for one's own email app")


def test_a_korean_reader_signs_up_for_updates_and_confirms_in_korean(
    page: Page, live_server, korean: Campaign
) -> None:
    korean_page(page, f"{live_server.url}/ko/updates/", "the Korean sign-up page")
    expect(page.get_by_text("네, 긴급 행동 소식을 이메일로 받겠습니다.")).to_be_visible()
    for name in ("first_name", "last_name", "email"):
        page.locator(f"[name={name}]").fill(ABOUT_YOU[name])
    page.locator("input[type=checkbox][name=agree]").check()
    with page.expect_navigation():
        page.locator("#send").click()
    expect(page).to_have_url(f"{live_server.url}/ko/updates/check-your-inbox/")

    sent = OutboundEmail.objects.get(kind="confirm_signup")
    korean_page(page, live_server.url + link_in(sent.text, "/ko/updates/confirm/"), "confirming")
    assert Consent.objects.get().language == "ko"


def test_a_korean_reader_sees_their_data_at_ko_my_data(
    page: Page, live_server, korean: Campaign
) -> None:
    write(page, f"{live_server.url}/ko{korean.get_absolute_url()}", "post")
    korean_page(page, f"{live_server.url}/ko/my-data/", "the Korean /my-data/ page")
    page.locator("[name=email]").fill(EMAIL)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    answer_my_data_requests()

    sent = OutboundEmail.objects.get(kind="my_data_link")
    korean_page(page, live_server.url + link_in(sent.text, "/ko/my-data/"), "the data link")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/ko/my-data/yours/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("main")).to_contain_text(re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일"))
    assert_no_axe_violations(page, "the Korean data page")
