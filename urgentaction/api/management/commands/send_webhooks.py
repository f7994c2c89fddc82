import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from urgentaction.api.webhooks.delivery import Sender

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send due webhooks to partners' systems until stopped (SIGTERM lets the requests "
        "in flight end). It runs apart from the worker, so that a slow or failing "
        "endpoint never holds up a letter."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Exit once nothing is due or in flight (for scripts and tests).",
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
            self.stdout.write("Sending webhooks.")
        sender = Sender()
        try:
            while self.running:
                if not connection.in_atomic_block:
                    # Drop a connection the database closed while we waited (never
                    # inside a transaction, as when a test calls the command).
                    close_old_connections()
                try:
                    started = sender.start_due(stop=self.stopping)
                except Exception:
                    # A database briefly out of reach: the rows stay due (or leased),
                    # and the next round tries again.
                    logger.exception("Claiming webhooks failed; trying again next round")
                    started = 0
                if sender.busy:
                    # New messages of other endpoints wait at most this long.
                    sender.settle_done(timeout=interval)
                elif not started:
                    if until_idle:
                        break
                    time.sleep(interval)
        finally:
            sender.finish()

    def stopping(self) -> bool:
        return not self.running

    def stop(self, signum: int, frame: object) -> None:
        self.running = False
