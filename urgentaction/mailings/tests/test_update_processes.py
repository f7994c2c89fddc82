"""A campaign update to thousands, sent by real worker processes on the test database
through a real SMTP server, with the worker killed midway."""

import re
import signal
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions.tests import test_worker_processes as processes
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import RecordingHandler
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.tasks import start_sending
from urgentaction.supporters.links import supporter_to_unsubscribe
from urgentaction.supporters.models import Consent, ConsentText, Supporter

# Real worker processes on the test database, sending through a real SMTP server: the
# data is committed so that they see it.
mail_server = processes.mail_server
start_worker = processes.start_worker
pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIBERS = 2000
SITE_URL = "https://action.rights.example"


def subscribers(count: int) -> list[Supporter]:
    """``count`` people with a confirmed consent to updates, made in a few queries."""
    wording = ConsentText.objects.create(wording="Email me news.", details="Twice a month.")
    emails = [f"reader{n}@people.example" for n in range(count)]
    people = Supporter.objects.bulk_create(
        Supporter(email=email, email_hash=email_hash(email), first_name=f"Reader {n}")
        for n, email in enumerate(emails)
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            supporter=supporter,
            email_hash=supporter.email_hash,
            text=wording,
            method=Consent.Method.SIGNUP_FORM,
            confirmed_at=now,
        )
        for supporter in people
    )
    return people


@dataclass
class StallingAt(processes.StallingHandler):
    """A mail server that answers at once, except for message number ``at``: that one it
    takes (and records), then keeps the sender waiting for its reply."""

    at: int = 500

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) + 1 == self.at:
            return await super().handle_DATA(server, session, envelope)
        return await RecordingHandler.handle_DATA(self, server, session, envelope)


@pytest.mark.slow
def test_an_update_to_2000_subscribers_arrives_once_each_even_if_the_worker_is_killed(
    mail_server, start_worker, settings
):
    server = StallingAt(at=500)
    port = mail_server(server)
    people = subscribers(SUBSCRIBERS)
    assert Supporter.objects.subscribed().count() == SUBSCRIBERS
    update = Update.objects.create(
        campaign=CampaignFactory(), subject="They are free", body="Thank you for **writing**."
    )
    assert start_sending(update)
    # The job starting to send it, from the database or Redis (RQ), queues every email,
    # here with no pacing.
    settings.UPDATE_EMAILS_PER_MINUTE = 1000000
    settings.SITE_URL = SITE_URL
    call_command("run_tasks", "--until-idle", verbosity=0)
    assert OutboundEmail.objects.filter(update=update).count() == SUBSCRIBERS

    worker = start_worker(port)
    assert server.received.wait(timeout=45), worker.output()

    # The server has the 500th message and has not answered: the worker dies before it
    # can know the message went.
    worker.process.kill()
    assert worker.finish() == -signal.SIGKILL, worker.output()
    server.release.set()
    in_hand = server.messages[-1]
    assert len(server.messages) == 500
    statuses = Counter(OutboundEmail.objects.filter(update=update).values_list("status", flat=True))
    # Every message the server answered was recorded as sent; the one in hand and the
    # rest of its claim batch (at most 50) are still leased to the dead worker.
    assert statuses[OutboxStatus.SENT] == 499
    assert 1 <= statuses[OutboxStatus.SENDING] <= 50
    assert OutboundEmail.objects.get(message_id=in_hand["Message-ID"]).status == "sending"
    # What time would do: the dead worker's leases run out.
    OutboundEmail.objects.filter(update=update, status=OutboxStatus.SENDING).update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    retry = start_worker(port, "--until-idle")
    assert retry.finish(timeout=60) == 0, retry.output()

    stored = dict(OutboundEmail.objects.filter(update=update).values_list("to", "message_id"))
    assert len(stored) == SUBSCRIBERS
    copies = Counter(message["To"] for message in server.messages)
    assert set(copies) == {person.email for person in people}
    # At least once: only the message in hand when the worker died comes twice (the
    # rest of its batch, still leased to it, was never tried, and is sent once).
    assert [to for to, count in copies.items() if count > 1] == [in_hand["To"]]
    assert copies[in_hand["To"]] == 2
    assert len(server.messages) == SUBSCRIBERS + 1
    # Both copies of the repeat are the same message, as the stored row has it, so the
    # reader's mail program can show it once.
    assert all(message["Message-ID"] == stored[message["To"]] for message in server.messages)

    by_email = {person.email: person for person in people}
    for message in server.messages:
        unsubscribe = message["List-Unsubscribe"]
        # One click by HTTPS POST, or by email, each naming the reader it was sent to.
        link = re.search(rf"<{re.escape(SITE_URL)}/[^>]*/([^/>]+)/>", unsubscribe)
        mailto = re.search(r"<mailto:unsubscribe@rights\.example\?subject=([^>]+)>", unsubscribe)
        assert link and mailto, unsubscribe
        assert supporter_to_unsubscribe(link[1]) == by_email[message["To"]]
        assert unquote(mailto[1]) == f"unsubscribe {link[1]}"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == "Test Rights Network updates <updates.rights.example>"

    statuses = Counter(OutboundEmail.objects.filter(update=update).values_list("status", flat=True))
    assert statuses == {OutboxStatus.SENT: SUBSCRIBERS}
    update.refresh_from_db()
    assert (update.status, update.recipients) == (Update.Status.SENT, SUBSCRIBERS)
