from datetime import timedelta

import pytest
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from urgentaction.actions.delivery import build_message, deliver_due
from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory
from urgentaction.campaigns.models import Target
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import free_port
from urgentaction.lib import outbox
from urgentaction.lib.outbox import claim_one
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_it_sends_the_letter_with_the_right_headers(smtp_server):
    target = TargetFactory(office="Foreign Secretary", holder="Jane Minister")
    action = ActionFactory(
        campaign=CampaignFactory(targets=[target]),
        first_name="Ada",
        last_name="Lovelace",
        email="ada@people.example",
        body="Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely",
    )
    delivery = DeliveryFactory(action=action, target=target)

    call_command("worker", "--until-idle")

    [message] = smtp_server.messages
    [sender] = message["From"].addresses
    assert sender.display_name == f"Ada Lovelace via {settings.ORG_NAME}"
    assert sender.addr_spec == "letters@rights.example"
    assert message["Reply-To"] == "Ada Lovelace <ada@people.example>"
    assert message["To"] == f"Foreign Secretary Jane Minister <{target.email}>"
    assert message["Message-ID"] == delivery.message_id
    assert message["Subject"] == action.subject
    body = message.get_content().replace("\r\n", "\n")
    assert "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely\n\nAda Lovelace\n" in body
    assert "1 High Street\nLeeds\nLS1 1AA\nUnited Kingdom" in body
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.sent_at is not None
    assert delivery.attempts == 1


def test_it_never_sends_a_letter_twice(smtp_server):
    DeliveryFactory()

    call_command("worker", "--until-idle")
    call_command("worker", "--until-idle")

    assert len(smtp_server.messages) == 1


def test_it_fails_a_delivery_at_once_on_a_permanent_refusal(smtp_server):
    smtp_server.rcpt_reply = "550 5.1.1 No such mailbox"
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "550 5.1.1 No such mailbox"
    assert smtp_server.messages == []


def test_it_records_when_a_letter_refused_for_good_was_tried(smtp_server):
    smtp_server.rcpt_reply = "550 5.1.1 No such mailbox"
    delivery = DeliveryFactory()
    before = timezone.now()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert before <= delivery.first_attempt_at <= timezone.now()


def test_it_retries_later_on_a_temporary_refusal(smtp_server):
    smtp_server.data_reply = "451 4.3.0 Try again later"
    delivery = DeliveryFactory()
    before = timezone.now()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == "451 4.3.0 Try again later"
    assert delivery.next_attempt_at >= before + timedelta(minutes=1)
    assert delivery.leased_until is None


def test_it_retries_later_when_the_mail_server_is_down():
    delivery = DeliveryFactory()

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=2,
    ):
        call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()


def test_it_gives_up_when_a_letter_has_not_gone_for_five_days(smtp_server):
    smtp_server.data_reply = "421 4.7.0 Too busy"
    delivery = DeliveryFactory(attempts=30, first_attempt_at=timezone.now() - timedelta(days=5))

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "421 4.7.0 Too busy"
    assert OutboundEmail.objects.get().kind == "letter_failed"


def test_one_bad_letter_does_not_stop_the_others(smtp_server):
    bad = DeliveryFactory(action=ActionFactory(subject="Hello\r\nBcc: victim@example.com"))
    good = DeliveryFactory()

    call_command("worker", "--until-idle")

    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Delivery.Status.FAILED
    assert good.status == Delivery.Status.SENT
    assert good.message_id in [m["Message-ID"] for m in smtp_server.messages]
    assert all(m["Bcc"] is None for m in smtp_server.messages)
    assert all("victim@example.com" not in m["To"] for m in smtp_server.messages)


def test_a_delivery_can_be_claimed_only_once():
    delivery = DeliveryFactory()

    assert claim_one(Delivery.objects.all(), delivery.pk) is True
    assert claim_one(Delivery.objects.all(), delivery.pk) is False


def test_a_delivery_whose_worker_died_is_claimed_again(smtp_server):
    delivery = DeliveryFactory(
        status=Delivery.Status.SENDING,
        attempts=1,
        leased_until=timezone.now() - timedelta(seconds=1),
    )

    assert deliver_due() == 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2


def test_it_leaves_a_delivery_alone_while_another_worker_holds_it(smtp_server):
    DeliveryFactory(
        status=Delivery.Status.SENDING, leased_until=timezone.now() + timedelta(minutes=5)
    )

    assert deliver_due() == 0
    assert smtp_server.messages == []


