"""When "did you get a reply?" is asked: 14 days after a letter went, once, and a
reminder at 21 days to those who have not answered; never to the erased, the
suppressed, or about a letter that did not arrive."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from urgentaction.actions.models import Review
from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import Questionnaire
from urgentaction.cases.questionnaire import ask_about_replies
from urgentaction.cases.tests.factories import delivered_letter, self_sent_letter
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import send_due_emails
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.models import Suppression

pytestmark = pytest.mark.django_db

WENT = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


def asked(kind: str = "reply_question") -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=kind))


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def run_at(moment: datetime) -> int:
    with at(moment):
        return ask_about_replies()


def test_it_asks_once_fourteen_days_after_the_letter_was_delivered():
    with at(WENT):
        letter = delivered_letter()

    assert run_at(WENT + 14 * DAY - SECOND) == 0
    assert asked() == []

    assert run_at(WENT + 14 * DAY) == 1
    assert run_at(WENT + 14 * DAY + 10 * SECOND) == 0
    assert run_at(WENT + 20 * DAY) == 0

    (email,) = asked()
    assert email.to == letter.email
    assert email.action == letter
    assert email.subject == f"Did you get a reply to your letter about “{letter.campaign.title}”?"
    question = Questionnaire.objects.get()
    assert question.letter_went_at == WENT
    assert question.asked_at == WENT + 14 * DAY


def test_it_reminds_once_at_twenty_one_days_those_who_did_not_answer():
    with at(WENT):
        delivered_letter()
    run_at(WENT + 14 * DAY)

    assert run_at(WENT + 21 * DAY - SECOND) == 0
    assert asked("reply_reminder") == []
    assert run_at(WENT + 21 * DAY) == 1
    assert run_at(WENT + 25 * DAY) == 0

    (reminder,) = asked("reply_reminder")
    assert reminder.subject.startswith("Reminder: did you get a reply")
    assert len(asked()) == 1


def test_no_reminder_goes_to_someone_who_answered():
    with at(WENT):
        delivered_letter()
    run_at(WENT + 14 * DAY)
    Questionnaire.objects.update(answered_at=WENT + 15 * DAY)

    assert run_at(WENT + 21 * DAY) == 0
    assert asked("reply_reminder") == []


def test_the_clock_runs_from_delivery_not_from_writing():
    with at(WENT - 3 * DAY):
        letter = delivered_letter()
    letter.delivered_at = WENT
    letter.save()

    assert run_at(WENT + 14 * DAY - SECOND) == 0
    assert run_at(WENT + 14 * DAY) == 1


@pytest.mark.parametrize(
    ("channel", "words"),
    [
        (Channel.POST, "you told us you had posted your letter"),
        (Channel.MAIL_APP, "you told us you had sent your letter"),
    ],
)
def test_letters_writers_sent_themselves_are_asked_about_in_their_own_words(channel, words):
    with at(WENT):
        letter = self_sent_letter(channel=channel)
    target = letter.campaign.targets.get()

    assert run_at(WENT + 14 * DAY - SECOND) == 0
    assert run_at(WENT + 14 * DAY) == 1

    (email,) = asked()
    for body in (email.text, email.html):
        assert f"On 1 March 2027 {words} about “{letter.campaign.title}”" in body
        assert target.display_name in body
        assert "we delivered" not in body


def test_a_delivered_letter_is_worded_as_delivered():
    with at(WENT):
        letter = delivered_letter()
    run_at(WENT + 14 * DAY)

    (email,) = asked()
    target = letter.campaign.targets.get()
    expected = (
        f"On 1 March 2027 we delivered your letter about “{letter.campaign.title}” "
        f"to {target.display_name}."
    )
    assert expected in email.text
    assert expected in email.html


def test_a_letter_its_writer_never_said_they_sent_is_not_asked_about():
    with at(WENT):
        ActionFactory(channel=Channel.POST, confirmed_at=None)

    assert run_at(WENT + 14 * DAY) == 0


def test_a_letter_none_of_whose_copies_arrived_is_not_asked_about():
    with at(WENT):
        letter = delivered_letter()
    letter.deliveries.update(status=OutboxStatus.FAILED)

    assert run_at(WENT + 14 * DAY) == 0


def test_only_the_targets_a_copy_reached_are_named():
    reached = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    bounced = TargetFactory(office="Home Secretary", holder="John Minister")
    with at(WENT):
        letter = delivered_letter(CampaignFactory(targets=[reached, bounced]))
    letter.deliveries.filter(target=bounced).update(status=OutboxStatus.FAILED)
    run_at(WENT + 14 * DAY)

    (email,) = asked()
    assert "Foreign Secretary Jane Minister" in email.text
    assert "Home Secretary" not in email.text


def test_test_letters_and_rejected_letters_are_not_asked_about():
    with at(WENT):
        delivered_letter(CampaignFactory(test_mode=True, test_email="test@org.example"))
        rejected = self_sent_letter()
    rejected.review = Review.REJECTED
    rejected.save()

    assert run_at(WENT + 14 * DAY) == 0


def test_the_erased_and_the_suppressed_are_never_asked():
    with at(WENT):
        erased = delivered_letter()
        suppressed = delivered_letter()
    erase_supporter(erased.supporter)
    Suppression.objects.create(email_hash=suppressed.supporter.email_hash, reason="complaint")

    assert run_at(WENT + 14 * DAY) == 0
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("leave", ["erase", "suppress"])
def test_no_reminder_goes_to_someone_erased_or_suppressed_since(leave):
    with at(WENT):
        letter = delivered_letter()
    run_at(WENT + 14 * DAY)
    send_due_emails()
    if leave == "erase":
        erase_supporter(letter.supporter)
    else:
        Suppression.objects.create(email_hash=letter.supporter.email_hash, reason="complaint")

    assert run_at(WENT + 21 * DAY) == 0


def test_erasure_cancels_a_question_not_yet_sent():
    with at(WENT):
        letter = delivered_letter()
    run_at(WENT + 14 * DAY)

    erase_supporter(letter.supporter)

    (email,) = asked()
    assert email.status == OutboxStatus.CANCELLED
    assert email.text == ""


def test_a_letter_found_late_is_not_asked_about_weeks_on():
    """The worker was stopped for a week: a question a week late helps no one."""
    with at(WENT):
        delivered_letter()

    assert run_at(WENT + 21 * DAY) == 0
    assert run_at(WENT + 40 * DAY) == 0


def test_the_reminder_is_not_sent_weeks_late_either():
    with at(WENT):
        delivered_letter()
    run_at(WENT + 14 * DAY)

    assert run_at(WENT + 28 * DAY) == 0


def test_the_email_goes_out_with_its_link_in_both_bodies(smtp_server):
    with at(WENT):
        letter = delivered_letter()
    with at(WENT + 14 * DAY):
        ask_about_replies()
        send_due_emails()

    (message,) = smtp_server.messages
    assert message["To"] == letter.email
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"].strip().startswith("Did you get a reply to your letter about")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:8000/replies/[^/\s]+/", text).group()
    assert f'href="{link}"' in html
    assert "The link works once, for 30 days." in text


def test_a_korean_writer_gets_the_korean_address_of_the_questions():
    with at(WENT):
        delivered_letter(language="ko")
    run_at(WENT + 14 * DAY)

    (email,) = asked()
    assert "http://127.0.0.1:8000/ko/replies/" in email.text
