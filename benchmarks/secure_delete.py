"""The secure_delete benchmark's rounds, run inside a SQLite site's environment (a Django
process, on the one connection Django keeps open).

``python benchmarks/secure_delete.py SECONDS FILE`` runs rounds for about SECONDS (at
least MIN_ROUNDS, and whole runs of PATTERN), with ``PRAGMA secure_delete`` switched ON
or OFF for each as PATTERN says, on the site's connection, and read back before and after
the round (so that a build whose default differs cannot hide a switch that did not take).
A round writes LETTERS_PER_ROUND letters on the demo campaign through ``take_action`` as
new writers' submits (each with its confirmation email), then erases each of those
writers as ``/my-data/`` does (``erase_supporter``, with the WAL checkpoint after it).
Short rounds in turns let a machine that speeds up or slows down weigh on both settings
alike. Every operation is timed on its own, after a round of warm-up. FILE gets, as JSON,
the SQLite version, its build's default, and each round's setting and milliseconds per
operation.
"""

import itertools
import json
import sqlite3
import sys
import time
from pathlib import Path

from writer import write_letter

ROOT = Path(__file__).resolve().parent.parent
# On and off in turns, each first as often as second.
PATTERN = ("on", "off", "off", "on")
MIN_ROUNDS = 8
LETTERS_PER_ROUND = 4


def switch(setting: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA secure_delete={setting.upper()}")
    check(setting)


def check(setting: str) -> None:
    """The connection's secure_delete is ``setting``, as PRAGMA secure_delete reads it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        (value,) = cursor.fetchone()
    if value != (setting == "on"):
        raise RuntimeError(
            f"secure_delete should be {setting}, and PRAGMA secure_delete reads {value}"
        )


def checkpoint() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def one_round(setting: str, numbers: itertools.count) -> dict:
    from urgentaction.privacy.rights import erase_supporter

    switch(setting)
    submits, supporters = [], []
    for _ in range(LETTERS_PER_ROUND):
        before = time.perf_counter()
        outcome = write_letter(next(numbers), confirmed=False)
        submits.append(1000 * (time.perf_counter() - before))
        supporters.append(outcome.action.supporter)
    # Each erasure's checkpoint then copies back only what that erasure wrote.
    checkpoint()
    erasures = []
    for supporter in supporters:
        before = time.perf_counter()
        erase_supporter(supporter)
        erasures.append(1000 * (time.perf_counter() - before))
    # Still the same connection, with the same setting.
    check(setting)
    return {"setting": setting, "submit_ms": submits, "erasure_ms": erasures}


def run(seconds: float, output: Path) -> None:
    import django

    django.setup()
    # What this build of SQLite does on a connection that does not say.
    default = sqlite3.connect(":memory:").execute("PRAGMA secure_delete").fetchone()[0]
    numbers = itertools.count(1)
    # Not counted: the first letters and erasures of a process compile templates and
    # fill caches.
    one_round(PATTERN[0], numbers)
    rounds = []
    started = time.perf_counter()
    while (
        len(rounds) < MIN_ROUNDS
        or time.perf_counter() - started < seconds
        or len(rounds) % len(PATTERN)
    ):
        rounds.append(one_round(PATTERN[len(rounds) % len(PATTERN)], numbers))
    result = {"sqlite": sqlite3.sqlite_version, "default_on": bool(default), "rounds": rounds}
    output.write_text(json.dumps(result) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/secure_delete.py SECONDS FILE")
    run(float(sys.argv[1]), Path(sys.argv[2]))
