"""Small queries run on every request, compiled to SQL once per process: for an indexed
lookup of a row or two, or an insert of a few rows, Django builds a statement's SQL in
more time than the database takes to run it.

A query is built once with placeholder values (``compile_once``), which ``fetch``
replaces with each call's own, as the database takes them (a field's
``get_db_prep_value``). Its rows come back as the database returns them, by column
name, without the ORM's conversions. An ``Insert`` writes model instances as
``bulk_create`` would, from SQL built once for each number of rows."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, cached_property
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict

Compiled = Callable[[], tuple[str, tuple]]


def compile_once(build: Callable[[], QuerySet]) -> Compiled:
    """The SQL and parameters of the QuerySet ``build`` makes, worked out on first use."""
    return cache(lambda: build().query.sql_with_params())


def fetch(compiled: Compiled, values: dict[object, object]) -> list[dict[str, object]]:
    """Run ``compiled`` with each placeholder parameter replaced by its value in
    ``values`` (keyed by the placeholder as the database takes it)."""
    sql, params = compiled()
    with statement_cursor() as cursor:
        cursor.execute(sql, [values.get(param, param) for param in params])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def statement_cursor() -> Iterator[CursorWrapper]:
    """A cursor on the default database for a statement or two, kept from one call to
    the next for as long as the same connection is open: a new cursor costs about as
    much as a short statement (psycopg copies the connection's adapters into each and
    makes each type's dumper again). Where queries are logged (DEBUG, a test counting
    them) each call has a cursor of its own, as ``connection.cursor()`` gives."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.queries_logged:
        with database.cursor() as cursor:
            yield cursor
        return
    # As connection.cursor() does first (where CONN_HEALTH_CHECKS is on): a connection
    # that fails it is closed, and a new one opened below.
    database.close_if_health_check_failed()
    kept_on, cursor = _kept_cursors.get(database, (None, None))
    if database.connection is None or kept_on is not database.connection:
        cursor = database.cursor()
        _kept_cursors[database] = (database.connection, cursor)
    yield cursor


# Each connection wrapper's kept cursor, with the connection it was made on (a wrapper
# opens another once its connection is closed, or taken back by a pool).
_kept_cursors: WeakKeyDictionary = WeakKeyDictionary()


class Insert:
    """New rows of ``model``, written as ``QuerySet.bulk_create`` writes them (each
    field's value from its ``pre_save``, as the database takes it from its
    ``get_db_prep_save``: an encrypted field's encrypted) in one ``INSERT ... RETURNING``
    whose SQL is built once per process for each number of rows. Like ``bulk_create`` it
    sends no signals and calls no ``save()``. With ``unique``: a row that clashes with a
    stored one on those fields updates the stored row's ``update`` fields from it
    (``ON CONFLICT ... DO UPDATE``) and takes its id."""

    def __init__(
        self, model: type[Model], *, unique: Sequence[str] = (), update: Sequence[str] = ()
    ) -> None:
        self.model = model
        self.unique, self.update = tuple(unique), tuple(update)

    @cached_property
    def fields(self) -> list[Field]:
        """Every column but the id, which the database gives."""
        meta = self.model._meta
        return [field for field in meta.concrete_fields if field is not meta.pk]

    def save(self, objs: Sequence[Model], *, stored: Mapping[str, object] | None = None) -> None:
        """Insert ``objs`` and give each its row's id. ``stored``: the values of some
        fields as the database takes them, for every row instead of the objects' own (a
        value encrypted once for several rows)."""
        self.rows(objs, stored=stored).save()

    def rows(
        self,
        objs: Sequence[Model],
        *,
        stored: Mapping[str, object] | None = None,
        later: Sequence[str] = (),
    ) -> "Rows":
        """``objs`` made ready to insert (as ``save`` takes them), each field's value
        worked out now but for the fields named in ``later``, which are read from the
        objects when the rows are saved: values known only then, such as the id of a row
        inserted in between. What can be worked out before a transaction then costs it
        nothing (on SQLite it holds the database's one write lock)."""
        return Rows(self, objs, stored or {}, later)

    @cache  # noqa: B019 (an Insert lives as long as the process)
    def sql(self, rows: int) -> str:
        """The statement that inserts ``rows`` rows."""
        database = connections[DEFAULT_DB_ALIAS]
        if not database.features.can_return_rows_from_bulk_insert:
            raise NotSupportedError("Insert needs INSERT ... RETURNING of several rows")
        ops, meta = database.ops, self.model._meta
        columns = ", ".join(ops.quote_name(field.column) for field in self.fields)
        row = f"({', '.join(['%s'] * len(self.fields))})"
        sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        sql += ", ".join([row] * rows)
        if self.unique:
            sql += " " + ops.on_conflict_suffix_sql(
                self.fields,
                OnConflict.UPDATE,
                [meta.get_field(name).column for name in self.update],
                [meta.get_field(name).column for name in self.unique],
            )
        returning, _params = ops.return_insert_columns([meta.pk])
        return f"{sql} {returning}"


class Rows:
    """Rows of an ``Insert`` made ready (``Insert.rows``), to insert with ``save``."""

    def __init__(
        self,
        insert: Insert,
        objs: Sequence[Model],
        stored: Mapping[str, object],
        later: Sequence[str],
    ) -> None:
        self.insert, self.objs = insert, objs
        # The connection itself: each attribute read through django.db.connection goes
        # through a thread-local lookup, and a row's values read a few each.
        database = connections[DEFAULT_DB_ALIAS]
        self.later = [field for field in insert.fields if field.name in later]
        missing = set(later) - {field.name for field in self.later}
        if missing:
            raise ValueError(f"{insert.model.__name__} has no field {', '.join(missing)}")
        now = [field for field in insert.fields if field.name not in later]
        self.params = [
            {
                field.name: stored[field.name]
                if field.name in stored
                else _prepared(field, obj, database)
                for field in now
            }
            for obj in objs
        ]

    def save(self) -> None:
        """Insert the rows, with the ``later`` fields' values as the objects hold them
        now, and give each object its row's id."""
        if not self.objs:
            return
        database = connections[DEFAULT_DB_ALIAS]
        params = []
        for obj, row in zip(self.objs, self.params, strict=True):
            for field in self.later:
                row[field.name] = _prepared(field, obj, database)
            params += [row[field.name] for field in self.insert.fields]
        with statement_cursor() as cursor:
            cursor.execute(self.insert.sql(len(self.objs)), params)
            rows = cursor.fetchall()
        for obj, (pk,) in zip(self.objs, rows, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = database.alias


def _prepared(field: Field, obj: Model, database) -> object:
    """``obj``'s value of ``field`` as the database takes it, as a model's save makes it."""
    return field.get_db_prep_save(field.pre_save(obj, True), database)
