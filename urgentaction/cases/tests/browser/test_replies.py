"""A writer answers "did you get a reply?" from the emailed link, by keyboard and
without JavaScript, and the answer reaches /targets/; every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from urgentaction.actions.tests.browser.helpers import assert_no_axe_violations
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import Answer
from urgentaction.cases.questionnaire import ask_about_replies
from urgentaction.cases.tenures import record_tenures
from urgentaction.cases.tests.factories import answered, delivered_letter
from urgentaction.mailings.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def link(transactional_db) -> str:
    target = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    delivered_letter(CampaignFactory(targets=[target]), at=timezone.now() - timedelta(days=14))
    ask_about_replies()
    email = OutboundEmail.objects.get(kind="reply_question")
    return re.search(r"http://127\.0\.0\.1:8000(/replies/[^/\s]+/)", email.text).group(1)


def test_a_writer_answers_by_keyboard_and_the_answer_is_counted(page: Page, live_server, link):
    page.goto(live_server.url + link)
    assert_no_axe_violations(page, "the questions")

    page.get_by_role("button", name="Send my answer").click()
    expect(page).to_have_title(re.compile("^Error: Did you get a reply?"))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_no_axe_violations(page, "the questions with an error")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link to the first option
    expect(page.get_by_label("Yes, a reply that answered my points")).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill(str(timezone.localdate().month))
    page.get_by_label("Year").fill(str(timezone.localdate().year))
    page.get_by_label("Paste the reply (optional)").fill("The Minister raised the case.")
    page.get_by_role("button", name="Send my answer").click()

    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page")
    answer = Answer.objects.get()
    assert (answer.kind, answer.reply) == ("answered", "The Minister raised the case.")

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_the_questions_work_without_javascript(page_without_js: Page, live_server, link):
    page_without_js.goto(live_server.url + link)
    page_without_js.get_by_label("No reply").check()
    page_without_js.get_by_role("button", name="Send my answer").click()

    expect(page_without_js.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    assert Answer.objects.get().kind == "no_reply"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_responsiveness_pages_pass_axe(page: Page, live_server, transactional_db, width):
    target = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    for kind in ["answered"] * 8 + ["no_reply"] * 12:
        answered(target, kind, days=6 if kind == "answered" else None)
    record_tenures()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/targets/")
    expect(page.get_by_text("40% (8 of 20 got a reply)")).to_be_visible()
    assert_no_axe_violations(page, f"/targets/ at {width} px")

    page.get_by_role("link", name="Foreign Secretary").click()
    expect(page.get_by_role("heading", name="Foreign Secretary", level=1)).to_be_visible()
    assert_no_axe_violations(page, f"a target's page at {width} px")
