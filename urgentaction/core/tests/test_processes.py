"""`supervise`, which runs `make demo`'s and `make serve`'s processes as one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

# Each child writes its process id to a file of its own, then sleeps.
SLEEPER = "import os, sys, time; open(sys.argv[1] + '/' + str(os.getpid()), 'w'); time.sleep(600)"


def start_supervisor(commands: dict[str, list[str]]) -> subprocess.Popen:
    script = (
        "import os, sys; from urgentaction.core.processes import supervise; "
        f"supervise({commands!r}, dict(os.environ), hint='Set PORT.', restart_delay=0.05)"
    )
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def started(folder: Path) -> list[int]:
    return sorted(int(path.name) for path in folder.iterdir())


def test_a_child_killed_is_started_again_and_sigterm_stops_all_quietly(tmp_path):
    supervisor = start_supervisor({"worker": [sys.executable, "-c", SLEEPER, str(tmp_path)]})
    [first] = wait_for(lambda: started(tmp_path))

    os.kill(first, signal.SIGKILL)
    [second] = wait_for(lambda: [pid for pid in started(tmp_path) if pid != first])
    supervisor.send_signal(signal.SIGTERM)
    _, errors = supervisor.communicate(timeout=30)

    assert "worker stopped (exit code -9); starting it again" in errors
    assert supervisor.returncode == 0
    assert "Traceback" not in errors
    # The restarted child was stopped with the supervisor.
    wait_for(lambda: not Path(f"/proc/{second}").exists() or _zombie(second))


def test_ctrl_c_stops_all_quietly(tmp_path):
    supervisor = start_supervisor({"site": [sys.executable, "-c", SLEEPER, str(tmp_path)]})
    [child] = wait_for(lambda: started(tmp_path))

    supervisor.send_signal(signal.SIGINT)
    _, errors = supervisor.communicate(timeout=30)

    assert (supervisor.returncode, errors) == (0, "")
    wait_for(lambda: not Path(f"/proc/{child}").exists() or _zombie(child))


def test_a_child_that_cannot_come_up_stops_everything_and_says_which(tmp_path):
    supervisor = start_supervisor(
        {
            "site": [sys.executable, "-c", SLEEPER, str(tmp_path)],
            "mail server": [sys.executable, "-c", "raise SystemExit(3)"],
        }
    )

    _, errors = supervisor.communicate(timeout=60)

    assert supervisor.returncode == 1
    assert "mail server stopped (exit code 3) 5 times in a row" in errors
    assert "Set PORT." in errors
    [site] = started(tmp_path)  # the site was never restarted, and is stopped
    wait_for(lambda: not Path(f"/proc/{site}").exists() or _zombie(site))


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