def test_it_waits_until_a_retry_is_due(smtp_server):
    DeliveryFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert deliver_due() == 0


def due_now():
    """Skip the wait before a retry, and the target's pacing gap."""
    Delivery.objects.update(next_attempt_at=timezone.now())
    Target.objects.update(next_send_at=None)


def test_a_letter_refused_for_now_arrives_once_after_a_retry(smtp_server):
    smtp_server.data_replies = ["421 4.7.0 Try again later"]
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")
    due_now()
    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    assert [m["Message-ID"] for m in smtp_server.messages] == [delivery.message_id]


def test_a_letter_refused_for_good_fails_and_the_supporter_is_told(smtp_server):
    delivery = DeliveryFactory(action=ActionFactory(email="ada@people.example"))
    smtp_server.refuse[delivery.target.email] = "550 5.1.1 No such mailbox"

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    [notice] = smtp_server.messages
    assert notice["To"] == "ada@people.example"
    assert notice["Subject"] == (
        f"[{delivery.action.campaign.reference}] "
        f"We could not deliver your letter to {delivery.target.display_name}"
    )
    assert "Please act now." in notice.get_body(("plain",)).get_content()
    assert "King Charles Street" in notice.get_body(("html",)).get_content()
    # The letter is stored once, on the letter: the notice quotes it when it is sent, and
    # keeps only its subject.
    stored = OutboundEmail.objects.get(kind="letter_failed")
    assert (stored.delivery, stored.text, stored.html) == (delivery, "", "")
    assert stored.subject == notice["Subject"]
    delivery.target.refresh_from_db()
    assert delivery.target.hard_failures == 1


def test_a_dropped_connection_is_retried(smtp_server):
    smtp_server.drops = 1
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert "SMTPServerDisconnected" in delivery.last_error

    due_now()
    call_command("worker", "--until-idle")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_a_target_is_flagged_after_repeated_hard_failures(smtp_server, settings):
    settings.TARGET_FLAG_AFTER_FAILURES = 2
    smtp_server.rcpt_reply = "550 5.1.1 No such mailbox"
    first = DeliveryFactory(
        action=ActionFactory(campaign=CampaignFactory(targets=[TargetFactory(hourly_cap=None)]))
    )
    target = first.target
    DeliveryFactory(action=ActionFactory(campaign=first.action.campaign), target=target)

    call_command("worker", "--until-idle")
    call_command("worker", "--until-idle")

    target.refresh_from_db()
    assert target.hard_failures == 2
    assert target.flagged_at is not None
    assert target.last_failure == "550 5.1.1 No such mailbox"


def test_a_letter_that_gets_through_clears_the_targets_failures(smtp_server):
    delivery = DeliveryFactory(target=TargetFactory(hard_failures=2))

    call_command("worker", "--until-idle")

    delivery.target.refresh_from_db()
    assert delivery.target.hard_failures == 0


def test_a_failure_earlier_in_the_batch_is_cleared_by_a_letter_that_gets_through(smtp_server):
    target = TargetFactory(hourly_cap=None)
    campaign = CampaignFactory(targets=[target])
    for _ in range(2):
        DeliveryFactory(action=ActionFactory(campaign=campaign), target=target)
    smtp_server.data_replies = ["550 5.1.1 Mailbox unavailable"]

    assert deliver_due() == 2

    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == [Delivery.Status.FAILED, Delivery.Status.SENT]
    target.refresh_from_db()
    assert target.hard_failures == 0


def test_letters_bounce_to_their_own_address(smtp_server):
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")

    [(mail_from, recipients)] = smtp_server.envelopes
    assert mail_from == f"bounces+{delivery.bounce_token}@rights.example"
    assert recipients == [delivery.target.email]


def test_an_internationalised_address_reaches_the_headers(smtp_server):
    action = ActionFactory(first_name="김", last_name="민준", email="kim@bücher.example")
    DeliveryFactory(action=action)

    call_command("worker", "--until-idle")

    [letter] = smtp_server.messages
    [reply_to] = letter["Reply-To"].addresses
    assert reply_to.display_name == "김 민준"
    assert reply_to.domain in ("xn--bcher-kva.example", "bücher.example")


def test_a_line_break_in_the_subject_never_becomes_a_header(smtp_server):
    DeliveryFactory(action=ActionFactory(subject="Hello\r\nBcc: victim@example.com"))

    call_command("worker", "--until-idle")

    assert all(m["Bcc"] is None for m in smtp_server.messages)
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_a_letter_waiting_long_for_its_turn_still_gets_five_days_of_retries(smtp_server):
    smtp_server.data_replies = ["451 4.7.1 Greylisted"]
    delivery = DeliveryFactory(created_at=timezone.now() - timedelta(days=6))

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.first_attempt_at is not None


