"""``make bench``: speed and memory of the site, each figure beside its reference, measured
in the same run so that the ratio holds on a noisy machine.

1. Page: the campaign page through ``make serve``'s nginx (deploy/nginx.conf, its page
   cache) in front of gunicorn, and from gunicorn alone (as ``manage.py serve`` runs it,
   DEBUG off, SQLite, the demo campaign, the application's own page cache), wrk at 64
   connections for 20 s each, against nginx serving the same bytes as a static file.
2. Submit: valid actions POSTed by wrk at 64 connections (a new supporter each), accepted
   (302) per second, on SQLite and on PostgreSQL, against a plain Python loop writing the
   same rows with the same durability, one transaction per action.
3. Delivery: letters per second sent by ``manage.py worker --until-idle`` (pacing off) to a
   local no-op aiosmtpd server, against bare smtplib sending the same messages to it over
   one connection; Django's SMTP backend alone is noted beside them (measure_delivery.py).
4. Growth: the page and submit runs again after seeding 1,000,000 stored actions, in
   turns with an unseeded copy of the site served beside it (measure_growth.py).
5. Memory: peak resident memory (VmHWM) of a web worker process and of the worker.
6. Staff: the staff home and a campaign's dashboard with 1,000,000 letters on the
   campaign, median milliseconds through gunicorn (measure_staff.py).
Then the hand-in bundle benchmark (benchmarks/bundle.py).

Usage: python benchmarks/run.py [--seconds 20] [--actions 1000000] [--letters 2000]
                                [--no-bundle]

Writes benchmarks/results/latest.json and prints a table. A part that cannot run is null
in the JSON, with the reason in ``notes``. PostgreSQL is taken from BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres); the benchmark makes and drops its
own database ``ua_bench`` there.
"""

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from pathlib import Path

import database
import measure_delivery
import measure_growth
import measure_staff
import proofs
import stack
from forms import PostForm
from report import code_version, empty_results, table
from stack import BENCH, HOST, ROOT, WARM_UP_SECONDS

RESULTS = BENCH / "results" / "latest.json"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
POSTGRES_DB = "ua_bench"
REFERENCE_SECONDS = 5
FORM_SECONDS = 5


