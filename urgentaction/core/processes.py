"""Running several processes as one: stop them all when one stops or on Ctrl-C."""

import signal
import subprocess
import sys
import time

from django.core.management.base import CommandError


def supervise(commands: dict[str, list[str]], env: dict[str, str], *, hint: str = "") -> None:
    processes = {name: subprocess.Popen(command, env=env) for name, command in commands.items()}  # noqa: S603
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    stopped = None
    try:
        while stopped is None:
            time.sleep(0.5)
            stopped = next((n for n, p in processes.items() if p.poll() is not None), None)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            process.wait(timeout=30)
    if stopped is not None:
        code = processes[stopped].returncode
        raise CommandError(
            f"{stopped} stopped (exit code {code}), so the others stopped too. {hint}"
        )
