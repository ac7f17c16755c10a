"""Generate a city's years of supervision work, fast and reproducibly, for load tests and demos."""

import datetime
import json
import os
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from tracker import models
from tracker.bulk import insert_rows, record
from tracker.management.commands.setup_demo import DATA, ensure_groups
from tracker.models import (
    ActionItem,
    Assignment,
    AssignmentTally,
    Department,
    JournalEntry,
    Meeting,
    User,
)
from tracker.permissions import MANAGER, OFFICE, STAFF

KEY_PREFIX = "gen:"  # natural keys of generated meetings: they never collide with imported ones
S = Assignment.Status
A = JournalEntry.Action
UTC = datetime.UTC

# --- Words ----------------------------------------------------------------------------------------

TOWN_STEMS = [
    "甘霖",
    "长乐",
    "崇仁",
    "黄泽",
    "石璜",
    "谷来",
    "三界",
    "仙岩",
    "金庭",
    "北漳",
    "下王",
    "通源",
    "贵门",
    "里南",
    "竹溪",
    "雅璜",
    "王院",
    "富润",
    "新桥",
    "白沙",
    "青山",
    "东溪",
    "西岭",
    "南屏",
    "北塘",
    "清风",
    "明月",
    "双溪",
    "柳岸",
    "桃源",
]
CITY_STEMS = [
    "发展改革",
    "经济信息",
    "教育体育",
    "科学技术",
    "公安",
    "民政",
    "司法",
    "财政",
    "人力社保",
    "自然资源",
    "生态环境",
    "住房建设",
    "交通运输",
    "水利水务",
    "农业农村",
    "商务",
    "文化广电旅游",
    "卫生健康",
    "退役军人事务",
    "应急管理",
    "审计",
    "市场监管",
    "统计",
    "医疗保障",
    "综合行政执法",
    "大数据发展",
    "信访",
    "供销",
    "机关事务",
    "人防",
    "林业",
    "气象",
    "档案",
    "粮食物资",
    "投资促进",
    "金融服务",
]
VERBS = [
    "加快推进",
    "抓紧落实",
    "全面完成",
    "认真做好",
    "切实加强",
    "扎实推进",
    "统筹做好",
    "深入开展",
    "研究制定",
    "尽快启动",
    "持续深化",
    "牵头做好",
]
OBJECTS = [
    "{place}道路提升改造工程",
    "农村生活污水治理设施运维",
    "中小学校舍安全隐患排查",
    "全国文明城市创建各项工作",
    "安全生产大检查和隐患整治",
    "垃圾分类示范片区建设",
    "{place}老旧小区改造",
    "营商环境优化提升行动",
    "重点项目前期工作",
    "防汛防台各项准备",
    "高标准农田建设",
    "{place}工业园区基础设施配套",
    "城乡供水一体化工程",
    "社区居家养老服务中心建设",
    "历史文化街区保护利用",
    "企业减负降本政策兑现",
    "{place}美丽乡村精品线建设",
    "\u201c最多跑一次\u201d改革",
    "河湖长制和水环境治理",
    "森林防火和松材线虫病防治",
    "招商引资和项目落地",
    "义务教育学校布局调整",
    "医共体建设和基层医疗服务",
    "菜篮子工程和市场保供",
]
GOALS = [
    "确保{deadline}完成",
    "力争{deadline}取得明显成效",
    "完成投资{n}亿元",
    "新增{n}个示范点",
    "形成长效管理机制",
    "按月报送工作进展",
    "确保群众满意率达到{p}%以上",
    "整改完成率达到100%",
    "",
]
PROGRESS_NOTES = [
    "已召开专题会议研究部署，明确责任分工。",
    "实施方案已制定，正在征求相关单位意见。",
    "项目已进场施工，形象进度约{p}%。",
    "已完成前期摸排，共排查点位{n}处。",
    "资金已落实，正在组织招投标。",
    "已完成阶段性任务，下一步将加大推进力度。",
    "受天气影响进度略有滞后，已调整计划抓紧推进。",
    "已向市政府报送专题报告。",
]
SEND_BACK_NOTES = ["该事项不属于本单位职责，建议改由其他单位牵头。", "职能已划转，请重新指定承办单位。"]
EXTENSION_NOTES = [
    "涉及多部门协调，需延长办理时限。",
    "项目审批流程较长，申请延期。",
    "受资金到位时间影响，申请延期。",
]
INSTRUCTIONS = [
    "请抓紧推进，确保按期完成。",
    "此事群众关注度高，务必高度重视。",
    "请督查室跟踪督办。",
    "同意，按程序办理。",
]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "桂",
    "华",
    "建",
    "国",
    "文",
    "斌",
    "辉",
    "鹏",
    "宇",
    "晨",
    "欣",
    "婷",
]


