"""Django's SQLite backend, with writers taking turns at a lock the kernel hands on.

Every transaction here begins with ``BEGIN IMMEDIATE``, which takes the database's one
write lock. A writer that finds it taken waits in SQLite's busy handler, which sleeps
(1, 2, 5 ... up to 100 ms) and tries again: under load the lock often lies free while
every waiter sleeps, and whoever wakes first gets it, so a submit can wait a second
behind later ones. Here each transaction first takes an exclusive ``flock`` on a file
beside the database (``<name>-writer``); the kernel wakes a waiter the moment the lock
is let go, so the write lock passes straight from one transaction to the next. The lock
is let go at commit or rollback, and by the kernel if the process dies.

Statements outside a transaction (autocommit) do not take turns: they still wait in the
busy handler, as before.

A writer also copies the log's pages into the database file (a checkpoint) once its
turn is over, every ``CHECKPOINT_EVERY`` commits of its own. SQLite's automatic
checkpoint, every 1,000 pages of log, runs inside the commit, while the writer still
holds its turn: everyone else waited while it wrote and synced those pages, which in a
large database are a page each of several indexes a letter (measured in
docs/performance.md). It is left on behind ours, for the writes that take no turn.

Its cursors also remember each statement's translation from Django's placeholders to
SQLite's, which Django makes again with a regular expression on every execution."""

import fcntl
import logging
import os
from functools import lru_cache
from typing import IO

from django.db.backends.sqlite3 import base

logger = logging.getLogger(__name__)
# Small checkpoints, each soon done. Every 50 commits (about 700 pages of log each in a
# database of a million letters), the turns that followed a checkpoint still waited for
# the disk now and then (docs/performance.md).
CHECKPOINT_EVERY = 10


class Cursor(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmarks(query)
        return super().convert_query(query, param_names=param_names)


@lru_cache(maxsize=1024)
def _qmarks(query: str) -> str:
    """``query`` with SQLite's placeholders, remembered for the statements run most (a
    site runs a few hundred distinct ones)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class DatabaseWrapper(base.DatabaseWrapper):
    _turns: IO[bytes] | None = None
    _commits = 0

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=Cursor)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._close_turns()
        if not self.is_in_memory_db():
            self._turns_path = f"{conn_params['database']}-writer"
            self._turns, self._turns_pid = _turns_file(self._turns_path), os.getpid()
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        if self._turns is not None:
            if self._turns_pid != os.getpid():
                # A forked child shares its parent's open file, and with it the lock.
                self._turns.close()
                self._turns, self._turns_pid = _turns_file(self._turns_path), os.getpid()
            fcntl.flock(self._turns, fcntl.LOCK_EX)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._end_turn()
        self._commits += 1
        if self._turns is not None and self._commits % CHECKPOINT_EVERY == 0:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """As much of the log as no reader still needs, copied into the database file
        beside the other writers (PASSIVE: it waits for nobody)."""
        try:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except base.Database.Error as error:
            # The letter is committed: the next checkpoint, or SQLite's own, will do.
            logger.warning("SQLite checkpoint failed: %s", error)

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._end_turn()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._close_turns()

    def _close_turns(self) -> None:
        if self._turns is not None:
            self._turns.close()
            self._turns = None

    def _end_turn(self) -> None:
        if self._turns is not None:
            fcntl.flock(self._turns, fcntl.LOCK_UN)


def _turns_file(path: str) -> IO[bytes]:
    # Each connection opens its own, so that threads of one process take turns too.
    return open(path, "ab")
