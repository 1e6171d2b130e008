"""The queue of acknowledged work (bot/work.py): tried again until delivered or expired (then the asker is
told), once across processes sharing the state file, never waiting on another process's lock to ack, and
nothing posted that cannot be recorded. A real state file; the work itself is a stand-in."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from bot.state import StateStore, StateUnavailable
from bot.work import Retry, WorkQueue

QUICK = Retry(first=0.01, most=0.05, expire=0.5, lease=30.0, tick=3600)  # upkeep only when a test calls it


class Down(Exception):
    """Slack is down (a failure worth trying again)."""


def maybe_later(error):
    return 0.0 if isinstance(error, Down) else None


class Flaky:
    """Work that fails `failures` times, then posts; records every post and every apology."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.posted: list[dict] = []
        self.told: list[dict] = []
        self.lock = threading.Lock()

    def run(self, payload: dict) -> None:
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise Down("503")
            self.posted.append(payload)

    def tell(self, payload: dict) -> None:
        self.told.append(payload)


def queue(store, work: Flaky, retry: Retry = QUICK, **kw) -> WorkQueue:
    q = WorkQueue(store, workers=4, on_error=work.tell, transient=maybe_later, retry=retry, **kw)
    q.register("k", work.run)
    return q


def finish(q: WorkQueue, timeout: float = 5.0) -> int:
    return q.drain(timeout)


@pytest.fixture
def store(tmp_path):
    s = StateStore(tmp_path / "state.db")
    yield s
    s.close()


def test_work_failing_while_slack_is_down_is_tried_again_and_delivered_once(store):
    work = Flaky(failures=5)
    q = queue(store, work)
    q.accept("w1", "k", {"n": 1})
    assert finish(q) == 0
    assert work.posted == [{"n": 1}] and work.told == [] and store.unfinished() == []


def test_work_still_failing_when_it_expires_tells_the_asker_once(store):
    work = Flaky(failures=10**6)
    q = queue(store, work, Retry(first=0.01, most=0.02, expire=0.1, lease=30.0, tick=3600))
    q.accept("w1", "k", {"n": 1})
    assert finish(q) == 0
    assert work.posted == [] and work.told == [{"n": 1}] and store.unfinished() == []


def test_a_failure_that_cannot_pass_tells_the_asker_at_once(store):
    q = WorkQueue(store, workers=2, on_error=(told := []).append, retry=QUICK)
    q.register("k", lambda payload: 1 / 0)
    q.accept("w1", "k", {"n": 1})
    finish(q)
    assert told == [{"n": 1}] and store.unfinished() == []


def test_telling_the_asker_is_tried_again_too(store):
    work = Flaky(failures=10**6)
    tries = []

    def tell(payload):
        tries.append(payload)
        if len(tries) < 3:
            raise Down("503")

    q = WorkQueue(store, workers=2, on_error=tell, transient=maybe_later,
                  retry=Retry(first=0.01, most=0.02, expire=0.1, lease=30.0, tick=3600))  # fmt: skip
    q.register("k", work.run)
    q.accept("w1", "k", {"n": 1})
    finish(q)
    assert len(tries) == 3 and store.unfinished() == []


def test_a_second_process_on_the_same_file_does_not_take_live_work(tmp_path):
    gate = threading.Event()
    first_store, second_store = StateStore(tmp_path / "state.db"), StateStore(tmp_path / "state.db")
    first = WorkQueue(first_store, workers=1, retry=QUICK)
    first.register("k", lambda payload: gate.wait(5))
    first.accept("w1", "k", {"n": 1})
    done = []
    second = WorkQueue(second_store, workers=1, retry=QUICK)
    second.register("k", done.append)
    assert second.resume() == 0  # held by the first, alive
    gate.set()
    finish(first)
    finish(second)
    assert done == [] and first_store.unfinished() == []


