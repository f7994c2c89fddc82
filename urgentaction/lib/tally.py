"""Counters kept in a table, added to by one atomic statement: each row is created with
the given amounts, or they are added to the row with the same key (``INSERT ... ON
CONFLICT DO UPDATE``, which PostgreSQL and SQLite 3.24+ both take), as core/ratelimit.py
counts hits. Writers never read a counter first, so concurrent ones never lose a count."""

from django.db import DEFAULT_DB_ALIAS, connections, models

from urgentaction.lib.compiled import statement_cursor


def add(
    model: type[models.Model],
    rows: list[dict[str, object]],
    *,
    key: tuple[str, ...],
    amounts: tuple[str, ...],
    latest: tuple[str, ...] = (),
) -> None:
    """Add each row's ``amounts`` to the row of ``model`` with the same ``key`` values,
    creating it if need be, and set its ``latest`` columns to the row's values. ``key``
    names exactly the fields of one of the model's unique constraints; no two ``rows``
    may share a key."""
    if not rows:
        return
    # The connection itself, not django.db.connection's thread-local lookup on every read.
    database = connections[DEFAULT_DB_ALIAS]
    names = (*key, *amounts, *latest)
    fields = [model._meta.get_field(name) for name in names]
    quote = database.ops.quote_name
    column = {name: quote(field.column) for name, field in zip(names, fields, strict=True)}
    table = quote(model._meta.db_table)
    changes = [f"{column[n]} = {table}.{column[n]} + excluded.{column[n]}" for n in amounts]
    changes += [f"{column[n]} = excluded.{column[n]}" for n in latest]
    one_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    params = [
        field.get_db_prep_save(row[name], database)
        for row in rows
        for name, field in zip(names, fields, strict=True)
    ]
    with statement_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(column.values())}) "  # noqa: S608
            f"VALUES {', '.join([one_row] * len(rows))} "
            f"ON CONFLICT ({', '.join(column[name] for name in key)}) "
            f"DO UPDATE SET {', '.join(changes)}",
            params,
        )
