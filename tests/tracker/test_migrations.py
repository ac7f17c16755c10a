"""The migrations: SQLite's planner statistics survive the tables SQLite copies to alter them."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite alters a table by copying it; PostgreSQL keeps its statistics",
)


def tracker_migrations():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return {name: m for (app, name), m in loader.disk_migrations.items() if app == "tracker"}


def copies_a_table(name: str) -> bool:
    """Tell whether SQLite runs the migration by copying a table (its SQL creates a "new__…" table)."""
    out = io.StringIO()
    call_command("sqlmigrate", "tracker", name, stdout=out)
    return 'CREATE TABLE "new__' in out.getvalue()


def analyzes(migration) -> bool:
    return any(
        isinstance(op, RunPython) and op.code.__name__ == "analyze_on_sqlite" for op in migration.operations
    )


def test_the_last_migration_that_copies_a_table_is_followed_by_analyze(transactional_db):
    # A copied table has no statistics: at 100,000 items the planner then chose the state index over
    # the meeting's, and the dashboard took 228 ms instead of 2 (0016, before it analyzed).
    migrations = tracker_migrations()
    copying = sorted(name for name in migrations if copies_a_table(name))
    analyzing = sorted(name for name, m in migrations.items() if analyzes(m))
    assert copying, "no migration copies a table: nothing to check"
    assert analyzing and analyzing[-1] >= copying[-1], (
        f"{copying[-1]} makes SQLite copy a table; add a RunPython(analyze_on_sqlite) after it (see 0012)"
    )