def month_end(year: int, month: int) -> datetime.date:
    """Return the last day of a month (months past 12 roll into the next years)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """Return a working-hours moment on a day, as an aware datetime."""
    return datetime.datetime(day.year, day.month, day.day, rng.randint(0, 10), rng.randint(0, 59), tzinfo=UTC)


class Command(BaseCommand):
    help = "生成大量测试数据：单位、各角色用户、十年的会议、事项、承办任务和办理记录（用于性能测试）。"

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=1000, help="事项数")
        parser.add_argument("--departments", type=int, default=100, help="具体单位数（不含泛指）")
        parser.add_argument("--users", type=int, default=300, help="用户数（至少每个单位一名联络员）")
        parser.add_argument("--journal", type=int, default=None, help="办理记录条数（默认每个事项10条）")
        parser.add_argument("--years", type=int, default=10, help="会议跨越的年数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同参数生成相同数据")
        parser.add_argument("--chunk", type=int, default=5000, help="每个事务写入的事项数")
        parser.add_argument("--replace", action="store_true", help="先删除以前生成的会议和事项")

    def handle(self, *args, items, departments, users, journal, years, seed, chunk, replace, **options):
        if items < 0 or departments < 1 or users < 0 or (journal is not None and journal < 0):
            raise CommandError("数量不能为负，单位至少一个。")
        journal = items * 10 if journal is None else journal
        started = time.perf_counter()
        generated = Meeting.objects.filter(natural_key__startswith=KEY_PREFIX)
        if generated.exists():
            if not replace:
                raise CommandError("数据库里已有生成的数据；加 --replace 先删除再生成。")
            self.remove_generated()
        password = os.environ.get("DEMO_PASSWORD", "demo12345")
        city = City(seed, today=models.today())
        with transaction.atomic():
            city.make_departments(departments)
            city.make_users(users, password)
        self.stdout.write(
            f"单位 {len(city.departments)} 个，用户 {len(city.users)} 个（密码 {password}）"
            f"，用时 {time.perf_counter() - started:.1f}s"
        )
        city.plan_meetings(items, years)
        written = {"items": 0, "assignments": 0, "journal": 0}
        for batch in city.batches(items, journal, chunk):
            with transaction.atomic():
                for model, rows in batch:
                    insert_rows(model, rows)
            written["items"] += sum(len(r) for m, r in batch if m is ActionItem)
            written["assignments"] += sum(len(r) for m, r in batch if m is Assignment)
            written["journal"] += sum(len(r) for m, r in batch if m is JournalEntry)
            self.stdout.write(
                f"  事项 {written['items']:>7}  任务 {written['assignments']:>7}  记录 {written['journal']:>8}"
                f"  {time.perf_counter() - started:6.1f}s"
            )
        self.reset_sequences()
        AssignmentTally.rebuild()
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner guesses as for empty tables; on PostgreSQL VACUUM also
            # marks the pages all-visible, which index-only scans need.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            f"完成：会议 {len(city.meeting_sizes)}，事项 {written['items']}，承办任务 {written['assignments']}，"
            f"办理记录 {written['journal']}，共用时 {time.perf_counter() - started:.1f}s"
        )

    def remove_generated(self):
        """Delete generated meetings with their items, assignments and journal."""
        with transaction.atomic():
            items = ActionItem.objects.filter(meeting__natural_key__startswith=KEY_PREFIX)
            JournalEntry.objects.filter(item__in=items).delete()
            Assignment.objects.filter(item__in=items).delete()
            items.delete()
            Meeting.objects.filter(natural_key__startswith=KEY_PREFIX).delete()
            AssignmentTally.rebuild()

    def reset_sequences(self):
        """Move PostgreSQL's id sequences past the ids we chose."""
        sql = connection.ops.sequence_reset_sql(no_style(), [Meeting, ActionItem, Assignment, JournalEntry])
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


