import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from urgentaction.core.processes import supervise

DEMO_SMTP_ADDRESS = "127.0.0.1:1025"


class Command(BaseCommand):
    help = (
        "Run the site, its delivery worker and its job runner together. Unless EMAIL_URL is "
        "set, also run a local mail server that keeps every message in the mail folder of "
        "DATA_DIR."
    )

    def handle(self, *args, **options) -> None:
        port = settings.PORT
        env = os.environ.copy()
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {}
        if not env.get("EMAIL_URL"):
            mail_dir = settings.DATA_DIR / "mail"
            for maildir_folder in ("tmp", "new", "cur"):
                (mail_dir / maildir_folder).mkdir(parents=True, exist_ok=True)
            env["EMAIL_URL"] = f"smtp://{DEMO_SMTP_ADDRESS}"
            mail_server = ["-m", "aiosmtpd", "-n", "-l", DEMO_SMTP_ADDRESS]
            commands["aiosmtpd"] = [
                sys.executable,
                *mail_server,
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(mail_dir),
            ]
            self.stdout.write(
                f"Mail server on {DEMO_SMTP_ADDRESS}: every letter the worker sends is kept "
                f"as a file in {mail_dir / 'new'}"
            )
        commands["worker"] = [*manage, "worker"]
        commands["jobs"] = [*manage, "run_tasks"]
        commands["runserver"] = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]
        self.stdout.write(f"Open http://127.0.0.1:{port}/ (admin: http://127.0.0.1:{port}/admin/)")
        supervise(
            commands, env, hint="If port 1025 or the site's port is taken, set EMAIL_URL or PORT."
        )
