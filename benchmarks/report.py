"""The results of ``make bench``: their shape (the contract of latest.json), where they
were measured, and the table printed at the end."""

import contextlib
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from stack import ROOT


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}"
        + (f", {model}" if model else "")
        + f", Python {platform.python_version()}"
    )


def code_version() -> str:
    """The commit measured, and whether the application's code differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "urgentaction"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "code: not a git checkout"
    if changed:
        return f"code: commit {commit} with {len(changed)} uncommitted changes in urgentaction/"
    return f"code: commit {commit}"


def empty_results() -> dict:
    return {
        "machine": machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "page": {
            "rps": None,
            "p99_ms": None,
            "static_rps": None,
            "ratio": None,
            "gunicorn_rps": None,
            "gunicorn_p99_ms": None,
            "gunicorn_ratio": None,
            "during_submits_rps": None,
        },
        "submit": {
            kind: {
                "rps": None,
                "p99_ms": None,
                "raw_rps": None,
                "ratio": None,
                "gunicorn_rps": None,
                "gunicorn_p99_ms": None,
                "gunicorn_ratio": None,
            }
            for kind in ("sqlite", "postgres")
        },
        "delivery": {
            "rps": None,
            "raw_rps": None,
            "ratio": None,
            "update_100k_s": None,
            "update_people": None,
            "update_s": None,
            "update_fan_out_s": None,
        },
        "growth": {"submit_ratio": None, "page_ratio": None, "bytes_per_action": None},
        "api": {
            "list_rps": None,
            "p99_ms": None,
            "deep_rps": None,
            "deep_p99_ms": None,
            "unseeded_rps": None,
            "unseeded_deep_rps": None,
            "ratio": None,
            "deep_ratio": None,
        },
        "memory": {"web_mb": None, "worker_mb": None},
        "staff": {"dashboard_ms": None, "home_ms": None},
        "secure_delete": {
            operation: {"on_ms": None, "off_ms": None, "ratio": None}
            for operation in ("submit", "erasure")
        },
        "notes": [],
    }


def table(results: dict) -> str:
    def number(value, digits=0) -> str:
        return "n/a" if value is None else f"{value:,.{digits}f}"

    page, submit, delivery = results["page"], results["submit"], results["delivery"]
    growth, memory, staff = results["growth"], results["memory"], results["staff"]
    api = results["api"]
    rows = [
        ("figure", "measured", "reference", "ratio"),
        (
            "page, nginx cache: requests/s",
            number(page["rps"]),
            f"{number(page['static_rps'])} (nginx)",
            number(page["ratio"], 3),
        ),
        ("page, nginx cache: p99 ms", number(page["p99_ms"], 1), "", ""),
        (
            "page, gunicorn alone: requests/s",
            number(page["gunicorn_rps"]),
            f"{number(page['static_rps'])} (nginx)",
            number(page["gunicorn_ratio"], 3),
        ),
        ("page, gunicorn alone: p99 ms", number(page["gunicorn_p99_ms"], 1), "", ""),
        (
            "page, gunicorn, 50 letters/s beside it: requests/s",
            number(page["during_submits_rps"]),
            f"{number(page['gunicorn_rps'])} (alone)",
            "",
        ),
    ]
    for kind, name in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        figures = submit[kind]
        rows += [
            (
                f"submit {name}, nginx: actions/s",
                number(figures["rps"]),
                f"{number(figures['raw_rps'])} (loop)",
                number(figures["ratio"], 3),
            ),
            (f"submit {name}, nginx: p99 ms", number(figures["p99_ms"]), "", ""),
            (
                f"submit {name}, gunicorn alone: actions/s",
                number(figures["gunicorn_rps"]),
                f"{number(figures['raw_rps'])} (loop)",
                number(figures["gunicorn_ratio"], 3),
            ),
            (f"submit {name}, gunicorn alone: p99 ms", number(figures["gunicorn_p99_ms"]), "", ""),
        ]
    rows += [
        (
            "delivery: letters/s",
            number(delivery["rps"]),
            f"{number(delivery['raw_rps'])} (smtplib)",
            number(delivery["ratio"], 3),
        ),
        (
            "update to 100,000: s",
            number(delivery["update_100k_s"]),
            "600 (aim)",
            "",
        ),
        ("growth: submit actions/s", "", "1M / empty", number(growth["submit_ratio"], 3)),
        ("growth: page p99", "", "1M / empty", number(growth["page_ratio"], 3)),
        ("growth: bytes a letter", number(growth["bytes_per_action"]), "4 KB (aim)", ""),
        (
            "API list: requests/s (1M)",
            number(api["list_rps"]),
            f"{number(api['unseeded_rps'])} (empty)",
            number(api["ratio"], 3),
        ),
        (
            "API list, deep page: requests/s",
            number(api["deep_rps"]),
            f"{number(api['unseeded_deep_rps'])} (empty)",
            number(api["deep_ratio"], 3),
        ),
        ("memory: web process MB", number(memory["web_mb"], 1), "", ""),
        ("memory: worker MB", number(memory["worker_mb"], 1), "", ""),
        ("staff home ms (1M letters)", number(staff["home_ms"], 1), "500 (aim)", ""),
        ("dashboard ms (1M letters)", number(staff["dashboard_ms"], 1), "500 (aim)", ""),
    ]
    for operation, figures in results["secure_delete"].items():
        rows.append(
            (
                f"{operation} ms, secure_delete on",
                number(figures["on_ms"], 1),
                f"{number(figures['off_ms'], 1)} (off)",
                number(figures["ratio"], 3),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
