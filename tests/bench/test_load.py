"""The load benchmark's scheduling: what runs at the same moment as what."""

import threading
import time

from tests.bench.load import ROUND_PER_THREAD, run_lanes


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
