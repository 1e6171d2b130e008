"""The HTTP server in front of Bolt (bot/server.py): whatever arrives gets 4xx, never 500 or a traceback;
every refusal leaves a log line; slow senders cannot lock real requests out."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
from urllib.parse import urlencode

import pytest
from test_reliability import raw, signed
from test_slack import event, form, mention, settle, start_server, stop_server

from bot import server as server_module


@pytest.fixture
def served(kb, stub, tmp_path):
    server = start_server(kb, stub, tmp_path / "state.db")
    yield stub
    stop_server(server)


def address(stub) -> tuple[str, int]:
    host, port = stub.events_url.split("//")[1].split("/")[0].split(":")
    return host, int(port)


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [("²", "v0=00"), ("9" * 5000, "v0=00"), (str(int(time.time())), "v0=ｆｆｆ")],
)
def test_odd_timestamps_and_signatures_get_401_and_no_traceback(served, caplog, timestamp, signature):
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": signature}  # fmt: skip
    with caplog.at_level(logging.WARNING):
        assert raw(served, b"{}", {k: v.encode() for k, v in headers.items()}) == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


ODD_MENTION = {"type": "app_mention", "ts": "1.1", "channel": "C1"}


@pytest.mark.parametrize(
    "body",
    [
        {"type": "event_callback", "event_id": "E1", "event": {**ODD_MENTION, "text": 12345}},
        {"type": "event_callback", "event_id": "E2", "event": [1, 2, 3]},
        {"type": "event_callback", "event_id": "E3", "event": {**ODD_MENTION, "text": "\ud800電子書籍"}},
    ],
)
def test_odd_signed_bodies_get_400_and_no_reply(served, caplog, body):
    data = json.dumps(body).encode()
    with caplog.at_level(logging.WARNING):
        assert raw(served, data, signed(data, "application/json")) == 400
    assert [c for c in served.calls if c[0] != "auth.test"] == []
    assert not [r for r in caplog.records if r.exc_info]


def test_json_nested_deeper_than_python_can_read_gets_400(served):
    data = b"[" * 200_000 + b"]" * 200_000
    assert raw(served, data, signed(data, "application/json")) == 400


@pytest.mark.parametrize(
    "fields",
    [{"text": "payload 電子書籍"}, {"text": "電子書籍", "channel_name": "payload-team"}],
)
def test_a_slash_command_mentioning_payload_is_answered(served, fields):
    body = {"command": "/shinchoku", "user_id": "U1", "channel_id": "C1", "trigger_id": "T1",
            "response_url": served.response_url("p"), **fields}  # fmt: skip
    assert form(served, body)[0] == 200
    settle(served)
    assert "3-(1)-①" in json.dumps(served.responses(), ensure_ascii=False)


def test_a_refused_request_leaves_a_log_line_with_the_clock_skew(served, caplog):
    stale = str(int(time.time()) - 600)
    data = b'{"type": "event_callback"}'
    headers = {**signed(data, "application/json"), "X-Slack-Request-Timestamp": stale}
    with caplog.at_level(logging.WARNING, logger="planbot"):
        assert raw(served, data, headers) == 401
    assert "stale timestamp" in caplog.text and "clock skew +6" in caplog.text


def test_a_request_sent_too_slowly_is_cut_off(served, monkeypatch):
    monkeypatch.setattr(server_module, "REQUEST_DEADLINE", 0.3)
    slow = socket.create_connection(address(served), timeout=5)
    slow.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    slow.settimeout(5)
    assert slow.recv(100) == b""  # closed by the server: the request never completed in time
    slow.close()


def test_dripping_connections_beyond_the_limit_do_not_lock_out_real_requests(kb, stub, tmp_path):
    server = start_server(kb, stub, tmp_path / "state.db", connection_limit=20)
    drips = []
    try:
        for _ in range(25):  # more than the limit, each holding a request open
            s = socket.create_connection(address(stub), timeout=5)
            s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            drips.append(s)
        assert event(stub, mention("電子書籍", ts="60.1"))[0] == 200
    finally:
        for s in drips:
            s.close()
        stop_server(server)


def test_the_default_listen_address_is_this_machine_only():
    from bot.cli import _parser

    assert _parser().parse_args(["serve", "--http"]).host == "127.0.0.1"


def test_an_unsigned_form_gets_401(served):
    assert raw(served, urlencode({"a": "b"}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}) == 401


def test_a_plain_get_is_refused_with_405(served):
    conn = http.client.HTTPConnection(*address(served), timeout=5)
    conn.request("GET", "/slack/events")
    assert conn.getresponse().status == 405


def test_more_connections_than_select_can_watch_do_not_stop_the_server(served):
    # Past file descriptor 1024 select() fails; the limit (1000 connections) is beyond it with the rest.
    held = []
    try:
        for _ in range(1030):
            s = socket.create_connection(address(served), timeout=5)
            s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        assert event(served, mention("電子書籍", ts="61.1"))[0] == 200
    finally:
        for s in held:
            s.close()
