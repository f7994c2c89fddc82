"""The worker as it runs in production: separate processes sharing one database and one
mail server. The data is committed (``transactional_db``) so that the workers see it."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from urgentaction.actions.models import Action, ConfirmationLink, Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, valid_data
from urgentaction.campaigns.models import Channel
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import RecordingHandler, free_port
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter

# How long a stalled server keeps a letter when the test never lets go: only a backstop,
# so that a failing test ends rather than hangs.
HOLD_LIMIT = 60.0


@dataclass
class StallingHandler(RecordingHandler):
    """A mail server that stalls mid-conversation: it takes each letter (and records it),
    then keeps the sender waiting for its reply until the test sets ``release``."""

    received: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    answered: int = 0

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        self.received.set()
        deadline = time.monotonic() + HOLD_LIMIT
        while not self.release.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        self.answered += 1
        return reply


@dataclass
class UnansweredHandler(StallingHandler):
    """A mail server that keeps the sender of its first message waiting, without taking
    it, until the test sets ``release``; then refuses it. It takes every later one."""

    async def handle_DATA(self, server, session, envelope):
        if self.received.is_set():
            return await RecordingHandler.handle_DATA(self, server, session, envelope)
        self.received.set()
        deadline = time.monotonic() + HOLD_LIMIT
        while not self.release.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return "451 Not taken"


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def finish(self, timeout: float = 60) -> int:
        """Wait for the worker to exit; its return code."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"The worker was still running after {timeout} s:\n{self.output()}")