@pytest.mark.parametrize(("how", "taken"), [("stopped", ["w2"]), ("killed", ["w1", "w2"])])
def test_work_left_by_a_process_that_stopped_or_died_is_taken_by_the_next(tmp_path, how, taken):
    store = StateStore(tmp_path / "state.db")
    hung = threading.Event()
    first = WorkQueue(store, workers=1, retry=QUICK, grace=0.05)
    first.register("k", lambda payload: hung.wait(5))
    first.accept("w1", "k", {"n": 1})  # its call never returns
    first.accept("w2", "k", {"n": 2})  # waiting for a thread
    if how == "stopped":
        assert first.drain(0.05) == 2  # w2 handed back at once; w1, mid-call, keeps its lease
        later = store.clock
    else:
        later = lambda: store.clock() + QUICK.lease + 1  # noqa: E731  (its leases ran out)
    done = []
    second = WorkQueue(StateStore(tmp_path / "state.db", clock=later), workers=1, retry=QUICK, clock=later)
    second.register("k", done.append)
    assert second.resume() == len(taken)
    finish(second)
    hung.set()
    assert done == [{"n": int(w[1])} for w in taken]


def test_the_ack_does_not_wait_for_a_lock_held_by_another_process(tmp_path):
    store = StateStore(tmp_path / "state.db")
    work = Flaky()
    q = queue(store, work)
    admin = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    admin.execute("begin exclusive")  # an admin's sqlite3 shell, a VACUUM
    try:
        assert q.accept("w1", "k", {"n": 1}) is True  # recorded in the journal instead
        assert q.accept("w1", "k", {"n": 1}) is False  # a retry of it, while the lock is still held
        assert q.seen("event:E1") is False and q.seen("event:E1") is True
        journal = json.loads(q.journal.path.read_text(encoding="utf-8").splitlines()[0])
        assert journal["id"] == "w1"
    finally:
        admin.execute("rollback")
        admin.close()
    finish(q)
    assert work.posted == [{"n": 1}] and store.unfinished() == []


def test_work_journalled_by_a_process_that_died_is_answered_at_the_next_start(tmp_path):
    store = StateStore(tmp_path / "state.db")
    record = {"kind": "k", "payload": {"n": 7}, "until": store.clock() + 60, "attempts": 0}
    (tmp_path / "state.db.journal-999999").write_text(json.dumps({"id": "w7", "record": record}) + "\n")
    work = Flaky()
    q = queue(store, work)
    assert q.resume() == 1
    finish(q)
    assert work.posted == [{"n": 7}] and not (tmp_path / "state.db.journal-999999").exists()


def test_an_answer_that_could_not_be_recorded_is_recorded_later_and_not_answered_again(store, monkeypatch):
    work = Flaky()
    q = queue(store, work)
    real_finish, failures = store.finish, [1]

    def full_disk(work_id):
        if failures:
            failures.pop()
            raise StateUnavailable("database or disk is full")
        real_finish(work_id)

    monkeypatch.setattr(store, "finish", full_disk)
    q.accept("w1", "k", {"n": 1})
    finish(q)  # the disk has room again by the time the queue stops
    again = queue(store, work)
    assert again.resume() == 0
    finish(again)
    assert work.posted == [{"n": 1}]


def test_nothing_is_posted_while_the_attempt_cannot_be_recorded(store, monkeypatch):
    work = Flaky()
    q = queue(store, work)
    real_attempt, failures = store.attempt, [1, 1]

    def full_disk(*args):
        if failures:
            failures.pop()
            raise StateUnavailable("database or disk is full")
        return real_attempt(*args)

    monkeypatch.setattr(store, "attempt", full_disk)
    q.accept("w1", "k", {"n": 1})
    finish(q)
    assert work.posted == [{"n": 1}] and not failures


def test_draining_returns_in_its_time_when_a_call_never_returns(store):
    hung = threading.Event()
    q = WorkQueue(store, workers=1, retry=QUICK, grace=0.1)
    q.register("k", lambda payload: hung.wait(30))
    q.accept("w1", "k", {"n": 1})
    assert q.drain(0.1) == 1
    assert [w for w, _ in store.unfinished()] == ["w1"]  # recorded, for whoever takes it when its lease runs out
    hung.set()


def test_draining_waits_for_calls_already_sent_so_what_they_posted_is_recorded(store):
    sent = threading.Event()
    posted = []

    def slow_post(payload):
        sent.set()
        threading.Event().wait(0.3)  # Slack answers, slowly
        posted.append(payload)

    q = WorkQueue(store, workers=1, retry=QUICK, grace=5)
    q.register("k", slow_post)
    q.accept("w1", "k", {"n": 1})
    sent.wait(5)
    q.drain(0.01)  # shorter than the call
    assert posted == [{"n": 1}] and store.unfinished() == []
