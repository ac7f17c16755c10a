"""The load benchmark: its scheduling (what runs at the same moment as what), budgets and a whole small run."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from tests.bench.load import ROOT, ROUND_PER_THREAD, check_budgets, chosen_scenarios, manage, run_lanes


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


def test_at_concurrency_four_every_lane_gets_as_many_rounds_even_when_few_requests_are_asked_for():
    lanes, _ = lanes_with_log()
    stats = run_lanes(lanes, concurrency=4, requests=6, seconds=10)
    assert [s["requests"] for s in stats] == [4 * ROUND_PER_THREAD] * 3


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


def test_page_2000_is_compared_with_the_page_1_measured_at_the_same_moments():
    pages = {
        "item_list_office": {"floor": None, "runs": {"1": _run(10.0, 12.0)}},  # a quiet moment
        "item_list_deep": {
            "floor": None,
            "runs": {"1": {**_run(16.0, 20.0), "paired": {"item_list_office": 14.0}}},
        },
    }
    lines = dict((text, ok) for ok, text in check_budgets({"pages": pages}))
    assert lines["page 2000 c=1 = 1.14 × page 1 (≤ 1.5)"] is True


def test_page_2000_brings_page_1_along_when_chosen_alone():
    every = [{"key": "floor_office"}, {"key": "admin"}, {"key": "item_list_office", "floor": "floor_office"}]
    every.append({"key": "item_list_deep", "floor": "floor_office", "with": ["item_list_office"]})
    chosen = [s["key"] for s in chosen_scenarios(every, ["item_list_deep"])]
    assert chosen == ["floor_office", "admin", "item_list_office", "item_list_deep"]


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


def test_a_quiet_manage_command_keeps_its_error_for_the_caller_instead_of_printing_it(capfd, tmp_path):
    url = f"sqlite:///{tmp_path}/none.sqlite3"
    failing = ("shell", "-c", "import sys; sys.exit('没有可复用的数据')")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        manage(url, *failing, quiet=True)
    assert "没有可复用的数据" in failed.value.stderr
    assert "没有可复用的数据" not in capfd.readouterr().err
    with pytest.raises(subprocess.CalledProcessError):
        manage(url, *failing)
    assert "没有可复用的数据" in capfd.readouterr().err


def test_the_whole_bench_runs_on_a_small_database_and_every_page_answers_as_expected(tmp_path):
    out = tmp_path / "load.json"
    env = {**os.environ, "BENCH_SQLITE_URL": f"sqlite:///{tmp_path}/bench.sqlite3"}
    small = ["--items=300", "--departments=20", "--users=60", "--journal=2000"]
    load = ["--db=sqlite", "--concurrency=1", "--requests=3", "--seconds=1", f"--json={out}"]
    subprocess.run(
        [sys.executable, "-m", "tests.bench.load", *small, *load],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    run = json.loads(out.read_text(encoding="utf-8"))
    pages = run["results"]["sqlite"]["pages"]
    assert run["results"]["sqlite"]["info"]["items"] == 300
    expected = {"floor_staff", "admin", "item_list_deep", "board", "dashboard", "progress_post", "export"}
    assert expected <= set(pages)
    for key, page in pages.items():
        stats = page["runs"]["1"]
        assert stats["requests"] >= 3, key
        assert stats["errors"] == 0, (key, stats["error_statuses"])
        assert stats["queries"], key
    assert run["budgets"]["sqlite"]
