"""SQLite's writers take turns at a lock the kernel hands on (lib/sqlite/base.py),
instead of sleeping in SQLite's busy handler and trying again."""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from urgentaction.lib.sqlite import base as sqlite_base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own write lock"),
]


def writer():
    """A connection of its own, as another process or thread has, whose busy handler
    gives up at once: it finds SQLite's write lock taken only if it did not wait its turn."""
    other = connections.create_connection("default")
    other.ensure_connection()
    other.connection.execute("PRAGMA busy_timeout=0")
    return other


def write(other, name: str) -> None:
    other._start_transaction_under_autocommit()
    other.connection.execute(
        "INSERT INTO django_content_type (app_label, model) VALUES (?, ?)", ("t", name)
    )


class Second(threading.Thread):
    """A second writer, in a thread with a connection of its own."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.row, self.outcome = name, []

    def run(self) -> None:
        other = writer()
        try:
            write(other, self.row)
            other.commit()
            self.outcome.append("written")
        except Exception as error:
            self.outcome.append(error)
        finally:
            other.close()


def rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT model FROM django_content_type WHERE app_label = 't' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_writer_waits_for_the_transaction_before_it_then_writes():
    first = writer()
    write(first, "first")

    second = Second("second")
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive(), second.outcome  # waiting its turn, not refused
    first.commit()
    second.join(timeout=30)
    first.close()

    assert second.outcome == ["written"]
    assert rows() == ["first", "second"]


def test_a_rolled_back_transaction_hands_on_its_turn():
    first = writer()
    write(first, "undone")
    first.rollback()

    second = Second("kept")
    second.start()
    second.join(timeout=30)
    first.close()

    assert second.outcome == ["written"]
    assert rows() == ["kept"]


def in_the_database_file(prefix: str) -> list[str]:
    """The rows the database file itself holds, without the log's pages not yet copied
    into it (``immutable``: SQLite then reads the file alone)."""
    path = connection.settings_dict["NAME"]
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as alone:
        found = alone.execute(
            "SELECT model FROM django_content_type WHERE model LIKE ? ORDER BY id", (f"{prefix}%",)
        )
        return [row[0] for row in found]


def test_a_writer_copies_the_log_into_the_database_file_every_few_commits(monkeypatch):
    monkeypatch.setattr(sqlite_base, "CHECKPOINT_EVERY", 3)
    # Open, so that the writer's connection is not the last one (which checkpoints as it
    # closes).
    connection.ensure_connection()
    first = writer()
    # SQLite's own checkpoint, every 1,000 pages of log, out of the way.
    first.connection.execute("PRAGMA wal_autocheckpoint=0")
    for name in ("logged-1", "logged-2"):
        write(first, name)
        first.commit()
    assert in_the_database_file("logged-") == []

    write(first, "logged-3")
    first.commit()
    copied = in_the_database_file("logged-")
    first.close()

    assert copied == ["logged-1", "logged-2", "logged-3"]


class CheckpointFails:
    """SQLite's connection, but for the checkpoint, which fails as a full disk would."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, sql: str, *args):
        if "wal_checkpoint" in sql:
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


def test_a_checkpoint_that_fails_leaves_the_commit_before_it_standing(monkeypatch, caplog):
    monkeypatch.setattr(sqlite_base, "CHECKPOINT_EVERY", 1)
    first = writer()
    write(first, "kept-despite")
    first.connection = CheckpointFails(first.connection)
    first.commit()
    first.connection = first.connection.real
    first.close()

    assert rows() == ["kept-despite"]
    assert "SQLite checkpoint failed: database or disk is full" in caplog.text
