import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from urgentaction.core.processes import LOCAL_SMTP_ADDRESS, local_mail_server, supervise


def gunicorn_command(*, bind: str, workers: int = 1) -> list[str]:
    """gunicorn as this command runs it, with the project's settings (gunicorn.conf.py)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "urgentaction.wsgi",
        f"--workers={workers}",
        f"--bind={bind}",
        f"--config={settings.BASE_DIR / 'gunicorn.conf.py'}",
    ]


class Command(BaseCommand):
    help = (
        "Run the production stack on this machine: gunicorn (static files by WhiteNoise) "
        "the worker and the job runner, on 127.0.0.1:PORT. Put a TLS proxy in front for "
        "real use."
    )

    def add_arguments(self, parser) -> None:
        cores = os.cpu_count() or 1
        parser.add_argument(
            "--web-workers",
            type=int,
            default=2 * cores + 1,
            help="gunicorn worker processes (default: 2 per core, plus one).",
        )
        parser.add_argument(
            "--local-mail",
            action="store_true",
            help="Send all email to a mail server run on this machine, which keeps every "
            "message as a file in the mail folder of DATA_DIR and delivers none (instead of "
            "EMAIL_URL; for trying the site out, as make serve does when EMAIL_URL is unset).",
        )

    def handle(self, *args, web_workers: int, local_mail: bool, **options) -> None:
        port = settings.PORT
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        env = os.environ.copy()
        commands = {}
        if local_mail:
            mail_dir = settings.DATA_DIR / "mail"
            env["EMAIL_URL"] = f"smtp://{LOCAL_SMTP_ADDRESS}"
            commands["aiosmtpd"] = local_mail_server(mail_dir)
            self.stdout.write(
                f"Mail server on {LOCAL_SMTP_ADDRESS}: no email leaves this machine; every "
                f"message is kept as a file in {mail_dir / 'new'}"
            )
        commands["gunicorn"] = gunicorn_command(bind=f"127.0.0.1:{port}", workers=web_workers)
        commands["worker"] = [*manage, "worker"]
        commands["jobs"] = [*manage, "run_tasks"]
        self.stdout.write(f"Serving on http://127.0.0.1:{port}/ with {web_workers} web workers.")
        supervise(commands, env)
