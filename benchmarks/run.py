"""``make bench``: speed and memory of the site, each figure beside its reference, measured
in the same run so that the ratio holds on a noisy machine.

1. Page: the campaign page through ``make serve``'s nginx (deploy/nginx.conf, its page
   cache) in front of gunicorn, and from gunicorn alone (as ``manage.py serve`` runs it,
   DEBUG off, SQLite, the demo campaign, the application's own page cache), wrk at 64
   connections for 20 s each, against nginx serving the same bytes as a static file
   (measure_page.py).
2. Submit: valid actions POSTed by wrk at 64 connections (a new supporter each), accepted
   (302) per second, on SQLite and on PostgreSQL, against a plain Python loop writing the
   same rows with the same durability, one transaction per action (measure_submit.py).
3. Delivery: letters per second sent by ``manage.py worker --until-idle`` (pacing off) to a
   local no-op aiosmtpd server, against bare smtplib sending the same messages to it over
   one connection; Django's SMTP backend alone is noted beside them (measure_delivery.py).
4. Growth: the page and submit runs again after seeding 1,000,000 stored actions, in
   turns with an unseeded copy of the site served beside it (measure_growth.py).
5. Memory: peak resident memory (VmHWM) of a web worker process and of the worker.
6. Staff: the staff home and a campaign's dashboard with 1,000,000 letters on the
   campaign, median milliseconds through gunicorn (measure_staff.py).
7. secure_delete: milliseconds per submit and per erasure with SQLite's secure_delete on,
   against the same with it off, in alternating rounds (measure_secure_delete.py).
8. API: requests/s of a campaign's list of letters, its first page and a page deep in its
   cursor, on the grown site against the unseeded one, in turns (measure_api.py).
9. Update fan-out: seconds from queueing an update to 100,000 people to the last message
   at a local SMTP server, through serve's run_tasks and worker (measure_updates.py).
Then the hand-in bundle benchmark (benchmarks/bundle.py).

Usage: python benchmarks/run.py [--seconds 20] [--actions 1000000] [--letters 2000]
                                [--no-bundle] [--output FILE] [--postgres-database NAME]

Writes benchmarks/results/latest.json (or ``--output``) and prints a table. A part that
cannot run is null in the JSON, with the reason in ``notes``. PostgreSQL is taken from
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres; empty: no
PostgreSQL part); the benchmark makes and drops its own database there (``ua_bench``
unless ``--postgres-database`` names another).

Each part is a module (measure_*.py) given the run's options (part.Config) and returning
its figures and notes (part.Measured), which this one records.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import database
import measure_api
import measure_delivery
import measure_growth
import measure_page
import measure_secure_delete
import measure_staff
import measure_submit
import measure_updates
import stack
from load import Load
from part import Config, Measured
from report import code_version, empty_results, table
from stack import BENCH, ROOT

RESULTS = BENCH / "results" / "latest.json"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


class Bench:
    """One run: the results so far, in which each part's figures are recorded."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.load = Load(config.work)
        self.results = empty_results()
        # The largest resident set of a web process in any part (kB).
        self.web_kb = 0

    def note(self, text: str) -> None:
        print(f"  note: {text}", flush=True)
        self.results["notes"].append(text)

    def record(self, measured: Measured) -> None:
        for key, figures in measured.figures.items():
            self.results[key].update(figures)
        for text in measured.notes:
            self.note(text)
        self.web_kb = max(self.web_kb, measured.web_kb)

    def part(self, name: str, function: Callable[[], None]) -> None:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            function()
        except Exception as error:
            traceback.print_exc()
            self.note(f"{name} could not run: {type(error).__name__}: {error}")
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)

    def sqlite(self) -> None:
        """The site on SQLite: the page and submit figures, then growth."""
        config = self.config
        data, env = stack.sqlite_site(config.work, "sqlite")
        # The rows of one submit, for the growth seed to copy.
        template = None

        def submit() -> None:
            nonlocal template
            db = database.Database(sqlite_path=data / "db.sqlite3")
            measured, template = measure_submit.measure(
                config, self.load, site, db, data / "static"
            )
            self.record(measured)

        with stack.site(env, stack.free_port(), data / "gunicorn.log") as site:
            self.part(
                "page",
                lambda: self.record(measure_page.measure(config, self.load, site, data / "static")),
            )
            self.part("submit on SQLite", submit)
        self.web_kb = max(self.web_kb, site.peak_worker_kb)
        if not config.actions:
            self.note("growth: skipped (--actions 0)")
        elif template is None:
            self.note("growth could not run: it copies the rows of the SQLite submit, which failed")
        else:
            self.part(
                "growth",
                lambda: self.record(measure_growth.measure(config, self.load, data, template)),
            )
        self.part("API list", lambda: self.record(measure_api.measure(config, data)))

    def postgres(self, name: str) -> None:
        if not POSTGRES_URL:
            self.note("submit (PostgreSQL): not measured (BENCH_POSTGRES_URL is empty)")
            return
        self.record(measure_submit.measure_postgres(self.config, self.load, POSTGRES_URL, name))

    def staff(self) -> None:
        if not self.config.actions:
            self.note("staff: skipped (--actions 0)")
            return
        self.record(measure_staff.measure(self.config))

    def bundle(self) -> None:
        subprocess.run([sys.executable, str(BENCH / "bundle.py")], cwd=ROOT, check=True)  # noqa: S603
        rows = json.loads((BENCH / "results" / "bundle.json").read_text())["bundle"]
        for row in rows:
            self.note(
                f"bundle: {row['letters']:,} letters in {row['seconds']} s "
                f"({row['letters_per_second']} letters/s), peak {row['peak_mb_process']} MB "
                f"worker, {row['peak_mb_typesetting_child']} MB typesetting child "
                "(benchmarks/results/bundle.json)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Config(work=Path())
    parser.add_argument(
        "--seconds", type=int, default=defaults.seconds, help="length of each wrk run"
    )
    parser.add_argument(
        "--actions",
        type=int,
        default=defaults.actions,
        help="stored actions for the growth, API and staff figures (0: leave them out)",
    )
    parser.add_argument(
        "--letters",
        type=int,
        default=defaults.letters,
        help="letters the worker sends; an update goes to 50 times as many people",
    )
    parser.add_argument("--no-bundle", action="store_true", help="skip benchmarks/bundle.py")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"the JSON file to write (default {RESULTS})"
    )
    parser.add_argument(
        "--postgres-database",
        default="ua_bench",
        help="the PostgreSQL database made and dropped for the run (default ua_bench)",
    )
    options = parser.parse_args()
    # Stopped from outside (make interrupted, say): still stop every process started and
    # remove the temporary files and the PostgreSQL database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    started = time.monotonic()
    busy = stack.cpu_busy()
    with tempfile.TemporaryDirectory(prefix="ua-bench-") as work:
        config = Config(
            work=Path(work),
            seconds=options.seconds,
            actions=options.actions,
            letters=options.letters,
        )
        bench = Bench(config)
        bench.note(code_version())
        bench.note(
            f"before the run the machine's CPU was {busy:.0%} busy with other work "
            f"(load average {os.getloadavg()[0]:.1f}); figures from a shared machine are "
            "noisier, their ratios less so"
        )
        if stack.tool("wrk") is None:
            bench.note("wrk is not installed (apt-get install wrk): no page or submit figures")
        else:
            bench.part("the site on SQLite", bench.sqlite)
            bench.part("submit on PostgreSQL", lambda: bench.postgres(options.postgres_database))
        bench.part("delivery", lambda: bench.record(measure_delivery.measure(config)))
        bench.part("update fan-out", lambda: bench.record(measure_updates.measure(config)))
        bench.part("secure_delete", lambda: bench.record(measure_secure_delete.measure(config)))
        bench.part("staff pages", bench.staff)
    if bench.web_kb:
        bench.results["memory"]["web_mb"] = round(bench.web_kb / 1024, 1)
    if not options.no_bundle:
        bench.part("hand-in bundles (benchmarks/bundle.py)", bench.bundle)
    results = bench.results
    results["notes"].append(
        f"the whole run took {time.monotonic() - started:.0f} s; load average at the end "
        f"{os.getloadavg()[0]:.1f}"
    )
    output = options.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(f"{results['machine']}, {results['date']}")
    print(table(results))
    print("notes:")
    for note in results["notes"]:
        print(f"- {note}")
    print(f"Written to {output}")


if __name__ == "__main__":
    main()
