import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from urgentaction.actions.confirmation import expire_unconfirmed, send_reminders
from urgentaction.actions.delivery import deliver_due
from urgentaction.actions.digests import schedule_digests, send_due_digests
from urgentaction.actions.review import escalate_overdue
from urgentaction.letters.documents import remove_old_bundles
from urgentaction.letters.tasks import requeue_forgotten_bundles
from urgentaction.lib.pow import forget_spent_proofs
from urgentaction.lib.ratelimit import forget_old_counts
from urgentaction.mailings.emails import send_due_emails
from urgentaction.mailings.tasks import requeue_forgotten_updates
from urgentaction.supporters.retention import apply_retention

HOUSEKEEPING_INTERVAL = 60.0


class Command(BaseCommand):
    help = (
        "Send letters and emails from the outbox, and once a minute remind, expire, "
        "gather digests and queue again any lost job, until stopped."
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
        housekeeping_due = 0.0
        while self.running:
            if not connection.in_atomic_block:
                # Drop a connection the database closed while we slept (never inside a
                # transaction, as when a test calls the command).
                close_old_connections()
            if time.monotonic() >= housekeeping_due:
                self.housekeeping()
                housekeeping_due = time.monotonic() + HOUSEKEEPING_INTERVAL
            tried = 0
            for send_due in (deliver_due, send_due_emails, send_due_digests):
                if self.running:
                    tried += send_due(stop=self.stopping)
            if tried:
                self.stdout.write(f"Tried {tried} deliveries.", ending="\n")
                continue
            if until_idle:
                break
            time.sleep(interval)

    def housekeeping(self) -> None:
        send_reminders()
        expire_unconfirmed()
        schedule_digests()
        remove_old_bundles()
        apply_retention()
        escalate_overdue()
        forget_old_counts()
        forget_spent_proofs()
        if not settings.REDIS_URL:
            # Results of finished jobs kept by the database backend (RQ expires its own).
            call_command("prune_db_task_results", min_age_days=7, verbosity=0)
        # Bundles and updates are jobs (run_tasks); a job lost on the way is queued again.
        requeue_forgotten_bundles()
        requeue_forgotten_updates()

    def stopping(self) -> bool:
        return not self.running

    def stop(self, signum: int, frame: object) -> None:
        # Finish the letter in hand, then leave: a half-sent letter would wait for its
        # lease to expire before another worker could retry it.
        self.running = False
