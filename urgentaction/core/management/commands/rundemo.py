import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from urgentaction.core.processes import LOCAL_SMTP_ADDRESS, local_mail_server, supervise


class Command(BaseCommand):
    help = (
        "Run the site, its delivery worker, its webhook sender and its job runner together. "
        "Unless EMAIL_URL is set, also run a local mail server that keeps every message in "
        "the mail folder of DATA_DIR."
    )

    def handle(self, *args, **options) -> None:
        port = settings.PORT
        env = os.environ.copy()
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {}
        if not env.get("EMAIL_URL"):
            mail_dir = settings.DATA_DIR / "mail"
            env["EMAIL_URL"] = f"smtp://{LOCAL_SMTP_ADDRESS}"
            commands["aiosmtpd"] = local_mail_server(mail_dir)
            self.stdout.write(
                f"Mail server on {LOCAL_SMTP_ADDRESS}: every letter the worker sends is kept "
                f"as a file in {mail_dir / 'new'}"
            )
        commands["worker"] = [*manage, "worker"]
        commands["webhooks"] = [*manage, "send_webhooks"]
        commands["jobs"] = [*manage, "run_tasks"]
        commands["runserver"] = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]
        self.stdout.write(f"Open http://127.0.0.1:{port}/ (admin: http://127.0.0.1:{port}/admin/)")
        supervise(
            commands, env, hint="If port 1025 or the site's port is taken, set EMAIL_URL or PORT."
        )