class City:
    """Everything generated, drawn from one seeded random generator."""

    def __init__(self, seed: int, today: datetime.date):
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.departments: list[Department] = []
        self.users: list[User] = []
        self.staff_of: dict[int, int] = {}
        self.office_ids: list[int] = []
        self.leader_ids: list[int] = []
        self.meetings: list[Meeting] = []
        self.numbers: dict[tuple, int] = {}

    # --- departments and users

    def make_departments(self, wanted: int):
        """Create (or reuse) `wanted` real departments, a quarter of them 乡镇(街道), plus the group words."""
        directory = json.loads(DATA.read_text(encoding="utf-8"))
        groups = [d for d in directory if d.get("kind") == "group"]
        towns = [d for d in directory if d.get("kind") == "township"]
        others = [d for d in directory if d.get("kind") not in ("group", "township")]
        n_towns = max(1, wanted // 4) if wanted > 1 else 0
        n_towns = min(n_towns, wanted)
        towns = towns[:n_towns] + self._made_up_towns(n_towns - len(towns[:n_towns]), towns)
        others = others[: wanted - len(towns)]
        others += self._made_up_city(wanted - len(towns) - len(others), others)
        rows = [*groups, *others, *towns]
        existing = {d.name: d for d in Department.objects.filter(name__in=[r["name"] for r in rows])}
        new = [
            Department(
                name=r["name"],
                short_name=r.get("short_name", ""),
                kind=r.get("kind", Department.Kind.CITY),
                scope=r.get("group", "") if r.get("kind") == Department.Kind.GROUP else "",
                aliases=list(r.get("aliases", [])),
            )
            for r in rows
            if r["name"] not in existing
        ]
        Department.objects.bulk_create(new)
        by_name = {d.name: d for d in Department.objects.filter(name__in=[r["name"] for r in rows])}
        self.departments = [by_name[r["name"]] for r in rows if r.get("kind") != "group"]
        self.towns = [d for d in self.departments if d.kind == Department.Kind.TOWNSHIP]

    def _made_up_towns(self, n: int, taken) -> list[dict]:
        names = {t["name"] for t in taken}
        out = []
        for i in range(n * 3):
            stem = TOWN_STEMS[i % len(TOWN_STEMS)] + (
                "" if i < len(TOWN_STEMS) else str(i // len(TOWN_STEMS))
            )
            name = stem + ("街道" if i % 5 == 0 else "镇")
            if name not in names and len(out) < n:
                names.add(name)
                out.append({"name": name, "kind": "township", "aliases": [stem]})
        return out

    def _made_up_city(self, n: int, taken) -> list[dict]:
        names = {t["name"] for t in taken}
        out = []
        i = 0
        while len(out) < n:
            stem = CITY_STEMS[i % len(CITY_STEMS)]
            suffix = "局" if i // len(CITY_STEMS) == 0 else f"局第{i // len(CITY_STEMS) + 1}分局"
            name = f"市{stem}{suffix}"
            if name not in names:
                names.add(name)
                out.append({"name": name, "kind": "city", "short_name": f"{stem}{suffix}", "aliases": [stem]})
            i += 1
        return out

    def make_users(self, wanted: int, password: str):
        """Create one 联络员 per department, some 领导 and some 督办员 (existing usernames are reused)."""
        groups = ensure_groups()
        # Their own generator: reusing existing users must not change the items drawn after them.
        people = random.Random(self.seed)
        n_office = max(1, wanted // 50)
        n_leader = max(1, wanted // 20)
        n_staff = max(len(self.departments), wanted - n_office - n_leader)
        # One hash for everyone: hashing hundreds of passwords would take longer than the data.
        hashed = make_password(password)
        plan = [(f"office{i:04d}", OFFICE, self.departments[0]) for i in range(1, n_office + 1)]
        plan += [(f"leader{i:04d}", MANAGER, self.departments[0]) for i in range(1, n_leader + 1)]
        plan += [
            (f"staff{i:04d}", STAFF, self.departments[(i - 1) % len(self.departments)])
            for i in range(1, n_staff + 1)
        ]
        existing = set(
            User.objects.filter(username__in=[p[0] for p in plan]).values_list("username", flat=True)
        )
        new = []
        for username, role, department in plan:
            if username in existing:
                continue
            new.append(
                User(
                    username=username,
                    password=hashed,
                    last_name=people.choice(SURNAMES),
                    first_name="".join(people.choices(GIVEN, k=people.randint(1, 2))),
                    department=department,
                    is_staff=role == OFFICE,
                )
            )
        User.objects.bulk_create(new)
        by_name = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in plan])}
        memberships = []
        Through = User.groups.through
        have = set(Through.objects.filter(user__in=by_name.values()).values_list("user_id", "group_id"))
        for username, role, department in plan:
            user = by_name[username]
            self.users.append(user)
            if (user.pk, groups[role].pk) not in have:
                memberships.append(Through(user_id=user.pk, group_id=groups[role].pk))
            if role == OFFICE:
                self.office_ids.append(user.pk)
            elif role == MANAGER:
                self.leader_ids.append(user.pk)
            else:
                self.staff_of.setdefault(department.pk, user.pk)
        Through.objects.bulk_create(memberships)
        # Half the leaders oversee a handful of departments; the others see everything.
        Oversees = User.oversees.through
        Oversees.objects.filter(user_id__in=self.leader_ids).delete()
        Oversees.objects.bulk_create(
            Oversees(user_id=uid, department_id=d.pk)
            for n, uid in enumerate(self.leader_ids)
            if n % 2 == 1
            for d in people.sample(self.departments, min(len(self.departments), people.randint(3, 12)))
        )

    # --- meetings, items, assignments, journal

    def plan_meetings(self, n_items: int, years: int):
        """Spread meetings over the years, each with 5–45 items (25 on average)."""
        rng = self.rng
        first = self.today - datetime.timedelta(days=365 * years)
        span = (self.today - first).days
        self.meeting_sizes = []
        left = n_items
        while left > 0:
            size = min(left, rng.randint(5, 45))
            self.meeting_sizes.append(size)
            left -= size
        n = len(self.meeting_sizes)
        self.meeting_days = sorted(first + datetime.timedelta(days=rng.randrange(span)) for _ in range(n))
        if n:  # the office is always reviewing the drafts of a recent meeting
            self.meeting_days[-1] = self.today - datetime.timedelta(days=rng.randint(1, 20))
        self.first_day = first

    def batches(self, n_items: int, n_journal: int, chunk: int):
        """Yield lists of (model, rows) to insert together, about `chunk` items at a time."""
        ids = {
            m: (m.objects.aggregate(m=Max("pk"))["m"] or 0)
            for m in (Meeting, ActionItem, Assignment, JournalEntry)
        }
        self.next_id = {m: v + 1 for m, v in ids.items()}
        meeting_no = 0
        items_done = journal_done = 0
        while meeting_no < len(self.meeting_sizes):
            meetings, items, assignments, journal = [], [], [], []
            count = 0
            while meeting_no < len(self.meeting_sizes) and count < chunk:
                size = self.meeting_sizes[meeting_no]
                self.make_meeting(meeting_no, size, meetings, items, assignments, journal)
                meeting_no += 1
                count += size
            items_done += count
            # Journal rows by quota, so the total is exactly what was asked for.
            quota = n_journal * items_done // max(n_items, 1) - journal_done
            journal = self.fit_journal(journal, assignments, quota)
            journal = [(self._id(JournalEntry), *entry[1:]) for entry in journal]
            journal_done += len(journal)
            yield [
                (Meeting, meetings),
                (ActionItem, items),
                (Assignment, assignments),
                (JournalEntry, journal),
            ]

    def _id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def make_meeting(self, number, size, meetings, items, assignments, journal):
        rng = self.rng
        day = self.meeting_days[number]
        years_in = (day - self.first_day).days // 365
        session = 14 + years_in // 5
        kind = rng.choices(
            [Meeting.Kind.PLENARY, Meeting.Kind.EXECUTIVE, Meeting.Kind.SPECIAL], weights=[4, 36, 60]
        )[0]
        if kind == Meeting.Kind.SPECIAL:
            title = f"{rng.choice(OBJECTS).format(place='')}专题会议"
            session_no = None
        else:
            session_no = self.numbers[(kind, session)] = self.numbers.get((kind, session), 0) + 1
            label = "全体会议" if kind == Meeting.Kind.PLENARY else "常务会议"
            title = f"{session}届政府第{session_no}次{label}"
        meeting = record(
            Meeting,
            id=self._id(Meeting),
            kind=kind,
            session=session if session_no else None,
            number=session_no,
            title=title,
            date=day,
            natural_key=f"{KEY_PREFIX}{number}:{day.isoformat()}",
            source_name="generated",
            created_at=at(day, rng),
            updated_at=at(day, rng),
        )
        head = f"【{title}】 {day.year}年{day.month}月{day.day}日，市政府召开{title}。会议要求，"
        parts, spans = [head], []
        pos = len(head)
        texts = []
        for _ in range(size):
            drafted = self.item_text(day)
            text = drafted[0]
            spans.append((pos, pos + len(text)))
            parts.append(text)
            pos += len(text)
            texts.append(drafted)
        meeting.text = "".join(parts)
        meeting.text_hash = Meeting.hash_text(meeting.text)
        meetings.append(meeting)
        for position, (drafted, span) in enumerate(zip(texts, spans, strict=True), start=1):
            self.make_item(meeting, position, drafted, span, items, assignments, journal)

    def item_text(self, day: datetime.date):
        rng = self.rng
        roll = rng.random()
        if roll < 0.62:
            months = rng.choice([1, 2, 3, 3, 6, 6, 9, 12])
            deadline = month_end(day.year, day.month + months)
            deadline_text = (
                "年底前" if deadline.month == 12 and deadline.day == 31 else f"{deadline.month}月底前"
            )
            if rng.random() < 0.2:
                deadline = day + datetime.timedelta(days=rng.randint(10, 300))
                deadline_text = f"{deadline.month}月{deadline.day}日前"
            if deadline.year != day.year:
                # 2027年底前, 2027年3月底前
                joint = "" if deadline_text == "年底前" else "年"
                deadline_text = f"{deadline.year}{joint}{deadline_text}"
            kind = ActionItem.DeadlineKind.DATE
        else:
            deadline = None
            kind, deadline_text = rng.choice(
                [
                    (ActionItem.DeadlineKind.NONE, ""),
                    (ActionItem.DeadlineKind.ONGOING, "长期坚持"),
                    (ActionItem.DeadlineKind.RECURRING, "每月"),
                    (ActionItem.DeadlineKind.VAGUE, "限时"),
                ]
            )
        lead = rng.choice(self.departments)
        template = rng.choice(GOALS)
        goal = template.format(
            deadline=deadline_text or "按期", n=rng.randint(2, 60), p=rng.choice([85, 90, 95])
        )
        # The sentence says its timing, as the importer would have read it: in the goal or before the verb.
        timing = ""
        if deadline_text and "{deadline}" not in template:
            timing = f"在{deadline_text}" if kind == ActionItem.DeadlineKind.DATE else deadline_text
        obj = rng.choice(OBJECTS).format(place=rng.choice(TOWN_STEMS))
        text = (
            f"{lead.short_name or lead.name}要{timing}{rng.choice(VERBS)}{obj}"
            + (f"，{goal}" if goal else "")
            + "。"
        )
        return text, deadline, deadline_text, kind, lead

    def make_item(self, meeting, position, drafted, span, items, assignments, journal):
        # The department the sentence names leads it (all of a meeting's sentences are drafted first).
        text, deadline, deadline_text, deadline_kind, lead = drafted
        rng = self.rng
        today = self.today
        day = meeting.date
        age = (today - (deadline or day + datetime.timedelta(days=120))).days
        roll = rng.random()
        if (today - day).days < 45 and roll < 0.25:
            state = ActionItem.State.DRAFT
        elif roll < 0.01:
            state = ActionItem.State.CANCELLED
        elif rng.random() < (0.9 if age > 60 else 0.5 if age > 0 else 0.12):
            state = ActionItem.State.DONE
        else:
            state = ActionItem.State.ACTIVE
        item = record(
            ActionItem,
            id=self._id(ActionItem),
            meeting_id=meeting.id,
            meeting=meeting,
            position=position,
            text=text,
            span_start=span[0],
            span_end=span[1],
            deadline=deadline,
            deadline_text=deadline_text,
            deadline_kind=deadline_kind,
            mentions=[
                {
                    "mention": lead.short_name or lead.name,
                    "name": lead.name,
                    "role": "lead",
                    "linked": True,
                }
            ],
            state=state,
            cancel_reason="重复立项" if state == ActionItem.State.CANCELLED else "",
            created_at=at(day, rng),
            updated_at=at(day, rng),
        )
        items.append(item)
        office = rng.choice(self.office_ids)
        journal.append(
            self.entry(
                item,
                None,
                office,
                A.IMPORT,
                at(day, rng),
                to_status="draft",
                note="自会议文本导入",
                priority=0,
            )
        )
        if state != ActionItem.State.DRAFT:
            journal.append(
                self.entry(
                    item,
                    None,
                    office,
                    A.CONFIRM,
                    at(day + datetime.timedelta(days=1), rng),
                    "draft",
                    "active",
                    priority=0,
                )
            )
        # Departments: a lead (sometimes two), a few supports, now and then every 乡镇(街道).
        chosen = [lead]
        if rng.random() < 0.05:
            chosen.append(rng.choice(self.departments))
        n_leads = len(set(d.pk for d in chosen))
        supports = rng.choices([0, 1, 2, 3], weights=[56, 28, 12, 4])[0]
        chosen += rng.sample(self.departments, min(supports, len(self.departments)))
        if rng.random() < 0.009:
            chosen += self.towns
        seen, departments = set(), []
        for d in chosen:
            if d.pk not in seen:
                seen.add(d.pk)
                departments.append(d)
        for n, department in enumerate(departments):
            role = Assignment.Role.LEAD if n < n_leads else Assignment.Role.SUPPORT
            # An active item has its first lead still at work; otherwise it would be done.
            assignments.append(self.make_assignment(item, department, role, journal, may_finish=n > 0))
        if state == ActionItem.State.DONE:
            finished = max(
                (a.finished_on for a in assignments[-len(departments) :] if a.finished_on), default=day
            )
            journal.append(
                self.entry(item, None, office, A.ITEM_DONE, at(finished, rng), "active", "done", priority=1)
            )
        if state == ActionItem.State.CANCELLED:
            journal.append(
                self.entry(
                    item,
                    None,
                    office,
                    A.CANCEL,
                    at(day + datetime.timedelta(days=3), rng),
                    "active",
                    "cancelled",
                    note="重复立项",
                    priority=1,
                )
            )
        if state != ActionItem.State.DRAFT and rng.random() < 0.08 and self.leader_ids:
            journal.append(
                self.entry(
                    item,
                    None,
                    rng.choice(self.leader_ids),
                    A.INSTRUCTION,
                    at(day + datetime.timedelta(days=2), rng),
                    note=rng.choice(INSTRUCTIONS),
                    priority=2,
                )
            )

    def make_assignment(self, item, department, role, journal, may_finish=True):
        rng = self.rng
        today = self.today
        day = item.meeting.date
        due = item.deadline
        state = item.state
        status, progress, finished, extension_date = S.PENDING, 0, None, None
        staff = self.staff_of.get(department.pk)
        office = self.office_ids[0]
        events = []
        start = day + datetime.timedelta(days=rng.randint(1, 10))
        if state == ActionItem.State.DRAFT:
            due = None
        elif state == ActionItem.State.DONE and (role == Assignment.Role.LEAD or rng.random() < 0.9):
            status = S.DONE
        elif state in (ActionItem.State.ACTIVE, ActionItem.State.DONE, ActionItem.State.CANCELLED):
            overdue = due is not None and due < today
            weights = [10, 50, 15, 20, 5] if overdue else [25, 55, 10, 7, 3]
            if not may_finish and state == ActionItem.State.ACTIVE:
                weights[3] = 0
            status = rng.choices([S.PENDING, S.IN_PROGRESS, S.REVIEW, S.DONE, S.RETURNED], weights=weights)[0]
            if state == ActionItem.State.CANCELLED and status in (S.DONE, S.REVIEW):
                status = S.IN_PROGRESS
        if status != S.PENDING and state != ActionItem.State.DRAFT:
            if status == S.RETURNED and rng.random() < 0.5:
                events.append((A.SEND_BACK, start, S.PENDING, S.RETURNED, None, rng.choice(SEND_BACK_NOTES)))
            else:
                events.append((A.ACCEPT, start, S.PENDING, S.IN_PROGRESS, None, ""))
                if due is not None and rng.random() < 0.1:
                    new_due = due + datetime.timedelta(days=rng.choice([15, 30, 30, 60, 90]))
                    asked = min(due, today) - datetime.timedelta(days=rng.randint(1, 10))
                    events.append(
                        (
                            A.EXTENSION_REQUEST,
                            max(asked, start),
                            S.IN_PROGRESS,
                            S.IN_PROGRESS,
                            None,
                            rng.choice(EXTENSION_NOTES),
                        )
                    )
                    events.append(
                        (
                            A.EXTENSION_APPROVE,
                            max(asked, start) + datetime.timedelta(days=2),
                            S.IN_PROGRESS,
                            S.IN_PROGRESS,
                            None,
                            f"同意延期至{new_due:%Y-%m-%d}",
                        )
                    )
                    due = new_due
                progress = rng.randint(10, 90)
                for k in range(rng.randint(1, 3)):
                    when = start + datetime.timedelta(days=7 * (k + 1))
                    note = rng.choice(PROGRESS_NOTES).format(p=progress, n=rng.randint(3, 80))
                    events.append((A.PROGRESS, when, S.IN_PROGRESS, S.IN_PROGRESS, progress, note))
                if status == S.RETURNED:
                    events.append(
                        (
                            A.SEND_BACK,
                            start + datetime.timedelta(days=30),
                            S.IN_PROGRESS,
                            S.RETURNED,
                            None,
                            rng.choice(SEND_BACK_NOTES),
                        )
                    )
                if status in (S.REVIEW, S.DONE):
                    if due is not None and rng.random() < 0.8:
                        finished = due - datetime.timedelta(days=rng.randint(0, 30))
                    else:
                        finished = (due or day) + datetime.timedelta(days=rng.randint(1, 60))
                    finished = min(max(finished, start + datetime.timedelta(days=1)), today)
                    progress = 100
                    events.append(
                        (
                            A.SUBMIT_DONE,
                            finished - datetime.timedelta(days=1),
                            S.IN_PROGRESS,
                            S.REVIEW,
                            100,
                            "已按要求完成，附佐证材料。",
                        )
                    )
                    if status == S.DONE:
                        events.append((A.CLOSE, finished, S.REVIEW, S.DONE, None, ""))
                    else:
                        finished = None
            if status == S.IN_PROGRESS and due is not None and due >= today and rng.random() < 0.05:
                extension_date = due + datetime.timedelta(days=30)
                events.append(
                    (
                        A.EXTENSION_REQUEST,
                        today - datetime.timedelta(days=1),
                        S.IN_PROGRESS,
                        S.IN_PROGRESS,
                        None,
                        rng.choice(EXTENSION_NOTES),
                    )
                )
        a = record(
            Assignment,
            id=self._id(Assignment),
            item_id=item.id,
            item=item,
            department_id=department.pk,
            role=role,
            live=item.state in ActionItem.LIVE_STATES,
            status=status,
            progress=progress,
            due_date=due,
            extension_date=extension_date,
            extension_reason="申请延期" if extension_date else "",
            finished_on=finished,
            created_at=at(day, rng),
            updated_at=at(min(today, finished or day), rng),
        )
        for action, when, old, new, pct, note in events:
            when = min(when, today)
            actor = office if action in (A.EXTENSION_APPROVE, A.CLOSE) else staff
            journal.append(
                self.entry(
                    item,
                    a,
                    actor,
                    action,
                    at(when, rng),
                    old,
                    new,
                    pct,
                    note,
                    priority=1 if action != A.PROGRESS else 3,
                )
            )
        return a

    @staticmethod
    def entry(
        item,
        assignment,
        actor,
        action,
        when,
        from_status="",
        to_status="",
        progress=None,
        note="",
        priority=1,
    ):
        # A journal row is a plain tuple (priority first): a million model instances would cost seconds.
        return (
            priority,
            item.id,
            assignment.id if assignment is not None else None,
            actor,
            when,
            action,
            from_status,
            to_status,
            progress,
            note,
            "",
        )

    def fit_journal(self, journal, assignments, quota):
        """Add progress reports or drop the least important rows until there are `quota` rows."""
        rng = self.rng
        if len(journal) > quota:
            keep = sorted(range(len(journal)), key=lambda i: (journal[i][0], i))[: max(quota, 0)]
            return [journal[i] for i in sorted(keep)]
        working = [a for a in assignments if a.status in (S.IN_PROGRESS, S.REVIEW, S.DONE)] or assignments
        extra = quota - len(journal)
        for _ in range(extra if working else 0):
            a = rng.choice(working)
            day = a.item.meeting.date + datetime.timedelta(days=rng.randint(2, 200))
            pct = rng.randint(5, 95)
            journal.append(
                self.entry(
                    a.item,
                    a,
                    self.staff_of.get(a.department_id),
                    A.PROGRESS,
                    at(min(day, self.today), rng),
                    S.IN_PROGRESS,
                    S.IN_PROGRESS,
                    pct,
                    rng.choice(PROGRESS_NOTES).format(p=pct, n=rng.randint(3, 80)),
                )
            )
        if not working and extra > 0:
            items = {id(a.item): a.item for a in assignments}
            pool = list(items.values())
            for _ in range(extra if pool else 0):
                item = rng.choice(pool)
                journal.append(
                    self.entry(
                        item,
                        None,
                        rng.choice(self.office_ids),
                        A.COMMENT,
                        at(item.meeting.date, rng),
                        note="请各单位抓紧推进。",
                    )
                )
        return journal
