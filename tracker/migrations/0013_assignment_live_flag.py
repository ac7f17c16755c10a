"""Assignment.live: whether the assignment's item is live (交办 or 办结), kept on the assignment so the
lists filter on a column of their order index instead of looking up each row's item."""

from django.db import migrations, models

LIVE_STATES = ("active", "done")


def set_live_from_items(apps, schema_editor):
    Assignment = apps.get_model("tracker", "Assignment")
    Assignment.objects.filter(item__state__in=LIVE_STATES).update(live=True)


def analyze_on_sqlite(apps, schema_editor):
    # A new column may make SQLite copy the table, and the copy has no planner statistics (see 0012).
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0012_sqlite_statistics_after_remake")]

    operations = [
        migrations.RemoveIndex(model_name="assignment", name="asg_list_order_idx"),
        migrations.AddField(
            model_name="assignment",
            name="live",
            field=models.BooleanField(
                db_default=False, default=False, editable=False, verbose_name="事项在办"
            ),
        ),
        migrations.RunPython(set_live_from_items, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["live", "open_rank", "due_rank", "id"], name="asg_live_order_idx"),
        ),
        migrations.RunPython(analyze_on_sqlite, migrations.RunPython.noop, elidable=True),
    ]
