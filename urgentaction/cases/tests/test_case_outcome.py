"""An outcome is the whole case's: recorded on any page of a case, it closes every
published page of the case (the first and its follow-ups), cancels all their letters not
yet delivered, and tells everyone who wrote on any of them, once each."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions.models import Action, Delivery, Review
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, SupporterFactory
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.cases.models import LetterFate, OutcomeEmail, OutcomeRecord
from urgentaction.cases.outcome_emails import people_to_tell
from urgentaction.cases.outcomes import AlreadyRecorded, record_outcome
from urgentaction.cases.tasks import tell_outcomes_job
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """A case of three pages: the first, closed at its deadline; a follow-up, live; and
    a second follow-up, still a draft."""
    office = TargetFactory(office="Foreign Secretary", holder="")
    first = CampaignFactory(title="Free the family", slug="free-the-family", targets=[office])
    first.status = Campaign.Status.CLOSED
    first.save()
    follow_up = CampaignFactory(
        title="Their trial is set", slug="their-trial", follow_up_of=first, targets=[office]
    )
    draft = CampaignFactory(
        title="Not yet published",
        follow_up_of=first,
        status=Campaign.Status.DRAFT,
        targets=[office],
    )
    return SimpleNamespace(first=first, follow_up=follow_up, draft=draft)


def record(campaign: Campaign) -> OutcomeRecord:
    outcome, _cancelled = record_outcome(
        campaign=campaign,
        kind="released",
        on=timezone.localdate(),
        texts={"en-gb": "They reached Seoul.", "ko": "그들은 서울에 도착했습니다."},
        by=None,
    )
    return outcome


def queued(campaign: Campaign, **fields) -> Delivery:
    """A letter confirmed and waiting in its target's queue."""
    return DeliveryFactory(action__campaign=campaign, **fields)


def delivered(campaign: Campaign, supporter) -> Delivery:
    """A letter that reached its target."""
    return DeliveryFactory(
        action__campaign=campaign,
        action__supporter=supporter,
        action__delivered_at=timezone.now(),
        status=OutboxStatus.SENT,
    )


def person(name: str):
    return SupporterFactory(email=f"{name.lower()}@people.example", first_name=name)


def test_recorded_on_a_follow_up_it_closes_every_published_page_and_cancels_their_letters(case):
    on_first = queued(case.first)
    on_follow_up = queued(case.follow_up)
    unconfirmed = ActionFactory(campaign=case.follow_up, confirmed_at=None)
    held = ActionFactory(campaign=case.follow_up, review=Review.HELD)
    elsewhere = queued(CampaignFactory())

    outcome, cancelled = record_outcome(
        campaign=case.follow_up,
        kind="released",
        on=timezone.localdate(),
        texts={"en-gb": "They reached Seoul.", "ko": "그들은 서울에 도착했습니다."},
        by=None,
    )

    for page in (case.first, case.follow_up):
        page.refresh_from_db()
        assert page.status == Campaign.Status.CLOSED
        assert (page.outcome_kind, page.outcome_date) == ("released", timezone.localdate())
        assert (page.outcome_en_gb, page.outcome_ko) == (
            "They reached Seoul.",
            "그들은 서울에 도착했습니다.",
        )
    case.draft.refresh_from_db()
    assert (case.draft.status, case.draft.outcome_kind) == (Campaign.Status.DRAFT, "")
    for delivery in (on_first, on_follow_up):
        delivery.refresh_from_db()
        assert delivery.status == OutboxStatus.CANCELLED
    elsewhere.refresh_from_db()
    assert elsewhere.status == OutboxStatus.PENDING
    assert Action.objects.get(pk=unconfirmed.pk).expired_at is not None
    assert Action.objects.get(pk=held.pk).review == Review.CLOSED
    assert cancelled.queued == 2
    assert (cancelled.awaiting_confirmation, cancelled.held_for_review) == (1, 1)
    assert outcome.campaign == case.follow_up
    assert (outcome.letters_cancelled, outcome.emails_cancelled) == (4, 2)


def test_recorded_on_the_first_page_it_closes_the_follow_ups_too(case):
    waiting = queued(case.follow_up)

    record(case.first)

    case.follow_up.refresh_from_db()
    waiting.refresh_from_db()
    assert (case.follow_up.status, case.follow_up.outcome_kind) == ("closed", "released")
    assert waiting.status == OutboxStatus.CANCELLED


def test_a_case_has_its_outcome_recorded_once_whichever_page_it_is_recorded_on(case):
    record(case.follow_up)

    with pytest.raises(AlreadyRecorded):
        record(case.first)
    with pytest.raises(AlreadyRecorded):
        record(case.follow_up)
    assert OutcomeRecord.objects.count() == 1


def test_everyone_who_wrote_on_any_page_is_told_once_of_their_latest_letter(case, smtp_server):
    ada, bob, cy = person("Ada"), person("Bob"), person("Cy")
    delivered(case.first, ada)
    queued(case.follow_up, action__supporter=ada)
    delivered(case.first, bob)
    ActionFactory(
        campaign=case.follow_up,
        supporter=cy,
        channel=Channel.POST,
        confirmed_at=None,
        counted_at=timezone.now(),
    )
    assert people_to_tell(case.first) == people_to_tell(case.follow_up) == 3

    record(case.follow_up)
    tell_outcomes_job.call()
    tell_outcomes_job.call()  # a second run tells nobody twice
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("worker", "--until-idle")

    told = dict(OutcomeEmail.objects.values_list("supporter__first_name", "letter"))
    assert told == {"Ada": LetterFate.CANCELLED, "Bob": LetterFate.DELIVERED, "Cy": LetterFate.OWN}
    by_name = {m["To"].addresses[0].addr_spec.split("@")[0]: m for m in smtp_server.messages}
    assert sorted(by_name) == ["ada", "bob", "cy"]
    for message in by_name.values():
        assert message["Subject"].strip() == (
            f"[{case.first.reference}] The outcome of “Free the family”: Released"
        )
    text = {name: m.get_body(("plain",)).get_content() for name, m in by_name.items()}
    assert "You wrote a letter about “Their trial is set”." in text["ada"]
    assert "so we cancelled it: it will not be sent." in text["ada"]
    assert "You wrote a letter about “Free the family”." in text["bob"]
    assert "Your letter was delivered to Foreign Secretary." in text["bob"]
    assert "You sent your letter yourself." in text["cy"]
    assert f"{settings.SITE_URL}/actions/their-trial/" in text["bob"]


def test_every_page_shows_the_outcome_and_the_home_page_lists_the_case_once(case, client):
    record(case.follow_up)

    for page in (case.first, case.follow_up):
        html = client.get(page.get_absolute_url()).content.decode()
        assert '<h2 id="outcome-title">Released</h2>' in html
        assert "They reached Seoul." in html
    home = client.get("/").content.decode().split('<h2 id="outcomes-title">Outcomes</h2>')[1]
    assert home.count("They reached Seoul.") == 1
    assert f'<a href="{case.first.get_absolute_url()}">Free the family</a>' in home