def test_our_own_mail_server_refusing_us_keeps_every_letter(smtp_server):
    smtp_server.mail_reply = "530 5.7.0 Authentication required"
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error.startswith("530")
    delivery.target.refresh_from_db()
    assert (delivery.target.hard_failures, delivery.target.flagged_at) == (0, None)
    assert not OutboundEmail.objects.exists()


def claimed(delivery: Delivery, *, lease_left: timedelta) -> Delivery:
    claim_one(Delivery.objects.all(), delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(leased_until=timezone.now() + lease_left)
    return Delivery.objects.get(pk=delivery.pk)


def test_a_row_another_worker_took_over_is_not_sent(smtp_server):
    delivery = DeliveryFactory()
    # This worker stalled until its lease ran out...
    mine = claimed(delivery, lease_left=-timedelta(seconds=1))
    # ...and another worker claimed the row meanwhile.
    Delivery.objects.filter(pk=delivery.pk).update(leased_until=timezone.now() + timedelta(hours=1))

    outbox.send(mine, build=build_message, connection=get_connection(), on_failure=print)

    assert smtp_server.messages == []


def test_the_lease_is_renewed_just_before_sending(smtp_server):
    mine = claimed(DeliveryFactory(), lease_left=timedelta(seconds=10))
    before = mine.leased_until
    leases = []

    class Observed(SMTPBackend):
        def open(self):
            # Just before talking to the server: the lease in the database was renewed.
            leases.append(Delivery.objects.get(pk=mine.pk).leased_until)
            return super().open()

    outbox.send(mine, build=build_message, connection=Observed(), on_failure=print)

    assert len(smtp_server.messages) == 1
    assert leases[0] > before + timedelta(seconds=60)
    mine.refresh_from_db()
    assert (mine.status, mine.leased_until) == (Delivery.Status.SENT, None)


def test_a_claim_with_most_of_its_lease_left_is_found_by_one_read_that_writes_nothing(
    settings, django_assert_num_queries
):
    settings.DELIVERY_LEASE_SECONDS = 300
    mine = claimed(DeliveryFactory(), lease_left=timedelta(seconds=200))

    with django_assert_num_queries(1) as captured:
        assert outbox.still_claimed(mine)

    assert captured.captured_queries[0]["sql"].startswith("SELECT")
    assert Delivery.objects.get(pk=mine.pk).leased_until == mine.leased_until


def test_a_row_taken_over_while_our_lease_looked_fresh_is_not_sent(smtp_server):
    mine = claimed(DeliveryFactory(), lease_left=timedelta(seconds=200))
    # Our clock and the other worker's disagree: it took the row over all the same.
    Delivery.objects.filter(pk=mine.pk).update(leased_until=timezone.now() + timedelta(hours=1))

    outbox.send(mine, build=build_message, connection=get_connection(), on_failure=print)

    assert smtp_server.messages == []
    assert Delivery.objects.get(pk=mine.pk).status == Delivery.Status.SENDING


def test_an_outcome_is_recorded_only_while_the_row_is_still_ours():
    mine = claimed(DeliveryFactory(), lease_left=timedelta(seconds=200))
    theirs = timezone.now() + timedelta(hours=1)
    Delivery.objects.filter(pk=mine.pk).update(leased_until=theirs)

    assert not outbox.mark_sent(mine)
    taken = Delivery.objects.get(pk=mine.pk)
    assert (taken.status, taken.leased_until, taken.sent_at) == ("sending", theirs, None)

    Delivery.objects.filter(pk=mine.pk).update(leased_until=mine.leased_until)
    assert outbox.mark_failed(mine, "550 No such mailbox")
    mine.refresh_from_db()
    assert (mine.status, mine.leased_until, mine.last_error) == (
        "failed",
        None,
        "550 No such mailbox",
    )
    assert mine.first_attempt_at is not None


def test_without_smtp_the_letter_goes_from_its_from_address(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    delivery = DeliveryFactory()

    message = build_message(delivery)

    assert message.from_email == message.extra_headers["From"]
    assert message.metadata == {"bounce_token": delivery.bounce_token}


def test_a_batch_of_letters_goes_over_one_connection(smtp_server):
    for _ in range(3):
        DeliveryFactory()

    call_command("worker", "--until-idle")

    assert len(smtp_server.messages) == 3
    assert smtp_server.sessions == 1
