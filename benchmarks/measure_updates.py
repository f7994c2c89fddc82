"""The update fan-out figure of ``make bench`` (``delivery.update_100k_s``): an update sent
to everyone who consented, from the moment staff queue it to the last message received by
a local SMTP sink, through the processes ``make serve`` runs by default for it: one
``manage.py run_tasks`` (the job that fans the update out into one outbox row per person)
and one ``manage.py worker`` (which sends them).

The people are one real sign-up, confirmed (updates.py), copied by the bulk seed
(database.seed_rows): 50 per ``--letters`` letter, so 100,000 at the default 2,000 and
1,000 in the test's short run. With fewer than 100,000, ``update_100k_s`` is the time
measured scaled to 100,000 in proportion, and a note says so.
"""

import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import database
import stack
from measure_delivery import wait_for_port
from part import Config, Measured
from stack import BENCH, HOST

PEOPLE_PER_LETTER = 50
AIM_PEOPLE = 100_000
# Pacing is not what is measured: well above what the processes reach here, so that every
# email is due as soon as it is queued. At the default pace, 300 a minute, 100,000 people
# take 333 minutes by design.
PACE_PER_MINUTE = str(10**7)
# Given up on when no message has come for this long.
STALLED_AFTER = 120
SECONDS_PER_POLL = 1.0


def measure(config: Config) -> Measured:
    people = PEOPLE_PER_LETTER * config.letters
    port = stack.free_port()
    data, env = stack.sqlite_site(
        config.work,
        "updates",
        EMAIL_URL=f"smtp://{HOST}:{port}",
        UPDATE_EMAILS_PER_MINUTE=PACE_PER_MINUTE,
    )
    path = data / "db.sqlite3"
    seeded = seed_people(env, path, people)
    stats = data / "sink.json"
    sink_command = [sys.executable, str(BENCH / "smtp_sink.py"), str(port), str(stats)]
    manage = [sys.executable, str(stack.MANAGE)]
    with (
        stack.started(sink_command, log=data / "sink.log") as sink,
        stack.started([*manage, "run_tasks"], env=env, log=data / "run_tasks.log") as jobs,
        stack.started([*manage, "worker"], env=env, log=data / "worker.log") as worker,
    ):
        wait_for_port(port, sink)
        wait_until_started((jobs, worker))
        queued_file = data / "queued.json"
        # What the processes spent starting up is not the update's.
        started = {"jobs": cpu_seconds(jobs.pid), "worker": cpu_seconds(worker.pid)}
        stack.script(env, "updates.py", "send", str(queued_file))
        queued = json.loads(queued_file.read_text())
        received, last = wait_for_messages(sink, stats, queued["people"], (jobs, worker))
        cpu = {
            "jobs": cpu_seconds(jobs.pid) - started["jobs"],
            "worker": cpu_seconds(worker.pid) - started["worker"],
        }
    outcome = update_outcome(path, queued["update"])
    seconds = last - queued["monotonic"]
    fan_out = outcome["sent_at"] - queued["time"]
    count = queued["people"]
    if received != count or outcome["sent"] != count:
        raise RuntimeError(
            f"the update went to {count} people: the sink received {received} messages and "
            f"{outcome['sent']} were marked sent"
        )
    measured = Measured()
    measured.figures["delivery"] = {
        "update_100k_s": round(seconds * AIM_PEOPLE / count, 1),
        "update_people": count,
        "update_s": round(seconds, 1),
        "update_fan_out_s": round(fan_out, 1),
    }
    print(
        f"   update to {count:,} people: {seconds:.1f} s from queued to the last message "
        f"({count / seconds:.0f} a second); every copy queued after {fan_out:.1f} s",
        flush=True,
    )
    scaled = (
        ""
        if count == AIM_PEOPLE
        else f"; update_100k_s is that time scaled to {AIM_PEOPLE:,} people in proportion"
    )
    measured.notes.append(
        f"delivery: an update to {count:,} people ({seeded:,} seeded copies of one confirmed "
        f"sign-up) through one run_tasks and one worker as make serve runs them, SQLite, "
        f"UPDATE_EMAILS_PER_MINUTE={PACE_PER_MINUTE} (pacing off): {seconds:.1f} s from "
        f"queued to the last message received ({count / seconds:.0f} a second), every copy "
        f"queued (the fan-out) after {fan_out:.1f} s; CPU per message "
        f"{1000 * cpu['jobs'] / count:.2f} ms in run_tasks (the fan-out) and "
        f"{1000 * cpu['worker'] / count:.2f} ms in the worker{scaled}"
    )
    return measured


def seed_people(env: dict[str, str], path: Path, people: int) -> int:
    """One person signs up and confirms through the application; the bulk seed copies
    them to make ``people`` in all. Returns how many copies it made."""
    template = database.rows_written(path, lambda: stack.script(env, "updates.py", "person"))
    copies = people - 1
    seconds = database.seed_rows(path, copies, template)
    print(f"   seeded {copies:,} people in {seconds:.1f} s", flush=True)
    return copies


def wait_until_started(processes: tuple, timeout: float = 60) -> None:
    """Until every process has started up and waits for work: each used under 5% of a
    core over the last second."""
    deadline = time.monotonic() + timeout
    used = [cpu_seconds(process.pid) for process in processes]
    while time.monotonic() < deadline:
        time.sleep(1)
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[2]} exited with code {process.returncode}")
        before, used = used, [cpu_seconds(process.pid) for process in processes]
        if all(now - then < 0.05 for now, then in zip(used, before, strict=True)):
            return
    raise RuntimeError("run_tasks and the worker did not settle within a minute")


def wait_for_messages(sink, stats: Path, expected: int, processes: tuple) -> tuple[int, float]:
    """Poll the sink until ``expected`` messages have come; return how many came and when
    the last did (monotonic). Raises if a process stops or the messages stop coming."""
    received, last = 0, None
    waited_since = time.monotonic()
    while received < expected:
        time.sleep(SECONDS_PER_POLL)
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[2]} exited with code {process.returncode}")
        figures = poll_sink(sink, stats)
        if figures["messages"]:
            received += figures["messages"]
            last = figures["last"]
            waited_since = time.monotonic()
        elif time.monotonic() - waited_since > STALLED_AFTER:
            raise RuntimeError(f"no message for {STALLED_AFTER} s after {received} of {expected}")
    return received, last


def poll_sink(sink, stats: Path) -> dict:
    """What the sink received since it was last asked."""
    stats.unlink(missing_ok=True)
    sink.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while not stats.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return json.loads(stats.read_text())


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def update_outcome(path: Path, update: int) -> dict:
    """When the fan-out marked the update sent (epoch seconds), and how many of its copies
    were marked sent."""
    db = database.Database(sqlite_path=path)
    try:
        (sent_at,) = db.query("SELECT sent_at FROM mailings_update WHERE id = ?", (update,))[0]
        (sent,) = db.query(
            "SELECT count(*) FROM mailings_outboundemail WHERE update_id = ? AND status = 'sent'",
            (update,),
        )[0]
    finally:
        db.close()
    return {"sent_at": datetime_seconds(sent_at), "sent": sent}


def datetime_seconds(stored: str | None) -> float:
    """A time as Django stores it in SQLite (UTC, no offset) in epoch seconds."""
    if stored is None:
        raise RuntimeError("every message came, but the update is not marked sent")
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).timestamp()
