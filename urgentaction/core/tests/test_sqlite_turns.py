"""SQLite's writers take turns at a lock the kernel hands on (lib/sqlite/base.py),
instead of sleeping in SQLite's busy handler and trying again."""

import threading

import pytest
from django.db import connection, connections

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
