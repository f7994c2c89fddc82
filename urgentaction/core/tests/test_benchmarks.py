"""``make bench`` runs from end to end: a short run of benchmarks/run.py (every part but the
seeded ones and the hand-in bundles) writes the JSON that docs/performance.md describes,
with a figure wherever this machine can measure one and a note wherever it cannot. The
figures' values are never asserted: they are measured, not tested."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from urgentaction.core import nginx

RUN = settings.BASE_DIR / "benchmarks" / "run.py"
DOCS = settings.BASE_DIR / "docs" / "performance.md"
RATIO_AND_RAW = ("rps", "p99_ms", "raw_rps", "ratio")
# The submit through make serve's nginx (RATIO_AND_RAW), and to gunicorn alone.
SUBMIT = (*RATIO_AND_RAW, "gunicorn_rps", "gunicorn_p99_ms", "gunicorn_ratio")
SECURE_DELETE = ("on_ms", "off_ms", "ratio")
# latest.json's figures, by part (docs/performance.md).
SHAPE = {
    "page": (
        "rps",
        "p99_ms",
        "static_rps",
        "ratio",
        "gunicorn_rps",
        "gunicorn_p99_ms",
        "gunicorn_ratio",
        "during_submits_rps",
    ),
    "submit": {"sqlite": SUBMIT, "postgres": SUBMIT},
    "delivery": (
        "rps",
        "raw_rps",
        "ratio",
        "update_100k_s",
        "update_people",
        "update_s",
        "update_fan_out_s",
    ),
    "growth": ("submit_ratio", "page_ratio", "bytes_per_action"),
    "api": (
        "list_rps",
        "p99_ms",
        "deep_rps",
        "deep_p99_ms",
        "unseeded_rps",
        "unseeded_deep_rps",
        "ratio",
        "deep_ratio",
    ),
    "memory": ("web_mb", "worker_mb"),
    "staff": ("dashboard_ms", "home_ms"),
    "secure_delete": {"submit": SECURE_DELETE, "erasure": SECURE_DELETE},
}


def shape(results: dict) -> dict:
    """The names of ``results``' figures, laid out as SHAPE lays them out."""

    def names(part: str) -> tuple | dict:
        if isinstance(SHAPE[part], dict):
            return {kind: tuple(results[part][kind]) for kind in results[part]}
        return tuple(results[part])

    return {part: names(part) for part in results if part in SHAPE}


def figures(results: dict, part: str, kind: str | None = None) -> list:
    values = results[part] if kind is None else results[part][kind]
    return list(values.values())


def submit_alone(results: dict, kind: str) -> list:
    """The submit's figures from gunicorn alone, with the reference loop's."""
    figures = results["submit"][kind]
    return [
        figures[name] for name in ("raw_rps", "gunicorn_rps", "gunicorn_p99_ms", "gunicorn_ratio")
    ]


def submit_through_nginx(results: dict, kind: str) -> list:
    figures = results["submit"][kind]
    return [figures[name] for name in ("rps", "p99_ms", "ratio")]


def measured(values: list) -> bool:
    return all(isinstance(value, int | float) for value in values)


def documented_shape() -> str:
    """The JSON's shape as docs/performance.md gives it, on one line."""
    text = DOCS.read_text()
    block = re.search(r'^    \{"machine".*?"notes": \[str\]\}$', text, re.M | re.S)
    assert block, "docs/performance.md no longer shows the shape of latest.json"
    return " ".join(block[0].split())


def test_the_documented_shape_names_every_figure():
    documented = documented_shape()
    for part, keys in SHAPE.items():
        assert f'"{part}": {{' in documented
        for kind, names in keys.items() if isinstance(keys, dict) else [(None, keys)]:
            if kind is not None:
                assert f'"{kind}": {{' in documented
            for name in names:
                assert f'"{name}"' in documented


@pytest.mark.slow
def test_a_short_bench_run_writes_every_figure_this_machine_can_measure(tmp_path):
    has_wrk = shutil.which("wrk") is not None
    has_nginx = nginx.binary() is not None
    postgres = os.environ.get("TEST_DATABASE_URL", "")
    missing = [
        name
        for name, there in (("wrk", has_wrk), ("nginx", has_nginx), ("TEST_DATABASE_URL", postgres))
        if not there
    ]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: under CI the whole bench must run")
    output = tmp_path / "latest.json"
    command = [
        sys.executable,
        str(RUN),
        *("--seconds", "1", "--actions", "0", "--letters", "20", "--no-bundle"),
        *("--output", str(output)),
        # Its own database, so that neither a real run nor another test run drops it.
        *("--postgres-database", f"ua_bench_test_{os.getpid()}"),
    ]
    # The PostgreSQL part runs on the suite's server, or not at all.
    env = {**os.environ, "BENCH_POSTGRES_URL": postgres}
    run = subprocess.run(  # noqa: S603
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    results = json.loads(output.read_text())
    notes = results["notes"]
    assert shape(results) == SHAPE
    assert {"machine", "date", "notes", *SHAPE} == set(results)
    # Every part that can run here ran through, and no letter of it was held for review.
    assert not [note for note in notes if "could not run" in note or " held " in note], notes
    # No wrk, no nginx, no PostgreSQL needed.
    assert measured(figures(results, "delivery"))
    assert measured([results["memory"]["worker_mb"]])
    assert measured(figures(results, "secure_delete", "submit"))
    assert measured(figures(results, "secure_delete", "erasure"))
    # The seeded parts are left out, and say so.
    assert figures(results, "growth") == [None, None, None]
    assert figures(results, "staff") == [None, None]
    assert "growth: skipped (--actions 0)" in notes
    assert "staff: skipped (--actions 0)" in notes
    # The list of letters through the API is measured on the unseeded site alone.
    api = results["api"]
    unseeded = [api.pop("unseeded_rps"), api.pop("unseeded_deep_rps")]
    assert list(api.values()) == [None] * 6
    page = results["page"]
    gunicorn = [
        page["gunicorn_rps"],
        page["gunicorn_p99_ms"],
        page["during_submits_rps"],
        results["memory"]["web_mb"],
    ]
    through_nginx = [page[name] for name in ("rps", "p99_ms", "static_rps", "ratio")]
    if has_wrk:
        assert measured(gunicorn)
        assert measured(submit_alone(results, "sqlite"))
        assert measured([*through_nginx, page["gunicorn_ratio"]]) is has_nginx
        assert measured(submit_through_nginx(results, "sqlite")) is has_nginx
        assert measured(unseeded)
        assert any(note.startswith("api: list_rps not measured (--actions 0)") for note in notes)
    else:
        assert [*gunicorn, *through_nginx, *unseeded] == [None] * 10
        assert figures(results, "submit", "sqlite") == [None] * 7
        assert any(note.startswith("wrk is not installed") for note in notes)
    if has_wrk and postgres:
        assert measured(submit_alone(results, "postgres"))
        assert measured(submit_through_nginx(results, "postgres")) is has_nginx
    else:
        assert figures(results, "submit", "postgres") == [None] * 7
    if has_wrk and not postgres:
        assert "submit (PostgreSQL): not measured (BENCH_POSTGRES_URL is empty)" in notes
