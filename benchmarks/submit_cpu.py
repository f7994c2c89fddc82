"""The CPU of one submitted letter, in one process, without wrk or gunicorn: instructions
per submit (valgrind's callgrind), or where the time goes (cProfile).

    python benchmarks/submit_cpu.py [--submits 100] [--warm-up 20] [--profile | --hold]
                                    [--postgres URL] [--postgres-database NAME]
                                    [--keep DIR] [--prepared DIR]

It prepares the demo site as ``make bench`` does (``stack.prepare_site``: DEBUG off, the
demo campaign written to its addressee alone) in a temporary DATA_DIR, on SQLite, or on
PostgreSQL with ``--postgres`` (a server's URL: the database NAME is made there, and
dropped after). Then a Django process sends valid letters through the site's WSGI handler
with its whole middleware, as the benchmark's wrk script does: the form as the demo page
renders it, filled in by a new writer each time, from a network of their own, with a proof
of work made ahead for that network (``proofs.py``), each answered 302. The warm-up
letters fill what the process keeps (actions/kept.py, compiled queries).

Instructions: callgrind cannot count part of a process that it cannot be told about from
Python, so the process runs twice under it, once with the warm-up alone and once with the
warm-up and ``--submits`` letters more; their difference, divided by ``--submits``, is
what a submit costs. Counts vary by well under 1% between runs (PYTHONHASHSEED is fixed).
``--profile`` runs the letters under cProfile instead, and lists the functions that took
the most time, by their own time and with what they call. ``--keep DIR`` keeps the site,
the proofs and callgrind's files (for ``callgrind_annotate``) in DIR, which must be new or
empty. ``--prepared DIR`` starts from a copy of the SQLite site in DIR (a ``--keep``
run's ``site``) instead of preparing one: what a submit costs depends a little on what
is stored already, so runs to compare should start from the same rows.

``--hold`` (SQLite): how long each letter's transaction holds the database's one write
lock, from ``BEGIN IMMEDIATE`` to the end of its ``COMMIT``, and the CPU time spent in it
before the commit (the rest is mostly the commit's fsync), median and 99th percentile,
without callgrind."""

import argparse
import cProfile
import io
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import database
import proofs
import stack
from forms import TYPED, PostForm

ORIGIN = "http://localhost"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submits", type=int, default=100)
    parser.add_argument("--warm-up", type=int, default=20)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--profile", action="store_true", help="cProfile, not callgrind")
    modes.add_argument("--hold", action="store_true", help="the write lock's hold, SQLite")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server, not SQLite")
    parser.add_argument("--postgres-database", metavar="NAME", default="ua_submit_cpu")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="keep the files in DIR")
    parser.add_argument("--prepared", metavar="DIR", type=Path, help="copy this site")
    options = parser.parse_args()
    if options.postgres and (options.prepared or options.hold):
        parser.error("--prepared and --hold are for SQLite")
    if options.keep:
        options.keep.mkdir(parents=True, exist_ok=True)
        if any(options.keep.iterdir()):
            parser.error(f"{options.keep} is not empty")
        measure(options, options.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="ua-submit-cpu-") as work:
            measure(options, Path(work))


def measure(options: argparse.Namespace, work: Path) -> None:
    extra = {"PYTHONHASHSEED": "0"}
    if options.postgres:
        extra["DATABASE_URL"] = database.create_postgres(
            options.postgres, options.postgres_database
        )
    try:
        env = stack.site_env(work / "site", **extra)
        if options.prepared:
            database.copy_site(options.prepared, work / "site")
        else:
            stack.prepare_site(env)
        print(f"the site is ready in {work / 'site'}", flush=True)
        if options.profile or options.hold:
            mode = "profile" if options.profile else "hold"
            run(env, work, mode, options.warm_up, options.submits)
            return
        counts = {}
        for name, submits in (("warm-up", 0), ("letters", options.submits)):
            output = work / f"callgrind.{name}"
            run(env, work, name, options.warm_up, submits, callgrind=output)
            counts[name] = instructions(output)
        per_submit = (counts["letters"] - counts["warm-up"]) / options.submits
        print(
            f"{per_submit / 1e6:.2f} M instructions per submit "
            f"({'PostgreSQL' if options.postgres else 'SQLite'}, {options.submits} submits "
            f"after {options.warm_up} warm-up; the process: {counts['warm-up'] / 1e6:.0f} M "
            "with the warm-up alone)"
        )
    finally:
        if options.postgres:
            database.drop_postgres(options.postgres, options.postgres_database)


