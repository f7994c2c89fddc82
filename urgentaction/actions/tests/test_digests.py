from datetime import timedelta

import pytest
import time_machine
from django.core.mail import get_connection
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from urgentaction.actions import digests
from urgentaction.actions.models import Delivery, Digest
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import KOREAN, CampaignFactory, TargetFactory, in_korean
from urgentaction.lib import outbox
from urgentaction.lib.outbox import OutboxStatus, claim_one
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return TargetFactory(mode=Target.Mode.DAILY, email="office@government.example")


def letters(target, count: int) -> list[Delivery]:
    campaign = CampaignFactory(targets=[target])
    return [
        DeliveryFactory(
            action=ActionFactory(
                campaign=campaign, first_name=f"Writer{n}", body=f"Letter number {n}."
            ),
            target=target,
        )
        for n in range(count)
    ]


def test_a_digest_target_gets_one_email_a_day_with_every_letter(smtp_server, office):
    letters(office, 3)

    call_command("worker", "--until-idle")

    [digest] = smtp_server.messages
    assert digest["To"].addresses[0].addr_spec == "office@government.example"
    assert digest["Subject"] == "3 letters from members of the public"
    text = digest.get_content()
    for n in range(3):
        assert f"Letter number {n}." in text
        assert f"Writer{n} Lovelace" in text
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert Digest.objects.get().status == Delivery.Status.SENT


def test_letters_after_a_digest_wait_for_the_next_day(smtp_server, office):
    letters(office, 1)
    call_command("worker", "--until-idle")
    later = letters(office, 2)

    call_command("worker", "--until-idle")
    assert len(smtp_server.messages) == 1
    assert {d.status for d in Delivery.objects.filter(pk__in=[d.pk for d in later])} == {
        Delivery.Status.PENDING
    }

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        call_command("worker", "--until-idle")

    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[1]["Subject"] == "2 letters from members of the public"


def test_held_letters_stay_out_of_a_digest(smtp_server, office):
    [held] = letters(office, 1)
    Delivery.objects.filter(pk=held.pk).update(status=Delivery.Status.HELD)

    call_command("worker", "--until-idle")

    assert smtp_server.messages == []
    assert not Digest.objects.exists()


def test_letters_already_in_a_digest_are_not_also_sent_one_by_one(smtp_server, office):
    letters(office, 2)
    call_command("worker", "--until-idle")
    Target.objects.filter(pk=office.pk).update(mode=Target.Mode.EACH)
    Digest.objects.update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now())
    Delivery.objects.update(status=Delivery.Status.PENDING, sent_at=None)

    call_command("worker", "--until-idle")

    assert len(smtp_server.messages) == 2  # the first digest, then the same digest again
    assert all(m["Subject"] == "2 letters from members of the public" for m in smtp_server.messages)


def test_test_mode_letters_never_go_into_a_real_offices_digest(smtp_server, office):
    campaign = CampaignFactory(targets=[office], test_mode=True, test_email="staff@org.example")
    DeliveryFactory(action=ActionFactory(campaign=campaign), target=office)

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    assert letter["To"] == "staff@org.example"
    assert not Digest.objects.exists()


def test_a_database_error_while_building_a_digest_fails_no_letter(smtp_server, office):
    waiting = letters(office, 2)
    digest = Digest.objects.create(target=office, message_id="<digest@rights.example>")
    Delivery.objects.update(digest=digest)
    assert claim_one(Digest.objects.all(), digest.pk)
    digest.refresh_from_db()

    def build(row):
        raise OperationalError("database is locked")

    outbox.send(digest, build=build, connection=get_connection(), on_failure=digests._fail)

    digest.refresh_from_db()
    assert digest.status == OutboxStatus.PENDING
    assert digest.next_attempt_at > timezone.now()
    assert {d.status for d in Delivery.objects.filter(pk__in=[w.pk for w in waiting])} == {
        Delivery.Status.PENDING
    }
    assert not OutboundEmail.objects.filter(kind="letter_failed").exists()


def test_a_digest_refused_for_good_fails_each_letter_and_tells_each_writer(smtp_server, office):
    smtp_server.refuse["office@government.example"] = "550 5.1.1 No such mailbox"
    waiting = letters(office, 2)

    call_command("worker", "--until-idle")

    digest = Digest.objects.get()
    assert (digest.status, digest.last_error) == (OutboxStatus.FAILED, "550 5.1.1 No such mailbox")
    statuses = {d.status for d in Delivery.objects.filter(pk__in=[w.pk for w in waiting])}
    assert statuses == {Delivery.Status.FAILED}
    told = OutboundEmail.objects.filter(kind="letter_failed")
    assert sorted(email.to for email in told) == sorted(w.action.email for w in waiting)
    office.refresh_from_db()
    assert office.hard_failures == 2


def test_a_digest_is_in_the_language_its_office_reads(smtp_server, office):
    Target.objects.filter(pk=office.pk).update(language="ko", office_ko="외무장관")
    [delivery] = letters(office, 1)
    in_korean(delivery.action.campaign)

    call_command("worker", "--until-idle")

    [digest] = smtp_server.messages
    assert digest["To"].addresses[0].display_name == "외무장관 Jane Minister"
    assert KOREAN["title_ko"] in digest.get_content()
