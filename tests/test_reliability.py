"""Reliability and security of the Slack app, through the real HTTP server (waitress) and the Web API
stand-in: requests are verified before anything reads them, malformed input gets 400, nothing
acknowledged is lost across a restart, and nothing is answered twice.

Slack's own limits are written out here, not imported from the code under test.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import time

import pytest
from test_slack import SECRET, event, mention, send, settle, start_server, stop_server

from bot.state import StateStore
from bot.work import WorkQueue


@pytest.fixture
def served(kb, stub, tmp_path):
    server = start_server(kb, stub, tmp_path / "state.db")
    yield stub
    stop_server(server)


def raw(stub, body: bytes, headers: dict, method: str = "POST") -> int:
    host, port = stub.events_url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request(method, "/slack/events", body=body, headers=headers)
    status = conn.getresponse().status
    conn.close()
    settle(stub)
    return status


def signed(body: bytes, content_type: str) -> dict:
    """Headers signed as Slack signs (over the raw bytes, which need not be UTF-8)."""
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def web_api_calls(stub) -> list:
    """Calls made because of requests (Bolt's own auth.test at start-up left out)."""
    return [c for c in stub.calls if c[0] != "auth.test"]


def test_an_unsigned_request_with_a_bad_timestamp_is_refused_and_nothing_is_done(served):
    payload = {"type": "block_actions", "response_url": f"{served.url}/response/evil", "user": {"id": "U1"},
               "channel": {"id": "C1"}, "actions": [{"action_id": "planbot_detail", "value": "3-(1)-①"}]}  # fmt: skip
    body = ("payload=" + json.dumps(payload)).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": "abc",
               "X-Slack-Signature": "v0=00"}  # fmt: skip
    assert raw(served, body, headers) == 401
    assert web_api_calls(served) == []  # no apology posted to the response_url it names, no Web API call


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\xfd", "application/json"),  # not UTF-8
        (b'{"type": "event_callback", "event": {', "application/json"),  # truncated JSON
        (b"[1, 2, 3]", "application/json"),  # a JSON array
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),  # payload that is not JSON
        (b"payload=%5B%5D", "application/x-www-form-urlencoded"),  # payload that is a JSON array
        (b"\xff=\xfe", "application/x-www-form-urlencoded"),  # form data that is not UTF-8
    ],
)
def test_malformed_signed_bodies_get_400(served, body, content_type):
    assert raw(served, body, signed(body, content_type)) == 400
    assert web_api_calls(served) == []


def test_malformed_unsigned_bodies_get_401_not_500(served):
    assert raw(served, b"[1,2", {"Content-Type": "application/json"}) == 401


def test_a_huge_body_is_refused_before_it_is_read(served):
    # Only the headers are sent: the server answers 413 on Content-Length alone.
    host, port = served.events_url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_only_post_to_the_events_path_is_served(served):
    assert raw(served, b"", {}, method="GET") == 405
    host, port = served.events_url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/other", body=b"{}")
    assert conn.getresponse().status == 404


def test_a_retry_after_a_restart_is_not_answered_again(kb, stub, tmp_path):
    state = tmp_path / "state.db"
    server = start_server(kb, stub, state)
    event(stub, mention("電子書籍の進捗は？", ts="10.1"), event_id="EvX")
    stop_server(server)
    server = start_server(kb, stub, state)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert event(stub, mention("電子書籍の進捗は？", ts="10.1"), event_id="EvX", headers=retry)[0] == 200
    stop_server(server)
    assert len(stub.of("chat.postMessage")) == 1  # fails without the stored de-duplication


