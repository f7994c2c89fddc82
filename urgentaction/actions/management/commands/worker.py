import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.digests import send_due_digests
from urgentaction.core import housekeeping
from urgentaction.core.housekeeping import Housekeeper
from urgentaction.mailings.emails import send_due_emails

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send letters and emails from the outbox, and between sends run each app's "
        "housekeeping jobs (remind, expire, gather digests, prune, queue again any lost "
        "job), until stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Exit once nothing is due (for scripts and tests).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between polls when nothing is due (default 1).",
        )

    def handle(self, *args, until_idle: bool, interval: float, **options) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        if not until_idle:
            self.stdout.write("Worker started; waiting for letters to deliver.")
        housekeeper = Housekeeper(housekeeping.registered())
        while self.running:
            if not connection.in_atomic_block:
                # Drop a connection the database closed while we slept (never inside a
                # transaction, as when a test calls the command).
                close_old_connections()
            # Letters first: housekeeping that fails must never hold them up.
            tried = self.send_due()
            ran = housekeeper.run_due(stop=self.stopping)
            if tried:
                self.stdout.write(f"Tried {tried} deliveries.", ending="\n")
                continue
            if ran:
                # Housekeeping may have made work (a digest, a reminder): send it now.
                continue
            if until_idle:
                break
            time.sleep(interval)

    def send_due(self) -> int:
        tried = 0
        for send_due in (deliver_due, send_due_emails, send_due_digests):
            if not self.running:
                break
            try:
                tried += send_due(stop=self.stopping)
            except Exception:
                # A database briefly out of reach: the rows stay due (or leased), and
                # the next round tries again.
                logger.exception("%s failed; trying again next round", send_due.__name__)
        return tried

    def stopping(self) -> bool:
        return not self.running

    def stop(self, signum: int, frame: object) -> None:
        # Finish the letter in hand, then leave: a half-sent letter would wait for its
        # lease to expire before another worker could retry it.
        self.running = False
