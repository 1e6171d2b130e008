"""planbot in Slack under faults, end to end (the real HTTP server, the Web API stand-in): a Slack outage,
a Web API that hangs or rate-limits, clicks while it hangs, a start while it is down, repeated clicks.
Timeouts and backoffs are production's scaled down to tenths of a second."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from test_slack import QUICK_RETRY, SECRET, event, interaction, mention, settle, start_server, stop_server

from bot import slack_client
from bot.app import SORRY, build_app
from bot.settings import Settings
from bot.state import StateStore
from bot.work import Retry


@pytest.fixture
def served(kb, stub, tmp_path, monkeypatch):
    monkeypatch.setattr(slack_client, "TIMEOUT", 0.5)  # a hung call gives up in half a second
    server = start_server(kb, stub, tmp_path / "state.db")
    yield stub
    stop_server(server)
    stub.app.work.drain(5)


def event_now(stub, ev: dict, event_id: str = "Ev1") -> int:
    """Send a signed event and return its status at once (no waiting for the answer, which is what these
    tests are about)."""
    import urllib.request

    from slack_sdk.signature import SignatureVerifier

    body = json.dumps({"type": "event_callback", "event_id": event_id, "event": ev})
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)}  # fmt: skip
    request = urllib.request.Request(stub.events_url, data=body.encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as r:
        return r.status


def replies(stub, thread_ts: str) -> list[dict]:
    return [a for a in stub.of("chat.postMessage") if a.get("thread_ts") == thread_ts]


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_questions_acked_during_a_slack_outage_are_answered_once_it_is_back(served):
    served.fail_next = {"chat.postMessage": [503] * 6}  # longer than the client's own retries (3 calls)
    for n in range(3):
        assert event_now(served, mention("電子書籍", ts=f"70.{n}"), event_id=f"Ev7{n}") == 200
    assert wait_for(lambda: all(replies(served, f"70.{n}") and served.statuses("chat.postMessage")[-1] == 200
                                for n in range(3)))  # fmt: skip
    settle(served)
    for n in range(3):
        assert all(SORRY not in a.get("text", "") for a in replies(served, f"70.{n}"))
    delivered = [s for m, s in served.answered if m == "chat.postMessage" and s == 200]
    assert len(delivered) == 3  # each answered exactly once
    assert StateStore(served.app.work.store.path).unfinished() == []


def test_a_question_slack_never_accepts_gets_the_asker_told_once_when_it_expires(kb, stub, tmp_path, monkeypatch):
    monkeypatch.setattr("test_slack.QUICK_RETRY", Retry(first=0.02, most=0.05, expire=1.0, lease=30.0, tick=0.5))
    server = start_server(kb, stub, tmp_path / "state.db")
    stub.errors["chat.postMessage"] = "service_unavailable"  # Slack's own "try later", past the expiry
    recovered = []

    def slack_is_back():  # after the answer expired (1 s), while the asker is being told (1 s more)
        with stub.lock:
            recovered.append(len(stub.calls))
            del stub.errors["chat.postMessage"]

    threading.Timer(1.5, slack_is_back).start()
    event_now(stub, mention("電子書籍", ts="71.1"))
    assert wait_for(lambda: recovered and stub.app.work.running == 0)
    stop_server(server)
    after = [a for m, a in stub.calls[recovered[0] :] if m == "chat.postMessage" and a.get("thread_ts") == "71.1"]
    assert [a.get("text") for a in after] == [SORRY]  # told once, and the stale answer not posted after it


def test_a_hung_web_api_call_times_out_and_the_answer_is_posted_once_on_a_later_try(served):
    served.hung, served.hang_seconds = {"chat.postMessage"}, 2.0  # longer than the client's timeout
    event_now(served, mention("電子書籍", ts="72.1"))
    assert wait_for(lambda: "hung" in served.statuses("chat.postMessage"))
    served.hung = set()
    assert wait_for(lambda: served.app.work.running == 0)
    assert len(replies(served, "72.1")) == 1
    assert StateStore(served.app.work.store.path).unfinished() == []


def test_a_long_retry_after_is_not_slept_in_the_client(stub, monkeypatch):
    stub.fail_next = {"chat.postMessage": [429]}
    stub.retry_after = 3600
    client = WebClient(token="xoxb-x", base_url=stub.api_url, retry_handlers=slack_client.retry_handlers())
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x")  # an hour's sleep here would hang the test
    assert slack_client.transient(raised.value) == 3600


@pytest.mark.parametrize(
    ("error", "wait"),
    [
        (TimeoutError("timed out"), 0.0),
        (ConnectionResetError(), 0.0),
        (ZeroDivisionError(), None),
        (slack_client.Undelivered("503", 7), 7),
    ],
)
def test_failures_slack_may_recover_from_are_worth_another_try(error, wait):
    assert slack_client.transient(error) == wait


def test_clicks_are_acked_while_the_web_api_hangs(served):
    served.delays["chat.postMessage"] = 1.0
    payloads = [{"type": "block_actions", "user": {"id": f"U{n}"}, "channel": {"id": "C1"}, "trigger_id": f"t{n}",
                 "container": {"type": "message", "message_ts": f"73.{n}", "channel_id": "C1"},
                 "message": {"ts": f"73.{n}"}, "actions": [{"action_id": "planbot_detail", "value": "3-(1)-①",
                                                            "action_ts": f"73.{n}"}]}
                for n in range(24)]  # more clicks than Bolt has listener threads  # fmt: skip
    with ThreadPoolExecutor(24) as pool:
        statuses = [s for s, _ in pool.map(lambda p: interaction(served, p), payloads)]
    assert statuses == [200] * 24


def test_the_app_starts_and_answers_while_auth_test_fails(kb, stub, tmp_path):
    stub.fail_next = {"auth.test": [503] * 100}
    settings = Settings(bot_token="xoxb-test", signing_secret=SECRET, api_url=stub.api_url)
    app = build_app(settings, kb, http=True, state=StateStore(tmp_path / "state.db"), retry=QUICK_RETRY)
    from bot.server import http_server, start, stop

    server = http_server(app, "127.0.0.1", 0)
    start(server)
    stub.app, stub.events_url = app, f"http://127.0.0.1:{server.effective_port}/slack/events"
    assert event(stub, mention("電子書籍", ts="74.1"))[0] == 200
    settle(stub)
    stop(server)
    app.work.drain(5)
    assert "3-(1)-①" in json.dumps(replies(stub, "74.1"), ensure_ascii=False)


DETAIL = {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "C1"}, "trigger_id": "t1",
          "container": {"type": "message", "message_ts": "75.1", "channel_id": "C1"}, "message": {"ts": "75.1"},
          "actions": [{"action_id": "planbot_detail", "value": "3-(1)-①", "action_ts": "75.2"}]}  # fmt: skip


@pytest.mark.parametrize(
    "second",
    [DETAIL, {**DETAIL, "trigger_id": "t2", "actions": [{**DETAIL["actions"][0], "action_ts": "75.3"}]}],
    ids=["replayed", "double-clicked"],
)
def test_a_replayed_or_double_clicked_button_acts_once(served, second):
    assert interaction(served, DETAIL)[0] == 200
    assert interaction(served, second)[0] == 200
    settle(served)
    assert len(replies(served, "75.1")) == 1


def test_expired_state_is_purged_with_the_question_log_off(kb, stub, tmp_path):
    settings = Settings(bot_token="xoxb-test", signing_secret=SECRET, api_url=stub.api_url, log_questions=False)
    store = StateStore(tmp_path / "state.db")
    store.put("C1:1.0", {"topic": "x"}, ttl=-1)  # already expired
    app = build_app(settings, kb, http=True, state=store, retry=QUICK_RETRY)
    app.work.upkeep()
    app.work.drain(1)
    assert store.conn.execute("select count(*) from context").fetchone()[0] == 0


def test_serve_refuses_a_state_file_it_cannot_write_in_one_line(tmp_path, db_path):
    env = {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(tmp_path), "HOME": str(tmp_path),  # a folder
           "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s"}  # fmt: skip
    out = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--http", "--port", "0"], env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=60)  # fmt: skip
    assert out.returncode == 1 and "Traceback" not in out.stderr
    [line] = [x for x in out.stderr.splitlines() if x.startswith("planbot:")]
    assert str(tmp_path) in line and "削除" not in line


def test_serve_http_starts_and_acks_with_the_web_api_unreachable(tmp_path, db_path):
    import signal
    import socket
    import urllib.request
    from urllib.error import HTTPError, URLError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(tmp_path / "state.db"), "HOME": str(tmp_path),
           "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": "http://127.0.0.1:9/api/"}  # nothing listens there  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/slack/events", timeout=1)
        except HTTPError:
            return True  # 405 for a GET: it is up
        except URLError:
            return proc.poll() is not None  # refused: still starting, unless it exited
        return True

    try:
        assert wait_for(answers, timeout=30) and proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
