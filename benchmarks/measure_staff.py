"""The staff figures of ``make bench``: how long the staff home and a campaign's dashboard
take to serve, through gunicorn as ``manage.py serve`` runs it, with a million letters
stored on the campaign (the aim: under 500 ms each).

The site is seeded as the growth figures' is (database.seed_actions: copies of every row
one real letter wrote, here one written through ``take_action``), and its counters as a
campaign's would stand after those letters came in over 60 days (staff.py). A staff member
signs in with a password (STAFF_TWO_FACTOR off: the code is not what is measured); each
page is fetched a few times to warm up, then RUNS times; the figure is the median.

Usage alone: python benchmarks/measure_staff.py [--letters 1000000]
(writes benchmarks/results/staff.json; ``make bench`` puts the same figures in latest.json)
"""

import argparse
import http.cookiejar
import json
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import database
import stack
from part import Config, Measured
from stack import BENCH, DEMO_PATH

RESULTS = BENCH / "results" / "staff.json"
# Every gunicorn worker renders each page once before it counts (templates compile then).
WARM_UPS = 3 * stack.web_workers()
RUNS = 25
USERNAME = "bench-staff"
PASSWORD = "bench-staff-password-1"  # noqa: S105 (a throwaway site's)
PAGES = {"home_ms": "/admin/", "dashboard_ms": "/admin/dashboard/{slug}/"}


def measure(config: Config) -> Measured:
    """The staff pages' figures with ``config.actions`` letters on the campaign."""
    letters = config.actions
    data, env = stack.sqlite_site(config.work, "staff", STAFF_TWO_FACTOR="0")
    path = data / "db.sqlite3"
    template = database.rows_written(path, lambda: stack.script(env, "staff.py", "letter"))
    seconds = database.seed_actions(path, letters, template)
    stack.script(env, "staff.py", "counts", str(letters), USERNAME, PASSWORD)
    slug = DEMO_PATH.strip("/").rsplit("/", 1)[-1]
    figures, spreads = {}, {}
    with stack.site(env, stack.free_port(), data / "gunicorn.log") as site:
        opener = signed_in(site.origin)
        for name, page in PAGES.items():
            url = site.origin + page.format(slug=slug)
            times = [fetch(opener, url) for _ in range(WARM_UPS + RUNS)][WARM_UPS:]
            figures[name] = round(statistics.median(times), 1)
            spreads[name] = f"{min(times):.0f} to {max(times):.0f} ms"
    note = (
        f"staff: {letters:,} letters seeded on the demo campaign in {seconds:.0f} s, its "
        "counters as after 60 days; each page fetched through gunicorn "
        f"{WARM_UPS} times to warm up, then {RUNS} times: median home "
        f"{figures['home_ms']} ms ({spreads['home_ms']}), dashboard "
        f"{figures['dashboard_ms']} ms ({spreads['dashboard_ms']})"
    )
    return Measured(figures={"staff": figures}, notes=[note])


def signed_in(origin: str) -> urllib.request.OpenerDirector:
    """A client with a staff member's session, signed in through the admin's form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = origin + "/admin/login/"
    with opener.open(login, timeout=30) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})  # noqa: S310
    with opener.open(request, timeout=30) as response:
        if response.url.rstrip("/").endswith("/login"):
            raise RuntimeError("the staff member could not sign in")
    return opener


def fetch(opener: urllib.request.OpenerDirector, url: str) -> float:
    """Milliseconds to fetch ``url`` whole; the page must be a staff page, not the login."""
    started = time.perf_counter()
    with opener.open(url, timeout=60) as response:
        body = response.read()
        if response.status != 200 or "/login/" in response.url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")
    elapsed = (time.perf_counter() - started) * 1000
    if b'id="site-name"' not in body:
        raise RuntimeError(f"{url} is not a staff page")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ua-bench-staff-") as work:
        measured = measure(Config(work=Path(work), actions=options.letters))
    results = {**measured.figures, "notes": measured.notes}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(measured.figures["staff"]), *measured.notes, sep="\n")


if __name__ == "__main__":
    sys.exit(main())
