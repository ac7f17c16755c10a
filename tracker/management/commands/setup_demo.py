"""Load the seed city's departments, one user per role, and the seed meetings, for a demo."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tracker.models import Department, User
from tracker.permissions import MANAGER, OFFICE, STAFF

DATA = Path(__file__).resolve().parents[2] / "data" / "shengzhou_departments.json"
SEED = Path(__file__).resolve().parents[2] / "data" / "seed" / "shengzhou-yearbook-2018-government.txt"
DEMO_USERS = [
    ("duban", OFFICE, "市府办", "督查室", "王"),
    ("lingdao", MANAGER, "市府办", "市长", "李"),
    ("lianluo", STAFF, "市农办", "联络员", "张"),
]


class Command(BaseCommand):
    help = "建立演示数据：单位名录、各角色演示用户，并导入种子会议文本（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", default=str(SEED), help="要导入的会议文本（默认为种子年鉴章节）")
        parser.add_argument("--no-import", action="store_true", help="只建立单位和用户，不导入会议")
        parser.add_argument(
            "--activity",
            type=int,
            default=400,
            help="另外生成近两年的演示事项数（带签收、反馈、办结等记录），0 表示不生成",
        )

    def handle(self, *args, seed, no_import, activity, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo 只能在 DJANGO_DEBUG=1 时运行，以免误改生产数据。")
        password = os.environ.get("DEMO_PASSWORD", "demo12345")
        with transaction.atomic():
            created, updated = load_departments(json.loads(DATA.read_text(encoding="utf-8")))
            groups = ensure_groups()
            for username, role, dept_name, first, last in DEMO_USERS:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.department = Department.objects.get(name=dept_name)
                user.is_staff = role == OFFICE
                user.set_password(password)
                user.save()
                user.groups.set([groups[role]])
        self.stdout.write(f"单位：新增 {created}，更新 {updated}，共 {Department.objects.count()} 个。")
        if not no_import:
            seed_path = Path(seed)
            if seed_path.exists():
                call_command(
                    "import_meetings", str(seed_path), "--year", "2017", "--confirm", stdout=self.stdout
                )
            else:
                self.stderr.write(f"未找到种子文本 {seed_path}，跳过导入。")
        if activity:
            # The seed is from 2017: two years of generated work around today give every page something to show.
            call_command(
                "generate_data",
                items=activity,
                departments=80,  # the bundled directory's 20 乡镇(街道) and 60 of its departments: nothing made up
                users=90,
                journal=activity * 6,
                years=2,
                seed=2017,
                replace=True,
                stdout=self.stdout,
            )
        self.stdout.write(f"演示用户（密码 {password}）：")
        for username, role, dept_name, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:8} {role}（{dept_name}）")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录。")


def load_departments(rows) -> tuple[int, int]:
    """Create or update departments from directory rows; return (created, updated)."""
    created = updated = 0
    for row in rows:
        defaults = {
            "short_name": row.get("short_name", ""),
            "kind": row.get("kind", Department.Kind.CITY),
            "scope": row.get("group", "") if row.get("kind") == Department.Kind.GROUP else "",
            "aliases": list(row.get("aliases", [])),
        }
        obj, was_created = Department.objects.get_or_create(name=row["name"], defaults=defaults)
        if was_created:
            created += 1
        elif any(getattr(obj, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1
    return created, updated


def ensure_groups() -> dict[str, Group]:
    """Create the three role groups with the model permissions each role needs in the admin."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (OFFICE, MANAGER, STAFF)}
    office_perms = Permission.objects.filter(content_type__app_label="tracker")
    groups[OFFICE].permissions.set(office_perms)
    groups[MANAGER].permissions.set(office_perms.filter(codename__startswith="view_"))
    groups[STAFF].permissions.clear()
    return groups