class Bench:
    def __init__(self, options: argparse.Namespace, work: Path) -> None:
        self.seconds = options.seconds
        self.seed_count = options.actions
        self.letters = options.letters
        self.work = work
        self.results = empty_results()
        self.notes: list[str] = self.results["notes"]
        self.web_kb = 0
        self.run_id = 0
        # The rows of one submit, copied by the growth seed.
        self.sqlite_template = None
        # Each submit's proof of work, made just before its run.
        self.proofs = proofs.Maker(stack.site_env(work), work)

    def note(self, text: str) -> None:
        print(f"  note: {text}", flush=True)
        self.notes.append(text)

    def part(self, name: str, function) -> None:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            function()
        except Exception as error:
            traceback.print_exc()
            self.note(f"{name} could not run: {type(error).__name__}: {error}")
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)

    # -- the site on SQLite: page, submit, growth -------------------------------------------

    def sqlite(self) -> None:
        data = self.work / "sqlite"
        data.mkdir()
        env = stack.site_env(data)
        stack.prepare_site(env)
        path = data / "db.sqlite3"
        with stack.site(env, stack.free_port(), data / "gunicorn.log") as site:
            self.part("page", lambda: self.page(site, data / "static"))
            self.part("submit on SQLite", lambda: self.submit_sqlite(site, path))
        self.web_kb = max(self.web_kb, site.peak_worker_kb)
        self.part("growth", lambda: measure_growth.measure(self, env, data, path))

    def submit_sqlite(self, site: stack.Site, path: Path) -> None:
        figures = self.submit(site, database.Database(sqlite_path=path))
        self.results["submit"]["sqlite"] = figures

    def page(self, site: stack.Site, static_root: Path) -> None:
        """The cached campaign page from gunicorn alone, then through ``make serve``'s nginx
        (its page cache), each beside nginx serving the same bytes as a static file."""
        content = site.fetch_page()
        self.page_run(site, WARM_UP_SECONDS)
        app = self.checked(self.page_run(site, self.seconds), "page (gunicorn)")
        print(f"   gunicorn: {app['rps']:.0f} requests/s, p99 {app['p99_ms']:.1f} ms", flush=True)
        page = self.results["page"]
        page.update(gunicorn_rps=round(app["rps"], 1), gunicorn_p99_ms=round(app["p99_ms"], 1))
        static = self.served_by_nginx(
            lambda: stack.nginx(content, stack.free_port()), content, "static nginx"
        )
        if static is None:
            return
        page.update(
            static_rps=round(static["rps"], 1), gunicorn_ratio=round(app["rps"] / static["rps"], 4)
        )
        proxied = self.served_by_nginx(
            lambda: stack.proxy(site, stack.free_port(), static_root), content, "make serve's nginx"
        )
        if proxied is not None:
            page.update(
                rps=round(proxied["rps"], 1),
                p99_ms=round(proxied["p99_ms"], 1),
                ratio=round(proxied["rps"] / static["rps"], 4),
            )

    def served_by_nginx(self, server, content: bytes, what: str) -> dict | None:
        """wrk against the page as ``server()`` (a context that yields its URL) serves it,
        once it is seen to serve the site's very bytes."""
        try:
            with server() as url:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                    if response.read() != content:
                        raise RuntimeError(f"{what} does not serve the same bytes")
                    cache = response.headers.get("X-Cache-Status")
                stack.wrk(url, seconds=WARM_UP_SECONDS)
                figures = self.checked(stack.wrk(url, seconds=self.seconds), what)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
            self.note(f"page: no figures from {what}: {error}")
            return None
        print(
            f"   {what}: {figures['rps']:.0f} requests/s, p99 {figures['p99_ms']:.1f} ms"
            + (f" (X-Cache-Status before the runs: {cache})" if cache else ""),
            flush=True,
        )
        return figures

    def page_run(self, site: stack.Site, seconds: int) -> dict:
        figures = stack.wrk(site.page_url, seconds=seconds)
        site.drain()
        return figures

    def checked(self, figures: dict, what: str) -> dict:
        if figures.get("unproven"):
            self.note(f"{what}: {figures['unproven']} requests went without a proof of work")
        bad = figures.get("bad_status", 0) + figures.get("other_status", 0)
        if bad or figures.get("socket_errors"):
            self.note(
                f"{what}: {bad} responses with another status and "
                f"{figures.get('socket_errors')} socket errors (timeouts) in "
                f"{figures['requests']} requests"
            )
        return figures

    def submit(self, site: stack.Site, db: database.Database) -> dict:
        """wrk POSTing actions, then the reference loop on the same database."""
        kind = "SQLite" if db.sqlite else "PostgreSQL"
        try:
            form = self.form_body(site)
            before = db.counts()
            status = self.post_one(site, form)
            if status != 302:
                raise RuntimeError(f"a valid action was answered {status}, not 302")
            template, others = database.rows_of_a_submit(db, before)
            if others:
                self.note(
                    f"submit ({kind}): a submit also wrote to {', '.join(others)}, which the "
                    "reference loop does not copy (not part of the letter)"
                )
            if db.sqlite:
                self.sqlite_template = template
            held = template["actions_action"].get("held_reasons")
            if held not in (None, "", "[]", []):
                self.note(f"submit ({kind}): the site held the probe letter for review: {held}")
            self.note(
                f"submit ({kind}): one accepted action writes a row in each of "
                + ", ".join(template)
                + "; the reference loop writes the same"
            )
            self.submit_run(site, form, WARM_UP_SECONDS)
            run = self.checked(self.submit_run(site, form, self.seconds), f"submit ({kind})")
            self.check_held(db, kind)
            raw = database.reference_loop(db, template, REFERENCE_SECONDS)
        finally:
            db.close()
        print(
            f"   {kind}: {run['rps']:.0f} actions/s, p99 {run['p99_ms']:.0f} ms; "
            f"reference loop {raw['rps']:.0f} actions/s (p99 {raw['p99_ms']:.1f} ms)",
            flush=True,
        )
        return {
            "rps": round(run["rps"], 1),
            "p99_ms": round(run["p99_ms"], 1),
            "raw_rps": round(raw["rps"], 1),
            "ratio": round(run["rps"] / raw["rps"], 4),
        }

    def check_held(self, db: database.Database, kind: str) -> None:
        held = db.held_for_review()
        if held:
            self.note(
                f"submit ({kind}): the site held {held} of the benchmark's letters for review, "
                "so some figures are for held letters"
            )

    def form_body(self, site: stack.Site) -> Path:
        """What a browser sends from the demo page's form once a person has filled it in:
        every field as the page rendered it (the letter as offered, the hidden fields, the
        consent box left unticked, any field people leave empty left empty), with the
        person's name and address typed in and "by email" chosen. submit.lua adds a new
        email and form_token to each POST."""
        fields = PostForm(stack.DEMO_PATH)
        fields.feed(site.fetch_page().decode())
        if not {"subject", "body", "email", "channel"} <= fields.names:
            raise RuntimeError(f"the demo page's form has only {sorted(fields.names)}")
        values = {
            **fields.values,
            "first_name": "Ada",
            "last_name": "Writer",
            "address_line1": "1 High Street",
            "town": "Leeds",
            "postcode": "LS1 1AA",
            "country": "United Kingdom",
            "channel": "email",
        }
        # Django renders a newline after <textarea>, which browsers drop.
        values["body"] = values["body"].removeprefix("\n")
        for name in ("email", "form_token"):
            values.pop(name, None)
        path = self.work / f"form-{site.port}.txt"
        path.write_text(urllib.parse.urlencode(values))
        # A person takes a while to write: no letter goes sooner after the page was shown
        # than FORM_SECONDS (the site may hold letters sent faster than a person could).
        time.sleep(FORM_SECONDS)
        return path

    def post_one(self, site: stack.Site, form: Path) -> int:
        body = (
            form.read_text()
            + "&"
            + urllib.parse.urlencode(
                {"email": "probe@example.org", "form_token": "00000000-0000-4000-8000-000000000001"}
            )
            + "&altcha="
            + self.proofs.file(1, "proof-probe.txt").read_text().strip()
        )
        connection = http.client.HTTPConnection(HOST, site.port, timeout=30)
        try:
            connection.request(
                "POST",
                stack.DEMO_PATH,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": site.origin,
                    "X-Forwarded-For": "10.255.255.254",
                },
            )
            return connection.getresponse().status
        finally:
            connection.close()

    def submit_run(self, site: stack.Site, form: Path, seconds: int) -> dict:
        self.run_id += 1
        proofs_file = self.proofs.for_run(seconds, f"proofs-{self.run_id}.txt")
        figures = stack.wrk(
            site.page_url,
            seconds=seconds,
            script="submit.lua",
            args=(str(form), str(self.run_id), site.origin, str(proofs_file)),
        )
        site.drain()
        figures["rps"] = figures["accepted"] / (figures["duration_us"] / 1e6)
        return figures

    # -- the site on PostgreSQL: submit ---------------------------------------------------

    def postgres(self) -> None:
        try:
            url = database.create_postgres(POSTGRES_URL, POSTGRES_DB)
        except Exception as error:
            self.note(f"submit (PostgreSQL): no server at {POSTGRES_URL}: {error}")
            return
        try:
            data = self.work / "postgres"
            data.mkdir()
            env = stack.site_env(data, DATABASE_URL=url)
            stack.prepare_site(env)
            with stack.site(env, stack.free_port(), data / "gunicorn.log") as site:
                db = database.Database(postgres_url=url)
                self.results["submit"]["postgres"] = self.submit(site, db)
            self.web_kb = max(self.web_kb, site.peak_worker_kb)
            self.note(
                "submit (PostgreSQL): synchronous_commit="
                + database.postgres_setting(url, "synchronous_commit")
                + ", each web process's pool holds up to 10 connections"
            )
        finally:
            database.drop_postgres(POSTGRES_URL, POSTGRES_DB)

    # -- staff pages ----------------------------------------------------------------------

    def staff(self) -> None:
        if not self.seed_count:
            self.note("staff: skipped (--actions 0)")
            return
        figures, notes = measure_staff.measure(self.work, self.seed_count)
        self.results["staff"].update(figures)
        for text in notes:
            self.note(text)

    # -- hand-in bundles ------------------------------------------------------------------

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
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument(
        "--actions", type=int, default=1_000_000, help="stored actions for the growth runs"
    )
    parser.add_argument("--letters", type=int, default=2000, help="letters the worker sends")
    parser.add_argument("--no-bundle", action="store_true", help="skip benchmarks/bundle.py")
    options = parser.parse_args()
    # Stopped from outside (make interrupted, say): still stop every process started and
    # remove the temporary files and the PostgreSQL database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    started = time.monotonic()
    busy = stack.cpu_busy()
    with tempfile.TemporaryDirectory(prefix="ua-bench-") as work:
        bench = Bench(options, Path(work))
        bench.note(code_version())
        bench.note(
            f"before the run the machine's CPU was {busy:.0%} busy with other work "
            f"(load average {os.getloadavg()[0]:.1f}); figures from a shared machine are "
            "noisier, their ratios less so"
        )
        missing = [name for name in ("wrk", "nginx") if stack.tool(name) is None]
        if "wrk" in missing:
            bench.note("wrk is not installed (apt-get install wrk): no page or submit figures")
        else:
            bench.part("the site on SQLite", bench.sqlite)
            bench.part("submit on PostgreSQL", bench.postgres)
        bench.part("delivery", lambda: measure_delivery.measure(bench))
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
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(f"{results['machine']}, {results['date']}")
    print(table(results))
    print("notes:")
    for note in results["notes"]:
        print(f"- {note}")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
