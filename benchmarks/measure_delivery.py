"""The delivery figure of ``make bench``: the worker sending to a local SMTP server, bare
smtplib sending the same messages to it, and Django's SMTP backend alone sending them (the
most a worker that sends through it one letter at a time can reach)."""

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import database
import delivery as delivery_bench
import stack
from part import Config, Measured
from stack import BENCH, HOST


def measure(config: Config) -> Measured:
    """Letters/s from the worker against bare smtplib to the same server, with Django's
    SMTP backend alone noted beside them; the worker's peak memory."""
    letters = config.letters
    port = stack.free_port()
    data, env = stack.sqlite_site(config.work, "delivery", EMAIL_URL=f"smtp://{HOST}:{port}")
    messages = data / "messages.jsonl"
    stack.script(env, "delivery.py", "prepare", str(letters), str(messages))
    stats = data / "sink.json"
    sink_command = [sys.executable, str(BENCH / "smtp_sink.py"), str(port), str(stats)]
    with stack.started(sink_command, log=data / "sink.log") as sink:
        wait_for_port(port, sink)
        worker, wall = run_worker(env, data)
        by_worker = sink_figures(sink, stats)
        sent = count_sent(data / "db.sqlite3")
        delivery_bench.bare_loop(messages, HOST, port)
        by_loop = sink_figures(sink, stats)
        stack.script(env, "delivery.py", "backend")
        by_backend = sink_figures(sink, stats)
    if sent != letters or by_worker["messages"] != letters:
        raise RuntimeError(
            f"the worker marked {sent} of {letters} letters sent and the server "
            f"received {by_worker['messages']}"
        )
    if by_backend["messages"] != letters:
        raise RuntimeError(
            f"Django's SMTP backend sent {by_backend['messages']} of {letters} letters"
        )
    rate, raw_rate = by_worker["rate"], by_loop["rate"]
    measured = Measured()
    measured.figures["delivery"] = {
        "rps": round(rate, 1),
        "raw_rps": round(raw_rate, 1),
        "ratio": round(rate / raw_rate, 4),
    }
    measured.figures["memory"] = {"worker_mb": round(worker / 1024, 1)}
    size = by_worker["bytes"] / by_worker["messages"]
    print(
        f"   worker {rate:.0f} letters/s, smtplib {raw_rate:.0f} messages/s "
        f"({letters} messages of {size:.0f} bytes)",
        flush=True,
    )
    ceiling = by_backend["rate"]
    print(f"   Django's SMTP backend alone {ceiling:.0f} letters/s", flush=True)
    measured.notes.append(
        f"delivery: Django's SMTP backend alone, sending the same letters built beforehand "
        f"one at a time over one connection (no database work): {ceiling:.0f} letters/s, "
        f"{ceiling / raw_rate:.3f} of smtplib, the most a worker that sends through it "
        "one letter after another can reach"
    )
    measured.notes.append(
        f"delivery: {letters:,} letters of {size:,.0f} bytes to one target with "
        f"hourly_cap NULL, SQLite; rates are timed at the SMTP server from the first "
        f"message to the last; the worker process took {wall:.1f} s in all, start-up "
        "included"
    )
    return measured


def wait_for_port(port: int, process: subprocess.Popen) -> None:

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the SMTP server exited")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1):
            return
        time.sleep(0.1)
    raise RuntimeError("the SMTP server did not start")


def run_worker(env: dict[str, str], data: Path) -> tuple[int, float]:
    """Run ``manage.py worker --until-idle``; return its peak memory (kB, read from
    /proc while it runs) and its wall time."""
    command = [sys.executable, str(stack.MANAGE), "worker", "--until-idle"]
    started = time.monotonic()
    peak = 0
    with stack.started(command, env=env, log=data / "worker.log") as process:
        while process.poll() is None:
            peak = max(peak, stack.peak_rss_kb(process.pid))
            time.sleep(0.05)
    if process.returncode:
        raise RuntimeError(f"the worker exited with code {process.returncode}")
    return peak, time.monotonic() - started


def sink_figures(sink: subprocess.Popen, stats: Path) -> dict:
    stats.unlink(missing_ok=True)
    sink.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while not stats.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    figures = json.loads(stats.read_text())
    if figures["messages"] < 2:
        raise RuntimeError(f"the SMTP server received {figures['messages']} messages")
    figures["rate"] = (figures["messages"] - 1) / (figures["last"] - figures["first"])
    return figures


def count_sent(path: Path) -> int:
    db = database.Database(sqlite_path=path)
    try:
        return db.query("SELECT count(*) FROM actions_delivery WHERE status = 'sent'")[0][0]
    finally:
        db.close()
