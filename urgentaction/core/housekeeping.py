"""Housekeeping: small named jobs that the worker runs between sends, each at its own
interval (reminding, expiring, pruning, queueing a lost job again).

Each app registers its own in a ``housekeeping`` module of its own, which the worker
finds as the admin finds ``admin`` modules. Each job is guarded on its own: one that
raises is logged with its traceback and tried again after a back-off, and neither stops
the other jobs nor the letters.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import autodiscover_modules

from urgentaction.core.ratelimit import forget_old_counts

logger = logging.getLogger(__name__)

# A job that keeps failing is tried at most this far apart (seconds).
LONGEST_BACK_OFF = 3600.0


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: float


_jobs: dict[str, Job] = {}


def register(run: Callable[[], object], *, every: float = 60.0, name: str = "") -> None:
    """Have the worker run ``run()`` every ``every`` seconds."""
    name = name or f"{run.__module__}.{run.__name__}"
    _jobs[name] = Job(name=name, run=run, every=every)


def unregister(name: str) -> None:
    del _jobs[name]


def registered() -> list[Job]:
    autodiscover_modules("housekeeping")
    return list(_jobs.values())


class Housekeeper:
    """Runs the registered jobs when each is due. ``clock`` is monotonic seconds."""

    def __init__(self, jobs: list[Job], *, clock: Callable[[], float] = time.monotonic):
        self.jobs = jobs
        self.clock = clock
        self.due = dict.fromkeys((job.name for job in jobs), 0.0)
        self.failures = dict.fromkeys((job.name for job in jobs), 0)

    def run_due(self, *, stop: Callable[[], bool]) -> int:
        """Run every job that is due, unless ``stop()``; return how many ran."""
        ran = 0
        for job in self.jobs:
            if stop() or self.clock() < self.due[job.name]:
                continue
            ran += 1
            try:
                job.run()
            except Exception:
                self.failures[job.name] += 1
                backed_off = job.every * 2 ** self.failures[job.name]
                wait = min(backed_off, max(job.every, LONGEST_BACK_OFF))
                logger.exception("Housekeeping job %s failed; next try in %.0f s", job.name, wait)
            else:
                self.failures[job.name] = 0
                wait = job.every
            self.due[job.name] = self.clock() + wait
        return ran


def prune_task_results() -> None:
    """Results of finished jobs kept by the database backend (RQ expires its own)."""
    if not settings.REDIS_URL:
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)


# The core app's own jobs.
register(forget_old_counts)
register(prune_task_results)
