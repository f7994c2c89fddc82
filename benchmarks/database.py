"""The database side of the benchmarks: which rows a submit really writes, the plain Python
loop that writes the same rows (the reference for the submit figures), a fast bulk seed of
stored actions with an unseeded copy to compare it with, and the throwaway PostgreSQL
database.

The reference loop writes, per action and in one transaction, a copy of each row that one
real submit wrote (found by counting every table before and after it), with its unique
columns made new and its links pointing at the new rows; on SQLite with the site's own
durability (WAL, synchronous=FULL, BEGIN IMMEDIATE), on PostgreSQL with the server's
default synchronous_commit.
"""

import os
import secrets
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

# Tables in the order a submit fills them (a row may point only at rows before it).
ORDER = [
    "supporters_supporter",
    "actions_action",
    "actions_delivery",
    "actions_confirmationlink",
    "supporters_consent",
    "mailings_outboundemail",
]
# Columns with a unique constraint, and how to make a new value of the same shape.
UNIQUE = {
    "email_hash": lambda: secrets.token_hex(32),
    "token_hash": lambda: secrets.token_hex(32),
    "bounce_token": lambda: secrets.token_hex(16),
    "form_token": lambda: uuid.uuid4(),
    "message_id": lambda: f"<{uuid.uuid4().hex}@example.org>",
}
IGNORED = {"cache", "django_session", "sqlite_sequence"}
# The rows one submit wrote: table -> column -> value.
Template = dict[str, dict[str, object]]


class Database:
    """A connection to the site's database, SQLite (a path) or PostgreSQL (a URL)."""

    def __init__(self, *, sqlite_path: Path | None = None, postgres_url: str | None = None):
        self.sqlite = sqlite_path is not None
        if self.sqlite:
            self.connection = sqlite3.connect(sqlite_path, isolation_level=None, timeout=20)
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
                self.connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            self.connection = psycopg.connect(postgres_url, autocommit=True)

    def close(self) -> None:
        self.connection.close()

    def analyse(self) -> None:
        """PostgreSQL: the tables' statistics brought up to date, as autovacuum (on by
        default, off on this project's servers) would have by now; plans prepared on
        nearly empty tables are made again. SQLite plans without statistics."""
        if not self.sqlite:
            self.connection.execute("ANALYZE")

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self.connection.execute(sql, params).fetchall()

    def tables(self) -> list[str]:
        if self.sqlite:
            rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(name for (name,) in rows if name not in IGNORED)

    def counts(self) -> dict[str, int]:
        return {
            table: self.query(f'SELECT count(*) FROM "{table}"')[0][0]  # noqa: S608
            for table in self.tables()
        }

    def held_for_review(self) -> int:
        """Letters the site held for a person to review (0 where it has no such thing):
        the benchmark's letters should be ordinary ones."""
        try:
            return self.query("SELECT count(*) FROM actions_action WHERE review = 'held'")[0][0]
        except Exception:
            return 0

    def newest(self, table: str) -> dict[str, object]:
        cursor = self.connection.execute(
            f'SELECT * FROM "{table}" ORDER BY id DESC LIMIT 1'  # noqa: S608
        )
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def rows_of_a_submit(db: Database, before: dict[str, int]) -> tuple[Template, list[str]]:
    """What one submit wrote: the newest row of each table that grew since ``before`` and
    belongs to the letter (a table of ORDER, or one pointing at a row of those), in the
    order they are written; and the names of other tables that grew (counters, say),
    which the reference loop does not copy."""
    after = db.counts()
    grown = {table: after[table] - before.get(table, 0) for table in after}
    grown = {table: count for table, count in grown.items() if count}
    template = {table: db.newest(table) for table in ORDER if table in grown}
    others = []
    for table in sorted(set(grown) - set(ORDER)):
        candidate = {**template, table: db.newest(table)}
        if any(source == table for source, _column in links(candidate)):
            template = candidate
        else:
            others.append(f"{table} ({grown[table]} rows)")
    several = {table: grown[table] for table in template if grown[table] != 1}
    if several:
        raise RuntimeError(f"one submit added more than one row to {several}")
    return template, others


