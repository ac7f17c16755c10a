"""The per-process object cache behind the kept counts' answers (tracker.cache.ObjectCache)."""

import pytest
from django.core.cache import caches

from tracker.cache import ObjectCache
from tracker.models import AssignmentTally, _sums_by_department, cached_counts


def make_cache(**options):
    return ObjectCache("test-objects", {"TIMEOUT": 60, "OPTIONS": options})


@pytest.fixture
def store():
    cache = make_cache()
    cache.clear()
    yield cache
    cache.clear()


def test_a_read_gives_the_stored_object_itself(store):
    table = {"rows": [{"name": "市农办", "done": 3}]}
    store.set("table", table)
    assert store.get("table") is table


def test_a_missing_or_expired_key_gives_the_default(store):
    store.set("gone", [1], timeout=-1)
    assert store.get("gone", "none") == "none"
    assert store.get("never") is None


def test_add_keeps_a_present_value_and_fills_a_missing_one(store):
    first, second = [1], [2]
    assert store.add("k", first) is True
    assert store.add("k", second) is False
    assert store.get("k") is first


def test_the_least_recently_read_entry_goes_first_when_full(store):
    small = make_cache(MAX_ENTRIES=3, CULL_FREQUENCY=3)
    small.clear()
    for key in "abc":
        small.set(key, key)
    small.get("a")  # read last: kept
    small.set("d", "d")
    assert small.get("a") == "a" and small.get("d") == "d"
    assert small.get("b") is None


def test_incr_adds_to_a_stored_number(store):
    store.set("n", 40)
    assert store.incr("n", 2) == 42
    assert store.get("n") == 42
    with pytest.raises(ValueError):
        store.incr("missing")


def test_the_counts_cache_is_its_own_and_not_the_default(store):
    caches["counts"].set("k", "counts")
    caches["default"].set("k", "default")
    assert caches["counts"].get("k") == "counts"
    assert isinstance(caches["counts"], ObjectCache)


def test_a_second_read_of_the_kept_counts_is_the_first_answer_itself(item, today):
    rows = AssignmentTally.objects.all()
    first = rows.summary_by_department(today)
    assert first  # the item's departments have live assignments
    assert cached_counts(_sums_by_department, rows, today) is cached_counts(_sums_by_department, rows, today)
