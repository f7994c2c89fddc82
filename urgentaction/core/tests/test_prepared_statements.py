"""On PostgreSQL, a statement that a connection runs often is prepared there, and so no
longer planned on each run (settings: ``server_side_binding``, ``prepare_threshold``)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own"),
]

STATEMENT = "SELECT count(*) FROM django_migrations WHERE app = %s"


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_it_prepares_a_statement_run_often_with_its_values_apart():
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute(STATEMENT, ["core"])

    assert STATEMENT.replace("%s", "$1") in prepared()
