"""The Slack app under load and faults, on localhost, through the real HTTP server (waitress).

Requests are signed like Slack's; the Web API is the recording stand-in from tests/ (optionally slow).
Scenarios, each printed as a Markdown table row or line:

1. one request at a time: ack and answer-posted latency for mentions and slash commands;
2. a burst of 300 mentions from 50 senders at once: every one acked within 3 s, answered exactly once;
3. 100 slash commands at once while every Web API call takes 200 ms: every one acked within 3 s;
4. `planbot serve --http` as a real process: 40 mentions in flight, SIGTERM, a restart, and Slack's
   retries of all 40: each answered exactly once.

    .venv/bin/python benchmarks/bench_slack.py [--n 100]

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.server import http_server, start, stop  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.state import StateStore  # noqa: E402
from knowledge.answer import KnowledgeBase  # noqa: E402
from knowledge.index import build_index, connect  # noqa: E402

from slack_stub import SlackStub  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = ["電子書籍の進捗は？", "ブックポスト", "重点事業", "目標を下回っている指標は？", "全体のまとめ", "去年は？"]
ACK_LIMIT = 3.0  # Slack's


def post(url: str, body: str, content_type: str, headers: dict | None = None) -> tuple[int, float, float]:
    """Send a signed request: (status, sent at, acked at)."""
    ts = str(int(time.time()))
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
        **(headers or {})})  # fmt: skip
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()
            status = r.status
    except HTTPError as e:
        status = e.code
    except (URLError, ConnectionError, TimeoutError):
        status = 0  # reset or refused
    return status, t, time.perf_counter()


def mention_body(n: int, user: str = "U1", channel: str = "C1", text: str = "電子書籍の進捗は？") -> str:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": f"{1000 + n}.1", "channel": channel}
    return json.dumps({"type": "event_callback", "event_id": f"Ev{n}", "event": event})


def command_body(n: int, stub: SlackStub, text: str = "電子書籍") -> str:
    return urlencode({"command": "/shinchoku", "text": text, "user_id": "U1", "channel_id": "C1",
                      "response_url": stub.response_url(f"r{n}"), "trigger_id": f"T{n}"})  # fmt: skip


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def wait_until(condition, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def posted_at(stub: SlackStub, key: str, field: str) -> dict[str, list[float]]:
    """When each answer was posted, by the value of `field` in the call (thread_ts for mentions)."""
    with stub.lock:
        calls = list(zip(stub.calls, stub.times))
    out: dict[str, list[float]] = {}
    for (method, args), t in calls:
        if method == key or method.startswith(key):
            out.setdefault(str(args.get(field, method)), []).append(t)
    return out


class InProcess:
    """The app as `planbot serve --http` builds it, in this process, with a fresh stub and state."""

    def __init__(self, kb, tmp: Path, latency: float = 0.0):
        self.stub = SlackStub()
        self.stub.latency = latency
        settings = Settings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=self.stub.api_url)
        self.app = build_app(settings, kb, http=True, state=StateStore(tmp / f"state-{time.time_ns()}.db"))
        self.server = http_server(self.app, "127.0.0.1", 0)
        start(self.server)
        self.url = f"http://127.0.0.1:{self.server.effective_port}/slack/events"

    def close(self):
        stop(self.server)
        self.app.work.drain(10)
        self.stub.close()


def one_at_a_time(kb, tmp: Path, n: int) -> None:
    s = InProcess(kb, tmp)
    rows = {"@mention → thread reply": ([], []), "slash command → ephemeral reply": ([], [])}
    for i in range(n):
        q = QUESTIONS[i % len(QUESTIONS)]
        _, sent, acked = post(s.url, mention_body(i, text=q), "application/json")
        wait_until(lambda i=i: f"{1000 + i}.1" in posted_at(s.stub, "chat.postMessage", "thread_ts"), 5)
        rows["@mention → thread reply"][0].append((acked - sent) * 1000)
        rows["@mention → thread reply"][1].append(
            (posted_at(s.stub, "chat.postMessage", "thread_ts")[f"{1000 + i}.1"][0] - sent) * 1000
        )
        _, sent, acked = post(s.url, command_body(i, s.stub, q), "application/x-www-form-urlencoded")
        wait_until(lambda i=i: f"/response/r{i}" in posted_at(s.stub, "/response/", "x"), 5)
        rows["slash command → ephemeral reply"][0].append((acked - sent) * 1000)
        rows["slash command → ephemeral reply"][1].append(
            (posted_at(s.stub, "/response/", "x")[f"/response/r{i}"][0] - sent) * 1000
        )
    s.close()
    print(f"### 1. One request at a time ({n} of each kind)\n")
    print("| request | ack p50 ms | ack p99 ms | answer posted p50 ms | answer posted p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, (acks, posts) in rows.items():
        print(f"| {name} | {statistics.median(acks):.1f} | {pct(acks, 0.99):.1f} | "
              f"{statistics.median(posts):.1f} | {pct(posts, 0.99):.1f} |")  # fmt: skip


def burst(kb, tmp: Path, total: int = 300, senders: int = 50) -> None:
    s = InProcess(kb, tmp)
    bodies = [mention_body(i, user=f"U{i % senders}", channel=f"C{i % 10}", text=QUESTIONS[i % len(QUESTIONS)])
              for i in range(total)]  # fmt: skip
    t0 = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        results = list(pool.map(lambda b: post(s.url, b, "application/json"), bodies))
    answered = wait_until(lambda: len(s.stub.of("chat.postMessage")) >= total, 60)
    times = posted_at(s.stub, "chat.postMessage", "thread_ts")
    acks = [(a - t) for _, t, a in results]
    answers = [min(times[f"{1000 + i}.1"]) - results[i][1] for i in range(total) if f"{1000 + i}.1" in times]
    statuses = Counter(st for st, _, _ in results)
    once = sum(1 for i in range(total) if len(times.get(f"{1000 + i}.1", [])) == 1)
    s.close()
    print(f"\n### 2. Burst: {total} mentions from {senders} senders at once\n")
    print("| acked (200) | acked within 3 s | ack p50 ms | ack p99 ms | answered exactly once | answer p50 ms | "
          "answer p99 ms | all answered after |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {statuses[200]}/{total} | {sum(a <= ACK_LIMIT for a in acks)}/{total} | "
        f"{statistics.median(acks) * 1000:.0f} | {pct(acks, 0.99) * 1000:.0f} | {once}/{total} | "
        f"{statistics.median(answers) * 1000:.0f} | {pct(answers, 0.99) * 1000:.0f} | "
        f"{(max(max(v) for v in times.values()) - t0) * 1000:.0f} ms |" + ("" if answered else " (timed out)")
    )


def slow_slack(kb, tmp: Path, total: int = 100, latency: float = 0.2) -> None:
    s = InProcess(kb, tmp, latency=latency)
    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(lambda i: post(s.url, command_body(i, s.stub), "application/x-www-form-urlencoded"),
                                range(total)))  # fmt: skip
    wait_until(lambda: len(s.stub.responses()) >= total, 60)
    acks = [(a - t) for _, t, a in results]
    statuses = Counter(st for st, _, _ in results)
    answered = len({m for m, _ in s.stub.calls if m.startswith("/response/")})
    s.close()
    print(f"\n### 3. {total} slash commands at once, every Web API call taking {latency * 1000:.0f} ms\n")
    print("| acked (200) | acked within 3 s | ack p50 ms | ack p99 ms | answered |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {statuses[200]}/{total} | {sum(a <= ACK_LIMIT for a in acks)}/{total} | "
        f"{statistics.median(acks) * 1000:.0f} | {pct(acks, 0.99) * 1000:.0f} | {answered}/{total} |"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, env: dict) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("planbot")
    proc = subprocess.Popen([str(exe), "serve", "--http", "--host", "127.0.0.1", "--port", str(port), "--drain", "0.5"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    up = wait_until(lambda: post(f"http://127.0.0.1:{port}/slack/events", "{}", "application/json")[0] != 0, 20)
    if not up:
        proc.kill()
        raise RuntimeError(proc.stderr.read())
    return proc


def sigterm_and_restart(tmp: Path, db: Path, total: int = 40, latency: float = 0.3) -> None:
    stub = SlackStub()
    stub.latency = latency  # answers take a while, so they are in flight when the signal comes
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": stub.api_url,
           "PLANBOT_DB": str(db), "PLANBOT_STATE": str(tmp / "serve-state.db")}  # fmt: skip
    url = f"http://127.0.0.1:{port}/slack/events"
    first = serve(port, env)
    with ThreadPoolExecutor(total) as pool:
        acked = list(pool.map(lambda i: post(url, mention_body(i), "application/json"), range(total)))
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=60)
    before = len(posted_at(stub, "chat.postMessage", "thread_ts"))
    second = serve(port, env)  # resumes what was acknowledged and not answered
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    with ThreadPoolExecutor(total) as pool:  # Slack's retries of every one of them
        retried = list(pool.map(lambda i: post(url, mention_body(i), "application/json", retry), range(total)))
    wait_until(lambda: len(posted_at(stub, "chat.postMessage", "thread_ts")) >= total, 30)
    time.sleep(1.0)  # anything answered twice would arrive now
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    times = posted_at(stub, "chat.postMessage", "thread_ts")
    counts = Counter(len(times.get(f"{1000 + i}.1", [])) for i in range(total))
    stub.close()
    print(f"\n### 4. SIGTERM with {total} mentions in flight, a restart, and Slack's retries "
          f"(`planbot serve --http`, Web API {latency * 1000:.0f} ms per call, drain 0.5 s)\n")  # fmt: skip
    print("| acked before SIGTERM | answered before exit | answered after restart | retries acked | "
          "answered exactly once | answered twice | never |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {sum(st == 200 for st, _, _ in acked)}/{total} | {before} | {len(times) - before} | "
        f"{sum(st == 200 for st, _, _ in retried)}/{total} | {counts[1]}/{total} | "
        f"{sum(v for k, v in counts.items() if k > 1)} | {counts[0]} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is what a burst is
    tmp = Path(tempfile.mkdtemp())
    db, _ = build_index(None, tmp / "planbot.db")
    kb = KnowledgeBase(connect(db))
    one_at_a_time(kb, tmp, args.n)
    burst(kb, tmp)
    slow_slack(kb, tmp)
    sigterm_and_restart(tmp, db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
