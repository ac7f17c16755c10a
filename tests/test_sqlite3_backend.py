"""config.sqlite3: BEGIN IMMEDIATE waits for another writer in short steps, within the busy timeout."""

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from config.settings import database_from_url


@pytest.fixture
def open_wrapper(tmp_path, django_db_blocker):
    """Return a function making a connection of our backend to a fresh file, with a given busy timeout.

    These connections are the tests' own, to a file of their own, not the test database.
    """
    path = tmp_path / "lock.sqlite3"
    sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").fetchall()
    made = []

    def make(busy_timeout_ms=20000):
        settings = database_from_url(f"sqlite:///{path}")
        assert settings["ENGINE"] == "config.sqlite3"
        settings["OPTIONS"]["init_command"] += f" PRAGMA busy_timeout={busy_timeout_ms};"
        wrapper = ConnectionHandler({"default": settings})["default"]
        wrapper.ensure_connection()
        made.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        yield make, path
        for wrapper in made:
            wrapper.close()


def hold_write_lock(path, seconds):
    """Take the write lock from another connection for `seconds` (in a thread); return the thread."""
    taken = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    return thread


def busy_timeout(wrapper):
    return wrapper.connection.execute("PRAGMA busy_timeout").fetchone()[0]


def test_a_transaction_begins_once_the_other_writer_commits_and_the_timeout_is_restored(
    open_wrapper, monkeypatch
):
    make, path = open_wrapper
    wrapper = make()
    waits = []
    real_sleep = time.sleep
    main = threading.current_thread()

    def sleep(seconds):
        if threading.current_thread() is main:  # not the other writer's
            waits.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    holder = hold_write_lock(path, 0.05)
    wrapper._start_transaction_under_autocommit()
    holder.join()
    assert wrapper.connection.in_transaction
    wrapper.connection.execute("ROLLBACK")
    # It waited, first 0.1 ms, doubling to at most 2 ms (SQLite's own handler: 1, 2, 5, 10 … ms).
    assert waits[:5] == [0.0001, 0.0002, 0.0004, 0.0008, 0.0016]
    assert max(waits) == 0.002
    assert busy_timeout(wrapper) == 20000


def test_a_lock_held_past_the_busy_timeout_fails_as_djangos_operational_error(open_wrapper):
    make, path = open_wrapper
    wrapper = make(busy_timeout_ms=30)
    holder = hold_write_lock(path, 0.3)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        wrapper._start_transaction_under_autocommit()
    waited = time.monotonic() - started
    holder.join()
    assert waited < 0.25  # gave up at its own timeout, not when the other writer let go
    assert not wrapper.connection.in_transaction
    assert busy_timeout(wrapper) == 30


def test_an_error_other_than_busy_is_raised_at_once(open_wrapper, monkeypatch):
    make, _ = open_wrapper
    wrapper = make()
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)
    wrapper.connection.execute("BEGIN")
    with pytest.raises(OperationalError, match="within a transaction"):
        wrapper._start_transaction_under_autocommit()
    assert waits == []
    assert busy_timeout(wrapper) == 20000
    wrapper.connection.execute("ROLLBACK")


def test_without_immediate_mode_it_is_djangos_plain_begin(open_wrapper):
    make, _ = open_wrapper
    wrapper = make()
    wrapper.transaction_mode = None
    wrapper._start_transaction_under_autocommit()
    assert wrapper.connection.in_transaction
    wrapper.connection.execute("ROLLBACK")
