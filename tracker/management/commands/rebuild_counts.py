"""Recompute the dashboard's kept counts from the assignments themselves."""

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker.models import AssignmentMonth, AssignmentTally


class Command(BaseCommand):
    help = "从承办任务重新计算领导看板的统计（数据库被手工修改后使用）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            AssignmentTally.rebuild()
        self.stdout.write(
            f"已重算：{AssignmentTally.objects.count()} 行单位统计，{AssignmentMonth.objects.count()} 行月度统计。"
        )
