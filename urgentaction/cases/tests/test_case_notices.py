from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import pairwise

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from urgentaction.actions.models import Review
from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, in_korean
from urgentaction.cases.models import CaseNotice, FollowUpAnnouncement
from urgentaction.cases.notices import announce_follow_ups
from urgentaction.core.housekeeping import registered
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.models import Consent, ConsentText, Suppression

pytestmark = pytest.mark.django_db

DRAFT, LIVE = Campaign.Status.DRAFT, Campaign.Status.LIVE


@pytest.fixture
def case() -> Campaign:
    return CampaignFactory(slug="free-the-three", title="Free the three")


def wrote(campaign: Campaign, email: str, **fields):
    """A letter that counts, on ``campaign``, from the person with ``email``."""
    supporter = SupporterFactory(email=email, first_name=email.split("@")[0].title())
    return ActionFactory(campaign=campaign, supporter=supporter, **fields).supporter


def follow_up(case: Campaign, title: str = "The three are sentenced", **fields) -> Campaign:
    return CampaignFactory(follow_up_of=case, title=title, **fields)


def send_all() -> None:
    """Run the worker once every notice queued is due (they are paced)."""
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("worker", "--until-idle")


def sent_to(address: str) -> OutboundEmail:
    return OutboundEmail.objects.get(to_hash=email_hash(address))


def notices() -> dict[str, int]:
    """How many case notices each address was sent."""
    told = {}
    for email in OutboundEmail.objects.filter(kind="case_notice"):
        told[email.to] = told.get(email.to, 0) + 1
    return told


