"""Django's SQLite backend, waiting for the write lock in short steps.

Every transaction begins with BEGIN IMMEDIATE (settings: `transaction_mode`), which takes the
database's one write lock or waits for it. SQLite's own wait (its busy handler) sleeps 1, 2, 5, 10,
15 … ms between tries, so a request queued behind another worker's 3 ms transaction slept 8 ms.
Here BEGIN IMMEDIATE is retried after 0.1 ms, then after twice as long each time up to 2 ms, for as
long as the connection's busy timeout allows. Measured with two processes posting progress reports
as fast as they can: mean 6.2–6.8 → 4.9–5.2 ms a report, p95 8.4–9.6 → 6.8 ms.
"""

import sqlite3
import time

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    first_wait = 0.0001  # seconds
    longest_wait = 0.002

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE":
            return super()._start_transaction_under_autocommit()
        with self.wrap_database_errors:
            cursor = self.connection.cursor()
            try:
                (timeout_ms,) = cursor.execute("PRAGMA busy_timeout").fetchone()
                # Off while BEGIN waits here: SQLite's handler would sleep in its own steps first.
                cursor.execute("PRAGMA busy_timeout = 0")
                try:
                    self._begin_immediate(cursor, time.monotonic() + timeout_ms / 1000)
                finally:
                    cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
            finally:
                cursor.close()

    def _begin_immediate(self, cursor, deadline: float):
        wait = self.first_wait
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                busy = error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() + wait > deadline:
                    raise
            time.sleep(wait)
            wait = min(wait * 2, self.longest_wait)