def rows_written(path: Path, write: Callable[[], object]) -> Template:
    """The rows that ``write()`` adds to the SQLite database at ``path``, as
    ``rows_of_a_submit`` finds them, for the bulk seed to copy."""
    db = Database(sqlite_path=path)
    try:
        before = db.counts()
        write()
        template, _others = rows_of_a_submit(db, before)
    finally:
        db.close()
    return template


def reference_loop(db: Database, template: Template, seconds: float) -> dict:
    """Write copies of ``template``'s rows, one action per transaction, for ``seconds``;
    return actions/s and the 99th percentile of one transaction's time."""
    statements, pointers = _plan(db, template)
    connection = db.connection
    times = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        begun = time.perf_counter()
        now = datetime.now(UTC)
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if db.sqlite else now
        new_ids: dict[str, object] = {}
        if db.sqlite:
            connection.execute("BEGIN IMMEDIATE")
        else:
            connection.execute("BEGIN")
        try:
            for table, sql, columns in statements:
                values = []
                for column in columns:
                    value = template[table][column]
                    if column in UNIQUE:
                        value = UNIQUE[column]()
                        if db.sqlite and column == "form_token":
                            value = value.hex
                    elif (table, column) in pointers:
                        value = new_ids[pointers[(table, column)]]
                    elif column.endswith("_at") and value is not None:
                        value = stamp
                    elif isinstance(value, dict | list):
                        from psycopg.types.json import Jsonb

                        value = Jsonb(value)
                    values.append(value)
                cursor = connection.execute(sql, values)
                new_ids[table] = cursor.lastrowid if db.sqlite else cursor.fetchone()[0]
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        times.append(time.perf_counter() - begun)
    elapsed = time.perf_counter() - started
    times.sort()
    return {
        "actions": len(times),
        "rps": len(times) / elapsed,
        "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
    }


def links(template: Template) -> dict[tuple[str, str], str]:
    """Which columns of the template's rows point at another row of the same submit:
    (table, column) -> the table pointed at (``supporter_id`` -> supporters_supporter)."""
    found = {}
    tables = list(template)
    for index, table in enumerate(tables):
        for column, value in template[table].items():
            for earlier in tables[:index]:
                model = earlier.split("_", 1)[1]
                if column == f"{model}_id" and value == template[earlier]["id"]:
                    found[(table, column)] = earlier
    return found


def _plan(db: Database, template: Template):
    """An INSERT per table, and which columns point at a row written before it."""
    statements = []
    for table, row in template.items():
        columns = [column for column in row if column != "id"]
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join(["?" if db.sqlite else "%s"] * len(columns))
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608
        if not db.sqlite:
            sql += " RETURNING id"
        statements.append((table, sql, columns))
    return statements, links(template)


# A seeded action is a letter that was confirmed and delivered: these columns differ from
# the held letter a submit writes (where the table has them).
SEEDED = {
    "actions_action": {"confirmed_at": "stamp", "counted_at": "stamp"},
    "actions_delivery": {"status": "sent", "attempts": 1, "sent_at": "stamp"},
    "mailings_outboundemail": {"status": "sent", "attempts": 1, "sent_at": "stamp"},
}
# The i-th seeded letter was written, confirmed and delivered SEED_START plus i seconds
# (and i + 1 microseconds, never a whole second, which Django would store without its
# ".000000" and so compare unequal): every letter has a time of its own, as on a site
# that grew, and the API's keyset pages over (updated_at, id) read them as they would.
SEED_START = "2026-01-01 12:00:00"
SEED_STAMP = "printf('%s.%06d', datetime(?, '+' || i || ' seconds'), 1 + i % 999999)"
# SQLite expressions for new unique values, per row.
UNIQUE_SQL = {
    "email_hash": "lower(hex(randomblob(32)))",
    "token_hash": "lower(hex(randomblob(32)))",
    "bounce_token": "lower(hex(randomblob(16)))",
    "form_token": "lower(hex(randomblob(16)))",
    "message_id": "'<' || lower(hex(randomblob(16))) || '@example.org>'",
}


