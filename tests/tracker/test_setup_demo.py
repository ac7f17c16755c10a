"""setup_demo: refuses production, and running it twice gives the same data."""

import pytest
from django.core.management import CommandError, call_command

from tracker.models import ActionItem, Assignment, Department, Meeting, User
from tracker.permissions import role_of


def counts():
    return {
        model.__name__: model.objects.count() for model in (Department, User, Meeting, ActionItem, Assignment)
    }


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("setup_demo", "--no-import")
    assert Department.objects.count() == 0


def test_loads_directory_and_one_user_per_role(db, debug_on, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-pass-9")
    call_command("setup_demo", "--no-import")
    assert Department.objects.filter(name="市农办").exists()
    assert set(Department.objects.groups().values_list("scope", flat=True)) == {"all", "related", "townships"}
    assert (
        Department.objects.filter(kind=Department.Kind.TOWNSHIP).count() >= 20
    )  # 三江街道 sits with 城南新区
    lianluo = User.objects.get(username="lianluo")
    assert (role_of(lianluo), lianluo.department.name) == ("联络员", "市农办")
    assert lianluo.check_password("another-pass-9")
    assert User.objects.get(username="duban").is_staff
    assert not lianluo.is_staff


def test_running_twice_gives_the_same_counts(db, debug_on):
    call_command("setup_demo")
    first = counts()
    assert first["Meeting"] > 0 and first["ActionItem"] > 0
    call_command("setup_demo")
    assert counts() == first


def test_demo_gives_the_staff_user_something_to_do(db, debug_on):
    call_command("setup_demo")
    lianluo = User.objects.get(username="lianluo")
    assert Assignment.objects.live().filter(department=lianluo.department).exists()
