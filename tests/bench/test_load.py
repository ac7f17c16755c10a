"""The load benchmark's scheduling: what runs at the same moment as what."""

import threading
import time

import pytest

from tests.bench.load import ROUND_PER_THREAD, check_budgets, chosen_scenarios, run_lanes


class FakeClient:
    """Answers at once after a short sleep, and records which lanes were in flight together."""

    def __init__(self, log):
        self.log = log
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        with self.log["lock"]:
            self.log["in_flight"].append(path)
            self.log["seen_together"].append(frozenset(self.log["in_flight"]))
        time.sleep(0.002)
        with self.log["lock"]:
            self.log["in_flight"].remove(path)
        return 200, {"x-query-count": "3"}, b"", 0.002


def lanes_with_log():
    log = {"lock": threading.Lock(), "in_flight": [], "seen_together": []}
    clients = [FakeClient(log)]
    lanes = [(clients, {"path": "/page/"}), (clients, {"path": "/floor/"}), (clients, {"path": "/admin/"})]
    return lanes, log


def test_at_concurrency_four_a_page_never_waits_behind_its_references():
    lanes, log = lanes_with_log()
    stats = run_lanes(lanes, concurrency=4, requests=60, seconds=10)
    assert all(len(together) == 1 for together in log["seen_together"])
    assert [s["requests"] for s in stats] == [60, 60, 60]
    assert 60 % (4 * ROUND_PER_THREAD) == 0  # whole rounds, so the counts above are exact


def test_at_concurrency_one_the_lanes_take_turns_request_by_request():
    lanes, log = lanes_with_log()
    stats = run_lanes(lanes, concurrency=1, requests=10, seconds=10)
    assert [s["requests"] for s in stats] == [10, 10, 10]
    assert [s["queries"] for s in stats] == [3, 3, 3]


def _run(p50, p95):
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "paired": {},
        "queries_usual": 8,
        "queries_min": 8,
        "queries_above_usual": 0,
    }


def test_a_budget_in_milliseconds_is_marked_by_the_p95_and_names_the_floor_of_the_same_run():
    pages = {
        "floor_leader": {"runs": {"4": _run(20.0, 27.5)}},
        "dashboard": {"floor": "floor_leader", "runs": {"4": _run(40.0, 60.0)}},
        "progress_post": {"floor": None, "runs": {"4": _run(8.0, 14.0)}},
    }
    lines = dict((text, ok) for ok, text in check_budgets({"pages": pages}))
    assert lines["dashboard c=4 p95 = 60.0 ms (≤ 50; floor p95 27.5 ms)"] is False
    assert lines["progress_post c=4 p95 = 14.0 ms (≤ 15)"] is True


def test_a_chosen_page_runs_with_its_floor_and_the_admin_and_nothing_else():
    every = [
        {"key": "floor_staff"},
        {"key": "floor_office"},
        {"key": "admin"},
        {"key": "board", "floor": "floor_staff"},
        {"key": "dashboard", "floor": "floor_leader"},
        {"key": "floor_leader"},
    ]
    assert [s["key"] for s in chosen_scenarios(every, ["board"])] == ["floor_staff", "admin", "board"]
    assert chosen_scenarios(every, None) == every


def test_an_unknown_page_stops_the_bench_before_it_starts():
    with pytest.raises(SystemExit, match="boared"):
        chosen_scenarios([{"key": "board"}], ["boared"])
