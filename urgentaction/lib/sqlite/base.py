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
busy handler, as before."""

import fcntl
import os
from typing import IO

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _turns: IO[bytes] | None = None

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
