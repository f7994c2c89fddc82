"""lib/compiled.py's statement_cursor: one cursor kept per open connection, a cursor of
its own for each statement where queries are logged."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext

from urgentaction.lib.compiled import statement_cursor


def answer(value: int) -> int:
    with statement_cursor() as cursor:
        cursor.execute("SELECT %s", [value])
        return cursor.fetchone()[0]


def cursor_now():
    with statement_cursor() as cursor:
        return cursor


@pytest.mark.django_db
def test_it_keeps_one_cursor_for_the_statements_on_one_connection():
    assert answer(1) == 1
    kept = cursor_now()
    assert answer(2) == 2
    assert cursor_now() is kept


@pytest.mark.django_db(transaction=True)
def test_it_makes_a_new_cursor_once_its_connection_is_closed():
    assert answer(1) == 1
    kept = cursor_now()
    connection.close()
    assert answer(3) == 3
    assert cursor_now() is not kept


@pytest.mark.django_db
def test_it_gives_each_statement_a_cursor_of_its_own_where_queries_are_logged():
    answer(1)
    kept = cursor_now()
    with CaptureQueriesContext(connection) as logged:
        assert answer(4) == 4
        assert cursor_now() is not kept
    assert [query["sql"] for query in logged.captured_queries] == ["SELECT 4"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_fails_its_health_check_is_replaced_as_django_replaces_it(
    monkeypatch,
):
    answer(1)
    database = connections[DEFAULT_DB_ALIAS]
    first = database.connection
    monkeypatch.setattr(database, "health_check_enabled", True)
    # As at the start of each request (django.db.close_old_connections).
    monkeypatch.setattr(database, "health_check_done", False)
    monkeypatch.setattr(database, "is_usable", lambda: False)
    assert answer(5) == 5
    # A pool checks the connections it hands out itself (Django checks none of them).
    pooled = getattr(database, "pool", None) is not None
    assert (database.connection is first) is pooled
    assert answer(6) == 6
