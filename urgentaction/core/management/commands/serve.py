import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from urgentaction.core.processes import supervise


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

    def handle(self, *args, web_workers: int, **options) -> None:
        port = settings.PORT
        commands = {
            "gunicorn": gunicorn_command(bind=f"127.0.0.1:{port}", workers=web_workers),
            "worker": [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker"],
            "jobs": [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_tasks"],
        }
        self.stdout.write(f"Serving on http://127.0.0.1:{port}/ with {web_workers} web workers.")
        supervise(commands, os.environ.copy())
