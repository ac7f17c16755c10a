"""What an imported ledger recorded of an item's work (ActionItem.recorded_*)."""

import django.core.validators
from django.db import migrations, models


def analyze_on_sqlite(apps, schema_editor):
    # SQLite adds these columns by copying the table, and the copy has no planner statistics (see
    # 0012): without them the dashboard counted its meetings' items through the state index, 228 ms
    # instead of 2 ms at 100,000 items.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE")


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0015_journal_remind_action'),
    ]

    operations = [
        migrations.AddField(
            model_name='actionitem',
            name='recorded_finished_on',
            field=models.DateField(blank=True, null=True, verbose_name='台账记录的办结日期'),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='recorded_progress',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(99)], verbose_name='台账记录的进度(%)'),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='recorded_status',
            field=models.CharField(blank=True, choices=[('', '—'), ('done', '已完成'), ('in_progress', '推进中'), ('not_started', '未启动')], default='', max_length=12, verbose_name='台账记录的状态'),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='recorded_text',
            field=models.CharField(blank=True, help_text='如“办理状态:已办结”。', max_length=200, verbose_name='台账原文'),
        ),
        migrations.RunPython(analyze_on_sqlite, migrations.RunPython.noop, elidable=True),
    ]
