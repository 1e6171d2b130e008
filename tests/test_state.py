"""The state store on its own: expiry, one claim per event across threads, and clear errors."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.conversation import Conversations
from bot.state import StateStore, StateUnavailable, default_state_path


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    s = StateStore(tmp_path / "state.db", clock=clock)
    yield s
    s.close()


def test_a_context_is_kept_until_it_expires(store, clock):
    store.put("C1:1.0", {"projects": ["3-(1)-①"]}, ttl=60)
    assert store.get("C1:1.0") == {"projects": ["3-(1)-①"]}
    clock.now += 61
    assert store.get("C1:1.0") is None
    assert store.purge() == 1


def test_a_newer_context_replaces_the_older(store):
    store.put("k", {"n": 1}, ttl=60)
    store.put("k", {"n": 2}, ttl=60)
    assert store.get("k") == {"n": 2}


def test_an_event_is_claimed_once_and_its_payload_dropped_when_answered(store):
    assert store.claim("Ev1", {"text": "電子書籍"}) is True
    assert store.claim("Ev1", {"text": "電子書籍"}) is False
    assert store.unfinished() == [("Ev1", {"text": "電子書籍"})]
    store.finish("Ev1")
    assert store.unfinished() == []
    assert store.conn.execute("select payload from events").fetchone()[0] is None


def test_claims_from_many_threads_give_each_event_to_exactly_one(store):
    ids = [f"Ev{n % 50}" for n in range(400)]  # every id offered eight times, from eight threads
    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(store.claim, ids))
    assert sum(won) == 50


def test_contexts_written_from_many_threads_are_all_readable(store):
    def write(n):
        store.put(f"k{n}", {"n": n}, ttl=60)
        return store.get(f"k{n}")

    with ThreadPoolExecutor(8) as pool:
        assert [v["n"] for v in pool.map(write, range(200))] == list(range(200))


def test_a_corrupt_file_is_a_clear_error_naming_it(tmp_path):
    bad = tmp_path / "state.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateUnavailable, match=str(bad)):
        StateStore(bad)


def test_an_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateUnavailable, match="PLANBOT_STATE"):
        StateStore(blocker / "state.db")


def test_the_default_place_follows_the_environment(tmp_path):
    assert default_state_path({"PLANBOT_STATE": str(tmp_path / "s.db")}) == tmp_path / "s.db"
    assert default_state_path({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "planbot" / "state.db"


def test_answers_are_given_without_context_when_the_store_fails(kb, store):
    conversations = Conversations(kb, store)
    conversations.ask("t", "電子書籍の進捗は？")
    store.close()  # from now on every read and write fails
    answer = conversations.ask("t", "ブックポスト")
    assert answer.project_ids == ["1-(3)-①"]
    assert Conversations(kb, None).ask("t", "去年は？").project_ids == []


def test_one_store_is_shared_safely_by_listener_threads(kb, store):
    conversations = Conversations(kb, store)
    errors = []

    def talk(n):
        try:
            conversations.ask(f"t{n}", "電子書籍の進捗は？")
            assert conversations.ask(f"t{n}", "去年は？").project_ids == ["3-(1)-①"]
        except Exception as e:  # collected: an assertion in a thread would otherwise be lost
            errors.append(e)

    threads = [threading.Thread(target=talk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_clock_stepping_past_the_expiry_does_not_purge_unanswered_work(store, clock):
    store.claim("message:C1:1.0", {"kind": "message", "payload": {"text": "電子書籍"}})
    store.claim("message:C1:2.0", {"kind": "message", "payload": {"text": "ブックポスト"}})
    store.finish("message:C1:2.0")
    clock.now += 8 * 24 * 3600  # a forward step of eight days
    assert store.purge() == 1  # the answered one
    assert [work_id for work_id, _ in store.unfinished()] == ["message:C1:1.0"]


def test_a_key_is_marked_once_within_its_time_and_again_after(store, clock):
    assert store.mark("click:x", ttl=3) is True
    assert store.mark("click:x", ttl=3) is False
    clock.now += 4
    assert store.mark("click:x", ttl=3) is True


def test_work_is_taken_only_when_its_owners_lease_has_run_out(store, clock):
    store.claim("w1", {"kind": "k", "payload": {}}, owner="first", lease=clock.now + 60)
    assert store.take("second", clock.now + 60) == []
    assert store.attempt("w1", {"kind": "k", "payload": {}}, "second", clock.now + 60) is False
    clock.now += 61
    assert [w for w, _ in store.take("second", clock.now + 60)] == ["w1"]
    assert store.attempt("w1", {"kind": "k", "payload": {}}, "first", clock.now + 60) is False  # it was taken


def test_a_file_that_is_not_a_state_file_is_refused_without_advice_to_delete_it(tmp_path):
    bad = tmp_path / "state.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateUnavailable) as refused:
        StateStore(bad)
    assert str(bad) in str(refused.value) and "削除" not in str(refused.value)
    assert bad.read_bytes() == b"this is not sqlite" * 100  # kept as it was


def test_work_whose_text_holds_a_lone_surrogate_is_stored(store):
    assert store.claim("w1", {"text": "\ud800電子書籍"}) is True  # Socket Mode has no HTTP gate to refuse it
    assert store.unfinished() == [("w1", {"text": "\ud800電子書籍"})]
