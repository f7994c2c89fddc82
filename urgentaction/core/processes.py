"""Running several processes as one (`make demo`, `make serve`).

A child that stops on its own is started again after a back-off, so that one crash of
the worker never stops the site. A child that cannot even come up (it stops within
seconds, again and again: a port taken, a bad setting) stops them all with a message
naming it. Ctrl-C or SIGTERM stops them all quietly.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

LOCAL_SMTP_ADDRESS = "127.0.0.1:1025"
# A child that stops sooner than this after it started did not come up.
CAME_UP_AFTER = 10.0
# That many such stops in a row, and we give up.
GIVE_UP_AFTER = 5
LONGEST_DELAY = 60.0
POLL = 0.2
# Not read from the settings, so that the benchmark (benchmarks/stack.py) runs the very
# same gunicorn command without them.
GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    restart_at: float | None = None
    quick_stops: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env)  # noqa: S603
        self.started = time.monotonic()
        self.restart_at = None

    def stopped_on_its_own(self) -> bool:
        return self.restart_at is None and self.process.poll() is not None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()


def supervise(
    commands: dict[str, list[str]],
    env: dict[str, str],
    *,
    hint: str = "",
    restart_delay: float = 1.0,
) -> None:
    children = [Child(name, command, env) for name, command in commands.items()]
    for child in children:
        child.start()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(POLL)
            for child in children:
                _look_after(child, hint=hint, restart_delay=restart_delay)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.stop()
        for child in children:
            child.process.wait(timeout=30)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _look_after(child: Child, *, hint: str, restart_delay: float) -> None:
    now = time.monotonic()
    if child.restart_at is not None:
        if now >= child.restart_at:
            child.start()
        return
    if not child.stopped_on_its_own():
        return
    code = child.process.returncode
    child.quick_stops = child.quick_stops + 1 if now - child.started < CAME_UP_AFTER else 0
    if child.quick_stops >= GIVE_UP_AFTER:
        raise CommandError(
            f"{child.name} stopped (exit code {code}) {child.quick_stops} times in a row "
            f"within seconds of starting, so everything stopped. {hint}".strip()
        )
    delay = min(restart_delay * 2**child.quick_stops, LONGEST_DELAY)
    print(
        f"{child.name} stopped (exit code {code}); starting it again in {delay:.0f} s.",
        file=sys.stderr,
        flush=True,
    )
    child.restart_at = now + delay


def local_mail_server(mail_dir: Path) -> list[str]:
    """The command of a mail server on LOCAL_SMTP_ADDRESS (aiosmtpd) that keeps every
    message it receives as a file in ``mail_dir/new``, and delivers none."""
    for maildir_folder in ("tmp", "new", "cur"):
        (mail_dir / maildir_folder).mkdir(parents=True, exist_ok=True)
    return [
        sys.executable,
        *("-m", "aiosmtpd", "-n", "-l", LOCAL_SMTP_ADDRESS),
        *("-c", "aiosmtpd.handlers.Mailbox", str(mail_dir)),
    ]


def default_web_workers() -> int:
    """gunicorn's worker processes unless told otherwise: one per core, plus one. A
    request here keeps its core busy (the database is local, and nginx in front takes
    the time of slow clients): more processes only wait for a core, the one holding
    SQLite's write lock among them (docs/performance.md, 2026-12-06)."""
    return (os.cpu_count() or 1) + 1


def gunicorn_command(*, bind: str, workers: int = 1) -> list[str]:
    """gunicorn as ``manage.py serve`` runs it, with the project's settings
    (gunicorn.conf.py)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "urgentaction.wsgi",
        f"--workers={workers}",
        f"--bind={bind}",
        f"--config={GUNICORN_CONFIG}",
    ]
