"""Fixtures shared by all tests: departments, one user per role, and items in a known state."""

import datetime

import pytest
from django.contrib.auth.models import Group

from tracker.models import ActionItem, Assignment, Department, Meeting, User
from tracker.permissions import MANAGER, OFFICE, STAFF

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Hash test passwords cheaply (PBKDF2 would dominate the run) and serve plain HTTP to the test client."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with empty caches: ids and counts repeat from one test's database to the next."""
    clear_caches()
    yield
    clear_caches()


def clear_caches():
    """Empty every configured cache: the shared one and the kept counts' answers (settings.CACHES)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def today(monkeypatch):
    """Freeze the project's notion of today at a known date."""
    monkeypatch.setattr("tracker.models.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def departments(db):
    """Two real departments, a township and the three group words."""
    return {
        "nongban": Department.objects.create(name="市农办", kind=Department.Kind.CITY, aliases=["农办"]),
        "jiaoti": Department.objects.create(name="教体局", kind=Department.Kind.CITY, aliases=["教体部门"]),
        "town": Department.objects.create(name="甘霖镇", kind=Department.Kind.TOWNSHIP),
        "all": Department.objects.create(name="各级各部门", kind=Department.Kind.GROUP, scope="all"),
        "related": Department.objects.create(name="相关部门", kind=Department.Kind.GROUP, scope="related"),
        "towns": Department.objects.create(name="乡镇(街道)", kind=Department.Kind.GROUP, scope="townships"),
    }


def make_user(username, role, department, **extra):
    user = User.objects.create_user(username=username, password="pw-123456", department=department, **extra)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def users(departments):
    """One user per role; two staff users in different departments."""
    return {
        "office": make_user("duban", OFFICE, departments["nongban"], is_staff=True),
        "manager": make_user("lingdao", MANAGER, departments["nongban"]),
        "staff": make_user("lianluo", STAFF, departments["nongban"]),
        "other_staff": make_user("jiaoti", STAFF, departments["jiaoti"]),
    }


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(
        kind=Meeting.Kind.EXECUTIVE,
        session=16,
        number=1,
        title="十六届政府第1次常务会议",
        date=datetime.date(2026, 3, 13),
        natural_key=Meeting.make_natural_key("executive", 16, 1, None, ""),
        text="会议要求,市农办要按照部署抓好落实。教体局要配合做好宣传。",
    )


@pytest.fixture
def make_item(meeting, users):
    """Create an item with assignments; active unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(
        *, lead, support=(), state=ActionItem.State.ACTIVE, deadline=None, text="市农办要按照部署抓好落实"
    ):
        item = ActionItem.objects.create(
            meeting=meeting, position=next(counter), text=text, span_start=5, span_end=18, deadline=deadline
        )
        Assignment.objects.create(item=item, department=lead, role=Assignment.Role.LEAD, due_date=deadline)
        for d in support:
            Assignment.objects.create(
                item=item, department=d, role=Assignment.Role.SUPPORT, due_date=deadline
            )
        if state != ActionItem.State.DRAFT:
            item.confirm(by=users["office"])
        if state == ActionItem.State.CANCELLED:
            item.cancel(by=users["office"], reason="测试撤销")
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def item(make_item, departments, today):
    """An active item: 市农办 leads, 教体局 supports, due in 30 days."""
    return make_item(
        lead=departments["nongban"],
        support=[departments["jiaoti"]],
        deadline=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def lead(item, departments):
    return item.assignments.get(department=departments["nongban"])