def run(
    env: dict[str, str],
    work: Path,
    name: str,
    warm_up: int,
    submits: int,
    *,
    callgrind: Path | None = None,
) -> None:
    """One process sending ``warm_up`` and then ``submits`` letters (the ``send`` below)."""
    proofs_file = proofs.made(env, warm_up + submits, work / f"proofs.{name}", 1)
    command = [sys.executable, __file__, "--send", name, str(warm_up), str(submits)]
    command.append(str(proofs_file))
    if callgrind is not None:
        valgrind = shutil.which("valgrind")
        if valgrind is None:
            sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
        command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={callgrind}", *command]
    started = time.monotonic()
    log = work / f"{name}.log"
    with log.open("w") as output:
        finished = subprocess.run(command, cwd=stack.ROOT, env=env, stderr=output, check=False)  # noqa: S603
    if finished.returncode:
        sys.exit(f"the {name} process failed:\n{log.read_text()[-3000:]}")
    print(f"   {name}: {warm_up} + {submits} letters in {time.monotonic() - started:.0f} s")


def instructions(callgrind: Path) -> int:
    """The instructions a callgrind file counts in all (its ``summary:`` line)."""
    for line in callgrind.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no summary line in {callgrind}")


def send(name: str, warm_up: int, submits: int, proofs_file: Path) -> None:
    """In the site's environment: the letters, each answered 302."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    spent = iter(proofs.read(proofs_file))
    form = page_form(handler)
    for number in range(warm_up):
        post(handler, form, f"{name}-warm-{number}", *next(spent))
    profile = cProfile.Profile() if name == "profile" else None
    holds = held_lock() if name == "hold" else None
    if profile:
        profile.enable()
    for number in range(warm_up, warm_up + submits):
        post(handler, form, f"{name}-{number}", *next(spent))
    if holds is not None:
        print(f"the write lock, {submits} letters after {warm_up} warm-up:")
        for what, values in holds.items():
            low, high = statistics.median(values), statistics.quantiles(values, n=100)[-1]
            print(f"   {what}: median {low * 1000:.2f} ms, p99 {high * 1000:.2f} ms")
    if not profile:
        return
    profile.disable()
    for order in ("tottime", "cumulative"):
        output = io.StringIO()
        pstats.Stats(profile, stream=output).sort_stats(order).print_stats(30)
        print(f"\n{submits} submits, by {order}:\n{output.getvalue()}")


def held_lock() -> dict[str, list[float]]:
    """Seconds from each transaction's BEGIN IMMEDIATE to the end of its COMMIT, and the
    CPU seconds spent before its COMMIT, recorded from now on."""
    from django.db import connections

    holds: dict[str, list[float]] = {"held": [], "CPU before the commit": []}
    wrapper = type(connections["default"])
    begin, commit = wrapper._start_transaction_under_autocommit, wrapper._commit
    started = {}

    def timed_begin(self) -> None:
        begin(self)
        started.update(wall=time.perf_counter(), cpu=time.thread_time())

    def timed_commit(self) -> None:
        cpu = time.thread_time() - started["cpu"]
        commit(self)
        holds["held"].append(time.perf_counter() - started["wall"])
        holds["CPU before the commit"].append(cpu)

    wrapper._start_transaction_under_autocommit = timed_begin
    wrapper._commit = timed_commit
    return holds


def page_form(handler) -> str:
    """The demo page's form filled in as Load.form fills it, URL-encoded, without the
    email, the form token and the proof that each letter adds."""
    status, body = call(handler, "GET", stack.DEMO_PATH)
    if status != 200:
        raise RuntimeError(f"the demo page was answered {status}")
    fields = PostForm(stack.DEMO_PATH)
    fields.feed(body.decode())
    values = {**fields.values, **TYPED}
    values["body"] = values["body"].removeprefix("\n")
    for field in ("email", "form_token", "altcha"):
        values.pop(field, None)
    return urllib.parse.urlencode(values)


def post(handler, form: str, writer: str, address: str, proof: str) -> None:
    """A letter by ``writer`` from ``address``, the network that asked for its proof
    (the site trusts X-Forwarded-For here)."""
    fields = urllib.parse.urlencode({"email": f"{writer}@example.org", "form_token": uuid.uuid4()})
    body = f"{form}&{fields}&altcha={proof}".encode()
    status, answer = call(handler, "POST", stack.DEMO_PATH, body, address)
    if status != 302:
        raise RuntimeError(f"a letter was answered {status}, not 302:\n{answer[-3000:]!r}")


def call(handler, method: str, path: str, body: bytes = b"", address: str = "10.0.0.1"):
    """One request through the WSGI handler, as gunicorn makes it: (status, body)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "HTTP_ORIGIN": ORIGIN,
        "HTTP_X_FORWARDED_FOR": address,
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    answer = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
    return int(statuses[0].split()[0]), answer


if __name__ == "__main__":
    sys.path.insert(0, str(stack.ROOT))
    if sys.argv[1:2] == ["--send"]:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    else:
        main()
