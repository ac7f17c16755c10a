"""Deep pages: the index-served list order and the keys-first paging give the rows a plain query gives."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Case, F, Value, When
from django_tables2.data import TableQuerysetData

from tracker.models import Assignment
from tracker.tables import KeysFirst
from tracker.views import _default_order


@pytest.fixture
def generated(db, today):
    call_command(
        "generate_data", items=200, departments=8, users=12, journal=400, seed=3, stdout=io.StringIO()
    )


def test_generated_order_columns_equal_open_first_then_soonest_due_then_undated(generated):
    open_first = Case(When(status__in=Assignment.OPEN_STATUSES, then=Value(0)), default=Value(1))
    spelled_out = Assignment.objects.order_by(open_first, F("due_date").asc(nulls_last=True), "pk")
    assert list(Assignment.objects.order_by(*_default_order()).values_list("pk", flat=True)) == list(
        spelled_out.values_list("pk", flat=True)
    )


def test_generated_order_columns_follow_status_and_due_date_changes(lead, users, today):
    lead.accept(by=users["staff"])
    lead.submit_done(by=users["staff"], note="完成")
    lead.close(by=users["office"])
    row = Assignment.objects.values("open_rank", "due_rank").get(pk=lead.pk)
    assert row == {"open_rank": 1, "due_rank": lead.due_date}


def test_keys_first_pages_hold_the_same_rows_as_plain_slices(generated):
    ordered = Assignment.objects.select_related("item__meeting", "department").order_by(*_default_order())
    plain, keyed = TableQuerysetData(ordered), KeysFirst(ordered)
    total = ordered.count()
    assert total > 100
    for start in range(0, total, 37):
        assert [a.pk for a in keyed[start : start + 25]] == [a.pk for a in plain[start : start + 25]]
    assert keyed[3].pk == plain[3].pk


def test_deep_page_of_the_item_list_runs_as_many_queries_as_the_first(client, users, generated):
    users["office"].refresh_from_db()
    client.force_login(users["office"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/items/")  # the tabs' counts are cached from here on (tracker.models.cached_counts)
    counts = []
    for page in (1, 5):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/items/", {"page": page}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
