"""Everyone who acted on a case gets one outcome email, paced like updates, whose words say
whether their own letter was delivered or cancelled, with the case's stop link; nobody
erased, suppressed, never confirmed or who asked to hear no more about the case gets
one."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, SupporterFactory
from urgentaction.campaigns.models import Channel, Role
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory, in_korean
from urgentaction.cases.models import CaseOptOut, LetterFate, OutcomeEmail, OutcomeRecord
from urgentaction.cases.notices import stop_notices
from urgentaction.cases.outcome_emails import people_to_tell
from urgentaction.cases.outcomes import record_outcome
from urgentaction.cases.tasks import FORGOTTEN_AFTER, requeue_forgotten_outcomes, tell_outcomes_job
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.privacy.rights import erase_supporter
from urgentaction.supporters.models import Suppression

pytestmark = pytest.mark.django_db

WHAT_HAPPENED = "Lee's wife and son reached Seoul on 2 March."


@pytest.fixture
def campaign():
    target = TargetFactory(office="Foreign Secretary", holder="")
    return CampaignFactory(title="Free the family", slug="free-the-family", targets=[target])


def letter(campaign, name: str, **fields) -> Action:
    supporter = SupporterFactory(email=f"{name.lower()}@people.example", first_name=name)
    return ActionFactory(campaign=campaign, supporter=supporter, **fields)


def delivery(action: Action, status: str) -> Delivery:
    return DeliveryFactory(action=action, target=action.campaign.targets.get(), status=status)


def record(campaign) -> OutcomeRecord:
    outcome, _cancelled = record_outcome(
        campaign=campaign,
        kind="released",
        on=timezone.localdate() - timedelta(days=3),
        texts={"en-gb": WHAT_HAPPENED, "ko": "이 씨의 아내와 아들이 3월 2일 서울에 도착했습니다."},
        by=None,
    )
    return outcome


def tell() -> None:
    """The job, then the worker, with every email due."""
    tell_outcomes_job.call()
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("worker", "--until-idle")


def test_everyone_who_acted_is_told_once_what_became_of_their_own_letter(campaign, smtp_server):
    delivered = letter(campaign, "Ada", delivered_at=timezone.now(), counted_at=timezone.now())
    delivery(delivered, OutboxStatus.SENT)
    queued = letter(campaign, "Bob", counted_at=timezone.now())
    delivery(queued, OutboxStatus.PENDING)
    held = letter(campaign, "Cy", review=Review.HELD)
    delivery(held, OutboxStatus.HELD)
    failed = letter(campaign, "Di", counted_at=timezone.now())
    delivery(failed, OutboxStatus.FAILED)
    letter(
        campaign,
        "Eve",
        channel=Channel.POST,
        reported_sent_at=timezone.now(),
        counted_at=timezone.now(),
    )

    outcome = record(campaign)
    tell()
    tell()  # a second run, or a restarted job, tells nobody twice

    told = dict(OutcomeEmail.objects.values_list("supporter__first_name", "letter"))
    assert told == {
        "Ada": LetterFate.DELIVERED,
        "Bob": LetterFate.CANCELLED,
        "Cy": LetterFate.CANCELLED,
        "Di": LetterFate.FAILED,
        "Eve": LetterFate.OWN,
    }
    by_name = {m["To"].addresses[0].addr_spec.split("@")[0]: m for m in smtp_server.messages}
    assert sorted(by_name) == ["ada", "bob", "cy", "di", "eve"]
    for message in by_name.values():
        # (The header is folded, being encoded: the parser keeps a space from the fold.)
        assert message["Subject"].strip() == (
            f"[{campaign.reference}] The outcome of “Free the family”: Released"
        )
    text = {name: m.get_body(("plain",)).get_content() for name, m in by_name.items()}
    html = {name: m.get_body(("html",)).get_content() for name, m in by_name.items()}
    assert "Your letter was delivered to Foreign Secretary." in text["ada"]
    assert "so we cancelled it: it will not be sent." in text["bob"]
    assert "so we cancelled it: it will not be sent." in html["cy"]
    assert "could not be delivered, as we told you at the time" in text["di"]
    assert "You sent your letter yourself." in text["eve"]
    assert "Dear Ada," in text["ada"] and WHAT_HAPPENED in text["ada"]
    assert "Released" in html["ada"] and "Lee&#x27;s wife and son" in html["ada"]
    assert f"{settings.SITE_URL}/actions/free-the-family/" in text["ada"]
    outcome.refresh_from_db()
    assert (outcome.status, outcome.told) == (OutcomeRecord.Status.SENT, 5)
    assert outcome.finished_at is not None


def test_nobody_erased_suppressed_rejected_or_unconfirmed_is_told(campaign, smtp_server):
    letter(campaign, "Unconfirmed", confirmed_at=None)
    letter(campaign, "Rejected", review=Review.REJECTED)
    letter(campaign, "Unposted", channel=Channel.POST)  # never said they sent it
    erased = letter(campaign, "Erased", counted_at=timezone.now())
    erase_supporter(erased.supporter)
    letter(campaign, "Suppressed", counted_at=timezone.now())
    Suppression.objects.create(email_hash=email_hash("suppressed@people.example"), reason="x")
    letter(campaign, "Kept", counted_at=timezone.now())

    record(campaign)
    tell()

    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["kept@people.example"]


def test_a_writer_who_erases_before_their_email_goes_gets_nothing(campaign, smtp_server):
    ada = letter(campaign, "Ada", counted_at=timezone.now())

    record(campaign)
    tell_outcomes_job.call()
    erase_supporter(ada.supporter)
    call_command("worker", "--until-idle")

    assert smtp_server.messages == []


def test_outcome_emails_are_paced_like_updates(campaign, settings):
    settings.UPDATE_EMAILS_PER_MINUTE = 30
    for n in range(4):
        letter(campaign, f"Writer{n}", counted_at=timezone.now())

    record(campaign)
    tell_outcomes_job.call()

    times = sorted(
        OutboundEmail.objects.filter(kind="outcome").values_list("next_attempt_at", flat=True)
    )
    assert [later - earlier for earlier, later in pairwise(times)] == [timedelta(seconds=2)] * 3


def test_it_is_written_in_the_language_they_wrote_in_when_the_case_is_shown_in_it(campaign):
    in_korean(campaign)
    letter(campaign, "Min", counted_at=timezone.now(), language="ko")
    other = CampaignFactory(slug="not-in-korean")
    letter(other, "Jun", counted_at=timezone.now(), language="ko")

    record(campaign)
    record(other)
    tell_outcomes_job.call()

    korean = OutboundEmail.objects.get(to_hash=email_hash("min@people.example"))
    english = OutboundEmail.objects.get(to_hash=email_hash("jun@people.example"))
    assert "이 씨의 아내와 아들이" in korean.text
    assert "/ko/actions/free-the-family/" in korean.text
    assert WHAT_HAPPENED in english.text
    assert f"{settings.SITE_URL}/actions/not-in-korean/" in english.text


def test_a_person_is_told_once_though_the_job_runs_twice_at_once(campaign):
    letter(campaign, "Ada", counted_at=timezone.now())
    record(campaign)

    tell_outcomes_job.call()
    tell_outcomes_job.call()

    assert OutboundEmail.objects.filter(kind="outcome").count() == 1


def test_an_outcome_just_recorded_or_being_told_is_not_given_a_second_job(campaign):
    ada = letter(campaign, "Ada", counted_at=timezone.now())
    letter(campaign, "Bob", counted_at=timezone.now())
    outcome = record(campaign)
    assert requeue_forgotten_outcomes() is False  # its job is on its way

    long_ago = timezone.now() - FORGOTTEN_AFTER - timedelta(seconds=1)
    OutcomeRecord.objects.filter(pk=outcome.pk).update(recorded_at=long_ago)
    tell_outcomes_job.call()
    OutcomeRecord.objects.filter(pk=outcome.pk).update(status=OutcomeRecord.Status.SENDING)
    assert requeue_forgotten_outcomes() is False  # it queued an email a moment ago

    OutboundEmail.objects.filter(action=ada).update(created_at=long_ago)
    OutboundEmail.objects.exclude(action=ada).update(created_at=long_ago)
    assert requeue_forgotten_outcomes() is True


@pytest.mark.django_db(transaction=True)
def test_an_outcome_whose_job_was_lost_is_told_all_the_same(campaign):
    letter(campaign, "Ada", counted_at=timezone.now())
    outcome = record(campaign)  # committed: its job is queued
    assert requeue_forgotten_outcomes() is False
    OutcomeRecord.objects.filter(pk=outcome.pk).update(
        recorded_at=timezone.now() - FORGOTTEN_AFTER - timedelta(seconds=1)
    )
    # Nothing queued for it since: its job counts as lost, and it is given another (on
    # every task backend; both jobs run below, and everyone is still told once).
    assert requeue_forgotten_outcomes() is True

    call_command("worker", "--until-idle")
    call_command("run_tasks", "--until-idle", verbosity=0)

    assert OutboundEmail.objects.filter(kind="outcome").count() == 1
    outcome.refresh_from_db()
    assert outcome.status == OutcomeRecord.Status.SENT


def test_a_copy_reaching_its_target_does_not_make_the_letter_delivered(campaign, smtp_server):
    ambassador = TargetFactory(office="Ambassador")
    campaign.copy_targets.add(ambassador)
    ada = letter(campaign, "Ada", counted_at=timezone.now())
    delivery(ada, OutboxStatus.PENDING)
    DeliveryFactory(action=ada, target=ambassador, role=Role.COPY, status=OutboxStatus.SENT)

    record(campaign)
    tell()

    assert OutcomeEmail.objects.get().letter == LetterFate.CANCELLED


def test_the_email_carries_the_cases_stop_link_and_one_click_unsubscribe(campaign, smtp_server):
    ada = letter(campaign, "Ada", counted_at=timezone.now())

    record(campaign)
    tell()

    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    stop = text.split("To hear no more about this case: ")[1].split()[0]
    assert stop.startswith(f"{settings.SITE_URL}/cases/stop/")
    assert message["List-Unsubscribe"].strip() == f"<{stop}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'<a href="{stop}">Hear no more about this case</a>' in html
    # The mail client's one click, with no cookie, stops the case's emails.
    Client(enforce_csrf_checks=True).post(
        stop.removeprefix(settings.SITE_URL), {"List-Unsubscribe": "One-Click"}
    )
    assert CaseOptOut.objects.filter(supporter=ada.supporter, case=campaign).exists()


def test_a_korean_writers_stop_link_opens_the_page_in_korean(campaign):
    in_korean(campaign)
    letter(campaign, "Min", counted_at=timezone.now(), language="ko")

    record(campaign)
    tell_outcomes_job.call()

    email = OutboundEmail.objects.get(kind="outcome")
    assert "/ko/cases/stop/" in email.headers["List-Unsubscribe"]
    assert "/ko/cases/stop/" in email.text


def test_nobody_who_asked_to_hear_no_more_about_the_case_is_told(campaign, smtp_server):
    follow_up = CampaignFactory(follow_up_of=campaign, targets=list(campaign.targets.all()))
    ada = letter(campaign, "Ada", counted_at=timezone.now())
    bob = letter(follow_up, "Bob", counted_at=timezone.now())
    cy = letter(campaign, "Cy", counted_at=timezone.now())
    # Ada from a notice of the follow-up, Bob from the case itself: both stop the case.
    stop_notices(supporter=ada.supporter, case=follow_up)
    stop_notices(supporter=bob.supporter, case=campaign)
    # Cy stopped another case only.
    other = CampaignFactory()
    ActionFactory(campaign=other, supporter=cy.supporter, counted_at=timezone.now())
    stop_notices(supporter=cy.supporter, case=other)
    assert people_to_tell(campaign) == 1

    record(campaign)
    tell()

    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["cy@people.example"]


def test_stopping_cancels_an_outcome_email_not_yet_sent(campaign, client, smtp_server):
    ada = letter(campaign, "Ada", counted_at=timezone.now())
    letter(campaign, "Bob", counted_at=timezone.now())
    record(campaign)
    tell_outcomes_job.call()
    to_ada = OutboundEmail.objects.get(kind="outcome", supporter=ada.supporter)
    stop = to_ada.headers["List-Unsubscribe"].strip("<>").removeprefix(settings.SITE_URL)

    client.post(stop)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("worker", "--until-idle")

    to_ada.refresh_from_db()
    assert to_ada.status == OutboxStatus.CANCELLED
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["bob@people.example"]
