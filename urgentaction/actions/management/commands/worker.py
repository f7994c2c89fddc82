import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.digests import send_due_digests
from urgentaction.core import housekeeping
from urgentaction.core.housekeeping import Housekeeper
from urgentaction.mailings.emails import send_due_emails

logger = logging.getLogger(__name__)
PRINTED_OR_FILED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def refuse_mail_that_stays_here() -> None:
    """With DEBUG off the worker refuses the console and file email backends: it would
    print each letter or write it to a file, and mark it sent. The in-memory backend
    (``locmem:``) is let through: the tests call this command in their own process and read
    what it sent there; outside them nobody can, and ``check --deploy`` refuses it too."""
    if not settings.DEBUG and settings.EMAIL_BACKEND in PRINTED_OR_FILED:
        raise CommandError(
            f"EMAIL_URL sends no mail (EMAIL_BACKEND is {settings.EMAIL_BACKEND}): letters "
            "would be marked sent without reaching anyone. Set EMAIL_URL to a mail server "
            "or provider, or DEBUG=1 to try the site out."
        )


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
        refuse_mail_that_stays_here()
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