def test_everyone_who_wrote_on_the_case_is_told_once_of_a_follow_up(case, smtp_server):
    wrote(case, "ada@people.example")
    wrote(case, "grace@people.example")
    fi = follow_up(case, summary="They were sentenced to ten years.")

    announce_follow_ups()
    announce_follow_ups()
    send_all()

    assert notices() == {"ada@people.example": 1, "grace@people.example": 1}
    ada = next(m for m in smtp_server.messages if m["To"] == "ada@people.example")
    assert ada["Subject"] == f"[{case.reference} FI 1] Further information: {fi.title}"
    assert ada["From"] == "Test Rights Network <updates@rights.example>"
    text = ada.get_body(("plain",)).get_content()
    assert "Dear Ada," in text
    assert f"You wrote about “Free the three” ({case.reference})." in text
    assert "They were sentenced to ten years." in text
    assert f"http://127.0.0.1:8000{fi.get_absolute_url()}" in text
    stop = text.split("To hear no more about this case: ")[1].split()[0]
    assert "/cases/stop/" in stop
    assert ada["List-Unsubscribe"].strip() == f"<{stop}>"
    assert ada["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert FollowUpAnnouncement.objects.get(follow_up=fi).finished_at is not None


def test_a_person_who_wrote_on_several_pages_of_the_case_is_told_once(case):
    ada = wrote(case, "ada@people.example")
    first = follow_up(case, "The three are in court")
    announce_follow_ups()
    ActionFactory(campaign=first, supporter=ada)

    follow_up(case)
    announce_follow_ups()

    # Once of each follow-up: of the first, for her letter on the case; of the second,
    # for her letters on the case and on the first.
    assert notices() == {"ada@people.example": 2}
    assert CaseNotice.objects.count() == 2


def test_each_follow_up_is_told_to_those_who_wrote_before_it(case):
    wrote(case, "early@people.example")
    first = follow_up(case, "The three are in court")
    wrote(case, "late@people.example")
    wrote(first, "on-the-follow-up@people.example")

    announce_follow_ups()

    assert notices() == {"early@people.example": 1}


def test_letters_that_did_not_count_earn_no_notice(case):
    wrote(case, "unconfirmed@people.example", confirmed_at=None)
    wrote(case, "held@people.example", review=Review.HELD)
    wrote(case, "rejected@people.example", review=Review.REJECTED)
    wrote(case, "expired@people.example", confirmed_at=None, expired_at=timezone.now())
    wrote(case, "posted@people.example", channel=Channel.POST, confirmed_at=None)
    wrote(case, "approved@people.example", review=Review.APPROVED)
    follow_up(case)

    announce_follow_ups()

    assert notices() == {"posted@people.example": 1, "approved@people.example": 1}


def test_the_erased_the_suppressed_and_the_unsubscribed_are_not_told(case):
    wording = ConsentText.objects.create(wording="Email me news.", details="Monthly.")
    erased = wrote(case, "erased@people.example")
    suppressed = wrote(case, "suppressed@people.example")
    unsubscribed = wrote(case, "unsubscribed@people.example")
    again = wrote(case, "again@people.example")
    wrote(case, "never-asked@people.example")
    erase_supporter(erased)
    Suppression.objects.create(email_hash=suppressed.email_hash, reason="complaint")
    for person in (unsubscribed, again):
        Consent.objects.create(
            supporter=person,
            email_hash=person.email_hash,
            text=wording,
            method=Consent.Method.SIGNUP_FORM,
            confirmed_at=timezone.now(),
        )
        withdraw(person, how="unsubscribe link")
    Consent.objects.create(
        supporter=again,
        email_hash=again.email_hash,
        text=wording,
        method=Consent.Method.PREFERENCES,
        confirmed_at=timezone.now(),
    )
    follow_up(case)

    announce_follow_ups()

    assert notices() == {"never-asked@people.example": 1, "again@people.example": 1}


def test_a_notice_queued_before_its_reader_left_is_not_sent(case, smtp_server):
    erased = wrote(case, "erased@people.example")
    suppressed = wrote(case, "suppressed@people.example")
    unsubscribed = wrote(case, "unsubscribed@people.example")
    wrote(case, "stays@people.example")
    follow_up(case)
    announce_follow_ups()

    erase_supporter(erased)
    Suppression.objects.create(email_hash=suppressed.email_hash, reason="complaint")
    consent = Consent.objects.create(
        supporter=unsubscribed,
        email_hash=unsubscribed.email_hash,
        text=ConsentText.objects.create(wording="News.", details="Monthly."),
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now(),
    )
    withdraw(consent.supporter, how="unsubscribe link")
    send_all()

    assert [m["To"] for m in smtp_server.messages] == ["stays@people.example"]
    statuses = set(
        OutboundEmail.objects.filter(kind="case_notice").values_list("status", flat=True)
    )
    assert statuses == {"sent", "cancelled"}


def test_nothing_is_told_of_a_case_itself_or_of_a_draft_follow_up(case):
    wrote(case, "ada@people.example")
    CampaignFactory(title="Another case")
    draft = follow_up(case, status=DRAFT)

    announce_follow_ups()
    assert notices() == {}

    draft.status = LIVE
    draft.save()
    announce_follow_ups()
    assert notices() == {"ada@people.example": 1}


def test_notices_are_paced_like_updates_across_batches(case, settings, monkeypatch):
    settings.UPDATE_EMAILS_PER_MINUTE = 60
    monkeypatch.setattr("urgentaction.cases.notices.BATCH", 2)
    for n in range(150):
        wrote(case, f"writer{n}@people.example")
    follow_up(case)

    first = announce_follow_ups()
    second = announce_follow_ups()

    assert (first, second) == (120, 30)
    times = sorted(
        OutboundEmail.objects.filter(kind="case_notice").values_list("next_attempt_at", flat=True)
    )
    assert all(later - earlier == timedelta(seconds=1) for earlier, later in pairwise(times))


def test_a_reader_gets_the_notice_in_the_language_of_their_letter_if_the_page_has_it(case):
    wrote(case, "ko@people.example", language="ko")
    wrote(case, "en@people.example")
    translated = in_korean(follow_up(case, "Korean follow-up"))
    untranslated_case = CampaignFactory(title="Second case")
    wrote(untranslated_case, "ko2@people.example", language="ko")
    follow_up(untranslated_case, "Not in Korean")

    announce_follow_ups()

    korean = sent_to("ko@people.example")
    assert f"/ko{translated.get_absolute_url()}" in korean.text
    assert "/ko/cases/stop/" in korean.headers["List-Unsubscribe"]
    assert "/ko/" not in sent_to("en@people.example").text
    assert "/ko/" not in sent_to("ko2@people.example").text


def test_the_worker_runs_it():
    assert "urgentaction.cases.notices.announce_follow_ups" in {job.name for job in registered()}


@pytest.mark.django_db(transaction=True)
def test_workers_telling_at_the_same_moment_tell_each_person_once():
    case = CampaignFactory()
    for n in range(40):
        wrote(case, f"writer{n}@people.example")
    follow_up(case)

    def run(_worker: int) -> int:
        try:
            return announce_follow_ups()
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        queued = sum(pool.map(run, range(4)))

    assert queued == 40
    assert set(notices().values()) == {1}
    assert len(notices()) == 40