def database_url() -> str:
    """The test database, as a URL the settings of a worker process can read."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'], safe='')}"
    raise AssertionError(f"No database URL for {connection.vendor} databases.")


def smtp_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 5,
    }


@pytest.fixture
def mail_server():
    """Starts real SMTP servers on free local ports: ``mail_server(handler)`` is the port."""
    controllers = []

    def serve(handler: RecordingHandler) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return port

    yield serve
    for controller in controllers:
        if isinstance(controller.handler, StallingHandler):
            controller.handler.release.set()
        controller.stop()


@pytest.fixture
def start_worker(transactional_db, mail_server, tmp_path):
    """Starts ``manage.py worker`` processes on the test database, sending through the
    SMTP server on ``port``; any still running at the end are killed."""
    started: list[Worker] = []

    def start(port: int, *args: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "urgentaction.testenv",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        }
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "worker", *args],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait(timeout=30)


def pending_letters(count: int, *, targets: int) -> list[str]:
    """``count`` letters due now, spread evenly over uncapped targets; their Message-IDs."""
    assert count % targets == 0
    chosen = [TargetFactory(hourly_cap=None) for _ in range(targets)]
    campaign = CampaignFactory(targets=chosen)
    emails = [f"writer{n}@people.example" for n in range(count // targets)]
    supporters = Supporter.objects.bulk_create(
        Supporter(
            email=email,
            email_hash=email_hash(email),
            first_name="Ada",
            last_name=f"Writer {n}",
            address_line1="1 High Street",
            town="Leeds",
            postcode="LS1 1AA",
            country="United Kingdom",
        )
        for n, email in enumerate(emails)
    )
    now = timezone.now()
    actions = Action.objects.bulk_create(
        Action(
            campaign=campaign,
            supporter=supporter,
            form_token=uuid.uuid4(),
            channel=Channel.EMAIL,
            subject="Please stop the deportation",
            body="Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely",
            first_name=supporter.first_name,
            last_name=supporter.last_name,
            email=supporter.email,
            address_line1=supporter.address_line1,
            town=supporter.town,
            postcode=supporter.postcode,
            country=supporter.country,
            confirmed_at=now,
        )
        for supporter in supporters
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            action=action,
            target=target,
            message_id=Delivery.new_message_id("letters@rights.example"),
        )
        for action in actions
        for target in chosen
    )
    return [delivery.message_id for delivery in deliveries]


@pytest.mark.slow
def test_four_workers_deliver_every_letter_exactly_once(mail_server, start_worker):
    server = RecordingHandler()
    port = mail_server(server)
    stored = pending_letters(1000, targets=4)

    workers = [start_worker(port, "--until-idle") for _ in range(4)]

    for worker in workers:
        assert worker.finish(timeout=120) == 0, worker.output()
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {Delivery.Status.SENT: 1000}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    assert len(server.messages) == 1000
    assert Counter(message["Message-ID"] for message in server.messages) == Counter(stored)


def test_a_killed_worker_loses_no_letter_and_repeats_at_most_one(mail_server, start_worker):
    server = StallingHandler()
    port = mail_server(server)
    target = TargetFactory(hourly_cap=None)
    campaign = CampaignFactory(targets=[target])
    letters = [
        DeliveryFactory(action=ActionFactory(campaign=campaign), target=target) for _ in range(3)
    ]
    worker = start_worker(port)
    assert server.received.wait(timeout=HOLD_LIMIT), worker.output()

    # The server has the first letter and has not answered: the worker dies before it
    # can know the letter went.
    worker.process.kill()
    assert worker.finish() == -signal.SIGKILL
    server.release.set()
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENDING}
    # What time would do: the dead worker's leases run out.
    Delivery.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    retry = start_worker(port, "--until-idle")

    assert retry.finish() == 0, retry.output()
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    received = Counter(message["Message-ID"] for message in server.messages)
    assert set(received) == {letter.message_id for letter in letters}
    assert all(1 <= copies <= 2 for copies in received.values())
    assert received.total() <= len(letters) + 1
    # The repeat is the letter the server had when the worker died.
    assert received[server.messages[0]["Message-ID"]] == 2


def test_a_confirmation_rendered_by_a_killed_worker_arrives_once_with_a_working_link(
    client, mail_server, start_worker
):
    server = UnansweredHandler()
    port = mail_server(server)
    campaign = CampaignFactory(requires_confirmation=True)
    assert client.post(campaign.get_absolute_url(), valid_data()).status_code == 302
    email = OutboundEmail.objects.get(kind="confirm_letter")
    # Stored with the letter, to be rendered by the worker: no words, no link yet.
    assert (email.subject, email.text, email.html) == ("", "", "")
    assert not ConfirmationLink.objects.exists()
    worker = start_worker(port)
    assert server.received.wait(timeout=HOLD_LIMIT), worker.output()

    # The worker rendered the email and made its link, and dies before the server took it.
    worker.process.kill()
    assert worker.finish() == -signal.SIGKILL
    server.release.set()
    assert OutboundEmail.objects.get().status == OutboxStatus.SENDING
    # What time would do: the dead worker's lease runs out.
    OutboundEmail.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    retry = start_worker(port, "--until-idle")

    assert retry.finish() == 0, retry.output()
    assert OutboundEmail.objects.get().status == OutboxStatus.SENT
    assert len(server.messages) == 1
    text = server.messages[0].get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:8000(/confirm/[^/\s]+/)", text).group(1)
    assert client.post(link).status_code == 302
    assert Action.objects.get().confirmed_at is not None
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_a_stalled_mail_server_does_not_slow_submissions(client, mail_server, start_worker):
    server = StallingHandler()
    port = mail_server(server)
    target = TargetFactory(hourly_cap=None)
    campaign = CampaignFactory(targets=[target], requires_confirmation=False)
    in_hand = DeliveryFactory(action=ActionFactory(campaign=campaign), target=target)
    worker = start_worker(port)
    assert server.received.wait(timeout=HOLD_LIMIT), worker.output()
    emails = [f"writer{n}@people.example" for n in range(20)]

    # Anything the site itself sent while taking an action would meet the stalled server too.
    with override_settings(**smtp_settings(port)):
        responses = [
            client.post(campaign.get_absolute_url(), valid_data(email=email)) for email in emails
        ]

    assert [response.status_code for response in responses] == [302] * len(emails)
    hashes = [email_hash(email) for email in emails]
    assert Action.objects.filter(campaign=campaign, supporter__email_hash__in=hashes).count() == 20
    letters = Delivery.objects.filter(action__supporter__email_hash__in=hashes)
    # Every letter was taken while the server had yet to answer the worker's first one.
    assert server.answered == 0
    assert list(letters.values_list("status", flat=True)) == [Delivery.Status.PENDING] * 20

    worker.process.send_signal(signal.SIGTERM)
    server.release.set()

    assert worker.finish(timeout=30) == 0, worker.output()
    in_hand.refresh_from_db()
    assert in_hand.status == Delivery.Status.SENT
    # It finished the letter in hand and left the rest to the next worker, unclaimed.
    assert set(letters.values_list("status", flat=True)) == {Delivery.Status.PENDING}


def test_a_stopped_worker_finishes_the_letter_in_hand_and_hands_back_the_rest(
    mail_server, start_worker
):
    server = StallingHandler()
    port = mail_server(server)
    target = TargetFactory(hourly_cap=None)
    campaign = CampaignFactory(targets=[target])
    for _ in range(5):
        DeliveryFactory(action=ActionFactory(campaign=campaign), target=target)
    worker = start_worker(port)
    assert server.received.wait(timeout=HOLD_LIMIT), worker.output()
    # All five were claimed in one batch; the server holds the first.
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 5

    worker.process.send_signal(signal.SIGTERM)
    server.release.set()

    assert worker.finish(timeout=30) == 0, worker.output()
    assert len(server.messages) == 1
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {Delivery.Status.SENT: 1, Delivery.Status.PENDING: 4}
    waiting = Delivery.objects.filter(status=Delivery.Status.PENDING)
    assert set(waiting.values_list("attempts", flat=True)) == {0}
    assert set(waiting.values_list("leased_until", flat=True)) == {None}
