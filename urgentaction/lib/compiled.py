"""Small queries run on every request, compiled to SQL once per process: for an indexed
lookup of a row or two, Django builds a QuerySet's SQL in more time than the database
takes to run it.

A query is built once with placeholder values (``compile_once``), which ``fetch``
replaces with each call's own, as the database takes them (a field's
``get_db_prep_value``). Its rows come back as the database returns them, by column
name, without the ORM's conversions."""

from collections.abc import Callable
from functools import cache

from django.db import connection
from django.db.models import QuerySet

Compiled = Callable[[], tuple[str, tuple]]


def compile_once(build: Callable[[], QuerySet]) -> Compiled:
    """The SQL and parameters of the QuerySet ``build`` makes, worked out on first use."""
    return cache(lambda: build().query.sql_with_params())


def fetch(compiled: Compiled, values: dict[object, object]) -> list[dict[str, object]]:
    """Run ``compiled`` with each placeholder parameter replaced by its value in
    ``values`` (keyed by the placeholder as the database takes it)."""
    sql, params = compiled()
    with connection.cursor() as cursor:
        cursor.execute(sql, [values.get(param, param) for param in params])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
