"""The emailed link to "did you get a reply?": signed, no login, once. A forged, an
expired and a used link get the same page; opening one changes nothing."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection

from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import Answer, Questionnaire
from urgentaction.cases.questionnaire import LINK_DAYS, SALT, ask_about_replies
from urgentaction.cases.tests.factories import delivered_letter, self_sent_letter
from urgentaction.conftest import same_page
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter

pytestmark = pytest.mark.django_db

WENT = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
ASKED = WENT + timedelta(days=14)
DAY = timedelta(days=1)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def link(kind: str = "reply_question") -> str:
    email = OutboundEmail.objects.filter(kind=kind).latest("pk")
    return re.search(r"http://127\.0\.0\.1:8000(/(?:ko/)?replies/[^/\s]+/)", email.text).group(1)


@pytest.fixture
def letter():
    with at(WENT):
        letter = delivered_letter()
    with at(ASKED):
        ask_about_replies()
    return letter


def answer_data(target, kind="answered", **extra) -> dict[str, str]:
    return {f"kind_{target.pk}": kind, **{f"{name}_{target.pk}": v for name, v in extra.items()}}


def test_opening_the_link_shows_the_question_and_changes_nothing(client, letter):
    target = letter.campaign.targets.get()
    with at(ASKED + DAY):
        response = client.get(link())
        client.head(link())

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Did you get a reply from {target.display_name}?" in html
    assert "On 1 March 2027 we delivered your letter about" in html
    assert "I wasn&#x27;t expecting one" in html
    assert Questionnaire.objects.get().answered_at is None
    assert not Answer.objects.exists()


def test_answering_records_each_answer_once(client, letter):
    target = letter.campaign.targets.get()
    with at(ASKED + DAY):
        response = client.post(link(), answer_data(target, day="10", month="3", year="2027"))

    assert response.status_code == 302
    assert response["Location"] == "/replies/thank-you/"
    answer = Answer.objects.get()
    assert (answer.target, answer.kind) == (target, Answer.Kind.ANSWERED)
    assert answer.replied_on.isoformat() == "2027-03-10"
    assert answer.days_to_reply == 9
    assert answer.tenure.holder == target.holder
    assert answer.review == Answer.Review.NONE
    assert Questionnaire.objects.get().answered_at == ASKED + DAY


def test_a_used_link_is_refused_like_a_forged_or_an_expired_one(client, letter):
    target = letter.campaign.targets.get()
    path = link()
    token = path.split("/")[2]
    forged = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    with at(ASKED + DAY):
        client.post(path, answer_data(target))
        used = client.get(path)
        used_again = client.post(path, answer_data(target, kind="no_reply"))
        made_up = client.get(forged)
        made_up_post = client.post(forged, answer_data(target))
    with at(ASKED + LINK_DAYS * DAY + timedelta(seconds=1)):
        expired = client.get(path)

    assert Answer.objects.get().kind == Answer.Kind.ANSWERED
    pages = {
        same_page(page.content, url)
        for page, url in [
            (used, path),
            (used_again, path),
            (made_up, forged),
            (made_up_post, forged),
            (expired, path),
        ]
    }
    assert len(pages) == 1
    assert "This link no longer works" in pages.pop().decode()
    assert {used.status_code, made_up.status_code, expired.status_code} == {200}


def test_a_link_works_until_it_expires(client, letter):
    target = letter.campaign.targets.get()
    path = link()
    with at(ASKED + LINK_DAYS * DAY - timedelta(seconds=1)):
        assert "Did you get a reply from" in client.get(path).content.decode()
        assert client.post(path, answer_data(target)).status_code == 302


def test_the_reminders_link_is_new_and_works_its_own_thirty_days(client, letter):
    target = letter.campaign.targets.get()
    with at(WENT + 21 * DAY):
        ask_about_replies()
    reminder = link("reply_reminder")
    assert reminder != link()

    with at(WENT + 21 * DAY + (LINK_DAYS - 1) * DAY):
        assert "This link no longer works" in client.get(link()).content.decode()
        assert client.post(reminder, answer_data(target)).status_code == 302


def test_a_link_names_its_writers_address_as_well_as_its_question(client, letter):
    """Even signed with the site's key, a link for one question and another address (an
    erased writer's old one, say) opens nothing."""
    with at(WENT):
        other = delivered_letter()
    with at(ASKED):
        ask_about_replies()
    theirs = other.questionnaire

    with at(ASKED + DAY):
        mixed = signing.dumps([theirs.pk, letter.supporter.email_hash[:16]], salt=SALT)
        right = signing.dumps([theirs.pk, other.supporter.email_hash[:16]], salt=SALT)
        refused = client.get(f"/replies/{mixed}/")
        opened = client.get(f"/replies/{right}/")

    assert "This link no longer works" in refused.content.decode()
    assert "Did you get a reply from" in opened.content.decode()


