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

Its cursors also remember each statement's translation from Django's placeholders to
SQLite's, which Django makes again with a regular expression on every execution."""

import fcntl
import os
from functools import lru_cache
from typing import IO

from django.db.backends.sqlite3 import base


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