def test_work_acknowledged_before_a_restart_is_finished_after_it_exactly_once(kb, stub, tmp_path):
    state = tmp_path / "state.db"
    # The first process accepted the mention (and acked it), then stopped before answering.
    store = StateStore(state)
    question = {"channel": "C1", "ts": "20.1", "user": "U1", "text": "<@UBOT> ブックポスト", "where": "channel",
                "thread_ts": "20.1"}  # fmt: skip
    store.claim("message:C1:20.1", {"kind": "message", "payload": question})
    store.claim("event:EvY")
    store.finish("event:EvY")
    store.close()

    server = start_server(kb, stub, state)
    assert stub.app.work.resume() == 1
    settle(stub)
    [answer] = stub.of("chat.postMessage")
    assert answer["thread_ts"] == "20.1" and "1-(3)-①" in json.dumps(answer["blocks"], ensure_ascii=False)
    event(stub, mention("ブックポスト", ts="20.1"), event_id="EvY")  # Slack's retry of it
    assert stub.app.work.resume() == 0
    stop_server(server)
    assert len(stub.of("chat.postMessage")) == 1


def test_draining_leaves_unstarted_work_recorded_for_the_next_start(tmp_path):
    store = StateStore(tmp_path / "state.db")
    done = []
    slow = WorkQueue(store, workers=1)
    slow.register("k", lambda p: (time.sleep(0.2), done.append(p["n"])))
    for n in range(5):
        slow.accept(f"w{n}", "k", {"n": n})
    left = slow.drain(timeout=0.05)
    assert left >= 1 and len(store.unfinished()) >= 4
    again = WorkQueue(store, workers=4)
    again.register("k", lambda p: done.append(p["n"]))
    again.resume()
    again.drain(timeout=5)
    assert sorted(done) == [0, 1, 2, 3, 4] and store.unfinished() == []


def test_a_web_api_5xx_is_retried_and_the_answer_arrives(served):
    served.fail_next = {"chat.postMessage": [500]}
    event(served, mention("大使館", ts="30.1"))
    time.sleep(1.2)  # slack_sdk's backoff before the retry
    settle(served)
    assert served.statuses("chat.postMessage") == [500, 200]


def test_a_reset_connection_is_retried(served):
    served.fail_next = {"chat.postMessage": ["reset"]}
    event(served, mention("大使館", ts="31.1"))
    time.sleep(1.2)
    settle(served)
    assert served.statuses("chat.postMessage") == ["reset", 200]


def test_a_response_url_that_keeps_failing_is_tried_again_until_the_answer_arrives(served, caplog):
    served.fail_next = {"/response/r1": [500, 500, 500, 500]}
    with caplog.at_level(logging.WARNING, logger="planbot"):
        send(served, f"command=%2Fshinchoku&text=x&user_id=U1&channel_id=C1&trigger_id=T9&response_url="
                     f"{served.response_url('r1')}", "application/x-www-form-urlencoded")  # fmt: skip
        deadline = time.monotonic() + 10
        while 200 not in served.statuses("/response/r1") and time.monotonic() < deadline:
            time.sleep(0.05)
    assert served.statuses("/response/r1")[-1] == 200  # after the client's retries, the work queue's
    assert "trying again" in caplog.text


def test_a_button_whose_web_api_call_fails_after_its_ack_gets_200_and_a_kind_word(served):
    served.errors["chat.postMessage"] = "channel_not_found"
    payload = {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "C1"}, "trigger_id": "t",
               "container": {"type": "message", "message_ts": "40.1", "channel_id": "C1"}, "message": {"ts": "40.1"},
               "actions": [{"action_id": "planbot_detail", "value": "3-(1)-①"}]}  # fmt: skip
    status, _ = send(served, "payload=" + json.dumps(payload), "application/x-www-form-urlencoded")
    assert status == 200
    time.sleep(0.3)
    settle(served)
    assert served.of("chat.postEphemeral")[0]["user"] == "U1"


def test_idle_connections_do_not_hold_up_requests(served):
    # More idle connections than the server has request threads: they cost no thread.
    host, port = served.events_url.split("//")[1].split("/")[0].split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(40)]
    try:
        started = time.monotonic()
        assert event(served, mention("電子書籍", ts="50.1"))[0] == 200
        assert time.monotonic() - started < 2
    finally:
        for s in idle:
            s.close()