def test_a_link_stops_working_when_its_writer_erases_their_data(client, letter):
    path = link()
    erase_supporter(letter.supporter)

    with at(ASKED + DAY):
        assert "This link no longer works" in client.get(path).content.decode()


def test_it_asks_again_with_every_answer_kept_when_something_is_missing(client, letter):
    target = letter.campaign.targets.get()
    with at(ASKED + DAY):
        response = client.post(link(), {f"reply_{target.pk}": "Dear Ms Lovelace, thank you."})

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Did you get a reply?" in html
    message = "Select whether you got a reply from " + target.display_name  # noqa: S608
    assert f'<a href="#id_kind_{target.pk}_0">{message}</a>' in html
    assert "Dear Ms Lovelace, thank you.</textarea>" in html
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "Enter the date the reply came as a real date, for example 27 3 2026"),
        ("10", "", "2027", "Enter the date the reply came as a real date, for example 27 3 2026"),
        ("3", "4", "2027", "The date the reply came must be today or in the past"),
        (
            "28",
            "2",
            "2027",
            "The date the reply came must be on or after 1 March 2027, when your letter went",
        ),
    ],
)
def test_a_reply_date_must_be_real_and_between_the_letter_and_today(
    client, letter, day, month, year, message
):
    target = letter.campaign.targets.get()
    with at(ASKED + DAY):
        response = client.post(link(), answer_data(target, day=day, month=month, year=year))

    assert response.status_code == 400
    assert f'<a href="#id_day_{target.pk}">{message}</a>' in response.content.decode()


def test_a_pasted_reply_is_kept_encrypted_and_held_for_review(client, letter):
    target = letter.campaign.targets.get()
    reply = "Dear Ms Lovelace, the Minister has raised Mr Kim's case in Beijing."
    with at(ASKED + DAY):
        client.post(link(), answer_data(target, kind="evaded", reply=reply))

    answer = Answer.objects.get()
    assert answer.reply == reply
    assert answer.review == Answer.Review.HELD
    with connection.cursor() as cursor:
        cursor.execute("SELECT reply FROM cases_answer")
        (stored,) = cursor.fetchone()
    assert b"Lovelace" not in bytes(stored)
    page = client.get(letter.campaign.get_absolute_url()).content.decode()
    assert "raised Mr Kim" not in page
    assert "raised Mr Kim" not in client.get(f"/targets/{target.pk}/").content.decode()


def test_a_date_or_a_reply_given_with_no_reply_is_not_kept(client, letter):
    target = letter.campaign.targets.get()
    data = answer_data(target, kind="no_reply", day="3", month="3", year="2027", reply="Text")
    with at(ASKED + DAY):
        client.post(link(), data)

    answer = Answer.objects.get()
    assert (answer.replied_on, answer.days_to_reply, answer.reply) == (None, None, "")
    assert answer.review == Answer.Review.NONE


def test_a_letter_to_several_offices_asks_about_each(client):
    first = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    second = TargetFactory(office="Ambassador", holder="Li Wei")
    with at(WENT):
        delivered_letter(CampaignFactory(targets=[first, second]))
    with at(ASKED):
        ask_about_replies()

    with at(ASKED + DAY):
        html = client.get(link()).content.decode()
        client.post(link(), {**answer_data(first), **answer_data(second, kind="no_reply")})

    assert "Did you get a reply from Foreign Secretary Jane Minister?" in html
    assert "Did you get a reply from Ambassador Li Wei?" in html
    assert dict(Answer.objects.values_list("target__office", "kind")) == {
        "Foreign Secretary": "answered",
        "Ambassador": "no_reply",
    }


def test_a_posted_letter_is_asked_about_as_posted(client):
    with at(WENT):
        self_sent_letter(channel=Channel.POST)
    with at(ASKED):
        ask_about_replies()

    with at(ASKED + DAY):
        html = client.get(link()).content.decode()

    assert "On 1 March 2027 you told us you had posted your letter about" in html


def test_the_questions_open_in_korean_for_a_korean_writer(client):
    with at(WENT):
        delivered_letter(language="ko")
    with at(ASKED):
        ask_about_replies()

    with at(ASKED + DAY):
        response = client.get(link())

    assert link().startswith("/ko/replies/")
    assert '<html lang="ko"' in response.content.decode()
