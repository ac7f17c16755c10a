"""Bench-only middleware: the query count header and the bare floor page, on only when switched on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.middleware import FLOOR_PATH


@pytest.fixture
def bench_mode(settings):
    settings.MIDDLEWARE = [
        "tracker.middleware.QueryCountMiddleware",
        *settings.MIDDLEWARE,
        "tracker.middleware.BenchFloorMiddleware",
    ]


def test_query_count_header_counts_every_query_of_the_request(client, users, item, bench_mode):
    client.force_login(users["staff"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/items/")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(ctx.captured_queries) > 0


def test_floor_page_shows_the_users_first_list_rows(client, users, make_item, departments, bench_mode, today):
    for n in range(30):
        make_item(lead=departments["nongban"], text=f"地板事项{n:02d}")
    make_item(lead=departments["jiaoti"], text="别的单位的事项")
    client.force_login(users["staff"])
    body = client.get(FLOOR_PATH).content.decode()
    assert body.count("<tr>") == 25
    assert "别的单位的事项" not in body


def test_floor_page_needs_a_signed_in_user(client, db, bench_mode):
    assert client.get(FLOOR_PATH).status_code == 403


def test_without_bench_mode_there_is_no_header_and_no_floor(client, users, item):
    client.force_login(users["staff"])
    assert "X-Query-Count" not in client.get("/items/")
    assert client.get(FLOOR_PATH).status_code == 404
