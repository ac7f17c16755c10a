"""SQLite rebuilt five tables in 0011 (it alters a column by copying the table) and with them lost the
planner's statistics: without them it read all assignments for a ledger export (113 ms → 300 ms at
100,000 items). ANALYZE gathers them again; PostgreSQL keeps its statistics through ALTER TABLE."""

from django.db import migrations


def analyze_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_drop_duplicate_fk_indexes")]

    operations = [migrations.RunPython(analyze_on_sqlite, migrations.RunPython.noop, elidable=True)]