def copy_site(data: Path, copy: Path) -> None:
    """A copy of the SQLite site in ``data`` (its database, by SQLite's backup, and its
    collected static files) in ``copy``. No site may be writing to it meanwhile."""
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("db.sqlite3*", "*.log"))
    source = sqlite3.connect(data / "db.sqlite3")
    target = sqlite3.connect(copy / "db.sqlite3")
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def seed_actions(path: Path, count: int, template: Template) -> float:
    """Add ``count`` stored actions to the SQLite database at ``path``, each with a copy of
    every row one real submit wrote (``template``), as a letter that was then confirmed
    and delivered, a second after the one before it (SEED_STAMP), and count them on their
    campaign. No other connection may be open. Returns the seconds it took."""
    campaign = template["actions_action"]["campaign_id"]
    return seed_rows(
        path,
        count,
        template,
        then=(
            "UPDATE campaigns_campaign SET action_count = action_count + ? WHERE id = ?",
            (count, campaign),
        ),
    )


def seed_rows(
    path: Path, count: int, template: Template, *, then: tuple[str, tuple] | None = None
) -> float:
    """Add ``count`` copies of ``template``'s rows to the SQLite database at ``path`` with
    bulk SQL (INSERT ... SELECT over a recursive count, in one transaction, with ``then``,
    a statement and its parameters, at its end), their unique columns new, their links to
    each other kept, each copy's times a second after the one before. No other connection
    may be open. Returns the seconds it took."""
    started = time.perf_counter()
    pointers = links(template)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        # No journal: a seed, not a durable write. The site's WAL mode is set back after.
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-1000000")
        base = {
            table: db.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in template
        }
        db.execute("BEGIN")
        for table, row in template.items():
            columns, expressions, values = [], [], []
            for column, value in row.items():
                columns.append(f'"{column}"')
                if column == "id":
                    expressions.append(f"{int(base[table])} + i")
                elif (table, column) in pointers:
                    expressions.append(f"{int(base[pointers[(table, column)]])} + i")
                elif column in UNIQUE_SQL:
                    expressions.append(UNIQUE_SQL[column])
                else:
                    value = SEEDED.get(table, {}).get(column, value)
                    if value == "stamp" or (column.endswith("_at") and value is not None):
                        expressions.append(SEED_STAMP)
                        values.append(SEED_START)
                    else:
                        expressions.append("?")
                        values.append(value)
            # Table and column names come from the database itself; values are bound.
            numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            insert = f'INSERT INTO "{table}" ({", ".join(columns)}) '
            select = f"SELECT {', '.join(expressions)} FROM n"  # noqa: S608
            db.execute(numbers + insert + select, (count, *values))
        if then is not None:
            db.execute(*then)
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
    # Written without syncing: put it on disk now, as a site that grew would have it, so
    # that gigabytes of writeback do not fall into the runs that follow.
    with path.open("rb+") as file:
        os.fsync(file.fileno())
    return time.perf_counter() - started


def letters(path: Path) -> int:
    """How many letters the SQLite database at ``path`` holds."""
    db = Database(sqlite_path=path)
    try:
        return db.query("SELECT count(*) FROM actions_action")[0][0]
    finally:
        db.close()


def admin_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{database}").geturl()


def create_postgres(url: str, name: str) -> str:
    """Create the database ``name`` on the server of ``url``; return its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url(url, name)


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_setting(url: str, name: str) -> str:
    """A setting of the PostgreSQL server at ``url``, as ``SHOW`` gives it."""
    db = Database(postgres_url=url)
    try:
        return db.query(f"SHOW {name}")[0][0]
    finally:
        db.close()
