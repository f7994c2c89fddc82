"""A letter written on the Korean page: stored with its language and its letter's, its
writer's emails (those sent at once and those the worker sends later) in Korean with
Korean links, its printed letter dated as its letter's language writes dates."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from urgentaction.actions.confirmation import send_reminders
from urgentaction.actions.delivery import build_message
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.letters.documents import letter_item
from urgentaction.mailings.emails import with_words
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    ConsentText.objects.create(
        wording="Email me news.",
        details="Twice a month at most.",
        wording_ko="소식을 이메일로 받겠습니다.",
        details_ko="한 달에 두 번 이하로 보내 드립니다.",
    )
    return in_korean(CampaignFactory(slug="case"))


def write_in_korean(client, **overrides) -> Action:
    data = valid_data(subject="Please stop the deportation", **overrides)
    data["consent_version"] = str(ConsentText.objects.current().pk)
    response = client.post("/ko/actions/case/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/ko/actions/case/thanks/?state=")
    return Action.objects.get()


def test_it_keeps_the_language_of_the_page_and_of_the_letter(client, campaign):
    action = write_in_korean(client, wants_updates="on")

    assert (action.language, action.letter_language) == ("ko", "en-gb")
    assert Consent.objects.get().language == "ko"


def test_the_korean_page_shows_the_consent_wording_in_korean(client, campaign):
    html = client.get("/ko/actions/case/").content.decode()

    assert "소식을 이메일로 받겠습니다." in html and "Email me news." not in html


def test_the_confirmation_and_its_reminder_link_to_the_korean_pages(client, campaign):
    action = write_in_korean(client)
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=2))

    send_reminders()

    emails = [with_words(e) for e in OutboundEmail.objects.filter(action=action).order_by("pk")]
    assert len(emails) == 2
    for email in emails:
        assert "/ko/confirm/" in email.text and "/ko/confirm/" in email.html


def test_a_confirmed_letter_opens_its_korean_page_and_then_thanks_in_korean(client, campaign):
    write_in_korean(client)
    text = with_words(OutboundEmail.objects.get()).text
    link = next(word for word in text.split() if "/ko/confirm/" in word)
    path = link[link.index("/ko/confirm/") :]

    page = client.get(path)
    sent = client.post(path)

    assert '<html lang="ko"' in page.content.decode()
    assert sent["Location"].startswith("/ko/actions/case/thanks/?state=")


def test_a_korean_letter_is_dated_and_laid_out_in_korean(client, campaign):
    campaign.letter_in_supporters_language = True
    campaign.save()
    action = write_in_korean(client, channel="post", body="외무장관님께\n\n막아 주십시오.")

    item = letter_item(action, campaign.targets.get())

    assert (item["lang"], item["region"]) == ("ko", "")
    assert item["date"] == timezone.localtime(action.created_at).strftime("%Y년 %-m월 %-d일")
    assert item["recipient"][0].startswith("외무장관")


def test_an_english_letter_is_dated_in_english_from_the_korean_page(client, campaign):
    action = write_in_korean(client, channel="post")

    item = letter_item(action, campaign.targets.get())

    assert (item["lang"], item["region"]) == ("en", "gb")
    assert item["date"] == timezone.localtime(action.created_at).strftime("%-d %B %Y")
    assert item["recipient"][0].startswith("Foreign Secretary")


def test_a_letter_to_an_office_that_reads_korean_names_it_in_korean(client, campaign):
    campaign.targets.update(language="ko")
    action = write_in_korean(client, channel="email")
    translation.deactivate()  # as in the worker, which has no request

    message = build_message(action.deliveries.get())

    assert action.letter_language == "ko"
    to = str(make_header(decode_header(message.message()["To"])))
    assert to.startswith("외무장관 Jane Minister")


def test_the_worker_tells_a_korean_writer_in_korean_that_their_letter_failed(
    client, campaign, smtp_server
):
    campaign.requires_confirmation = False
    campaign.save()
    action = write_in_korean(client, channel="email")
    translation.deactivate()  # as in the worker, which has no request
    target = campaign.targets.get()
    smtp_server.refuse[target.email] = "550 5.1.1 No such mailbox"

    call_command("worker", "--until-idle")

    [notice] = [m for m in smtp_server.messages if m["To"] == action.email]
    assert "편지를 전달하지 못했습니다" in str(make_header(decode_header(notice["Subject"])))
    assert "Please act now." in notice.get_body(("plain",)).get_content()
