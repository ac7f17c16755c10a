"""manage.py import_meetings: read meeting texts, propose action items, and write them as drafts."""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from importer.directory import load_bundled_directory
from importer.errors import InputError
from importer.pipeline import parse_source, to_json
from importer.read import read_path
from importer.write import directory_from_database, write_documents


class Command(BaseCommand):
    help = "导入会议文本（年鉴章节、会议报道、会议纪要、任务分解表），生成待确认的督办事项。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="一个或多个 .txt / .docx / .xlsx / .csv 文件")
        parser.add_argument("--year", type=int, help="文本未写年份时使用的年份")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="在标准输出打印解析结果 JSON（仅此内容）"
        )
        parser.add_argument("--confirm", action="store_true", help="单位均已明确的事项直接交办")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="解析长文本时并行的进程数（默认为处理器核数；1 为不并行）",
        )

    def handle(self, *args, paths, year, dry_run, as_json, confirm, jobs, **options):
        if jobs < 1:
            raise CommandError("--jobs 至少为 1。")
        directory = current_directory()
        documents = []
        for path in paths:
            try:
                source = read_path(path)
                doc = parse_source(source, year, directory, jobs=jobs)
                if not doc.meetings:
                    raise InputError.no_meetings(source.name)
            except InputError as exc:
                raise CommandError(str(exc)) from exc
            name = source.name
            for warning in doc.warnings:
                self.stderr.write(f"{name}：{warning}")
            n_items = sum(len(m.items) for m in doc.meetings)
            self.stderr.write(f"{name}：{len(doc.meetings)} 个会议，{n_items} 个事项")
            documents.append(doc)
        if as_json:
            sys.stdout.write(dump_json(to_json(documents)) + "\n")
        if dry_run:
            return
        try:
            report = write_documents(documents, confirm=confirm)
        except DatabaseError as exc:
            raise CommandError(f"写入数据库失败，已全部回滚：{exc}") from exc
        out = self.stderr if as_json else self.stdout
        for line in report.lines():
            out.write(line)


def current_directory():
    """Use the departments in the database; before it is set up, the bundled city directory."""
    try:
        entries = directory_from_database()
    except DatabaseError:
        entries = ()
    return entries or load_bundled_directory()


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
