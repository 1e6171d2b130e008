"""The Slack app under load and faults, on localhost, through the real HTTP server (waitress).

Requests are signed like Slack's; the Web API is the recording stand-in from tests/ (optionally slow).
Scenarios, each printed as a Markdown table row or line:

1. one request at a time: ack and answer-posted latency for mentions and slash commands;
2. a burst of 300 mentions from 50 senders at once: every one acked within 3 s, answered exactly once;
3. 100 slash commands at once while every Web API call takes 200 ms: every one acked within 3 s;
4. `planbot serve --http` as a real process: 40 mentions in flight, SIGTERM, a restart, and Slack's
   retries of all 40: each answered exactly once.

Faults (issue 17), with production's timeouts and backoff:

5. a Slack outage: chat.postMessage answers 503 for 15 s while 10 questions are acked;
6. a hung Web API: chat.postMessage never answers for 15 s while 40 questions arrive; and
   `planbot serve --http --drain 2` stopped with calls hung;
7. slow-loris: 1,010 connections each dripping a byte every 10 s (reconnecting when closed) while 50
   mentions arrive;
8. the state file locked by another process for 15 s (an admin's `begin exclusive`) while 20 mentions arrive;
9. two `planbot serve` processes on one state file (a rolling deploy): 40 mentions to the first, the
   second started while they are in flight, then the first stopped;
10. 48 button clicks (詳細) at once while chat.postMessage hangs: every one acked (not 404).

    .venv/bin/python benchmarks/bench_slack.py [--n 100] [--only 5,6]

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
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
from bot.work import Retry  # noqa: E402
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
        self.state = tmp / f"state-{time.time_ns()}.db"
        self.app = build_app(settings, kb, http=True, state=StateStore(self.state), retry=Retry())
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


def serve(port: int, env: dict, drain: float = 0.5) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("planbot")
    log = open(Path(env["PLANBOT_STATE"]).with_suffix(f".{port}.log"), "w")  # noqa: SIM115 (the server's)
    args = [str(exe), "serve", "--http", "--host", "127.0.0.1", "--port", str(port), "--drain", str(drain)]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    up = wait_until(lambda: post(f"http://127.0.0.1:{port}/slack/events", "{}", "application/json")[0] != 0, 20)
    if not up:
        proc.kill()
        raise RuntimeError(Path(log.name).read_text())
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


def delivered_threads(stub: SlackStub) -> dict[str, list[float]]:
    """When each thread's answer was delivered (answered 200 by Slack), by thread_ts."""
    with stub.lock:
        out: dict[str, list[float]] = {}
        for method, args, t in stub.delivered:
            if method == "chat.postMessage":
                out.setdefault(str(args.get("thread_ts")), []).append(t)
    return out


def outage(kb, tmp: Path, total: int = 10, down: float = 15.0) -> None:
    s = InProcess(kb, tmp)
    s.stub.fail_next = {"chat.postMessage": [503] * 10**6}
    acked = [post(s.url, mention_body(i, channel=f"C{i}"), "application/json") for i in range(total)]
    time.sleep(down)
    with s.stub.lock:
        s.stub.fail_next["chat.postMessage"] = []
    back = time.perf_counter()
    done = wait_until(lambda: len(delivered_threads(s.stub)) >= total, 120)
    times = delivered_threads(s.stub)
    after = [min(v) - back for v in times.values()]
    sorry = sum("申し訳" in (a.get("text") or "") for m, a, _ in s.stub.delivered)
    s.close()
    print(f"\n### 5. Slack outage: chat.postMessage 503 for {down:.0f} s, {total} questions acked meanwhile\n")
    print("| acked (200) | answered exactly once | answered twice | never | told 「申し訳…」 | "
          "answered after Slack was back: p50 | max |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {sum(a[0] == 200 for a in acked)}/{total} | {sum(len(v) == 1 for v in times.values())}/{total} | "
        f"{sum(len(v) > 1 for v in times.values())} | {total - len(times)} | {sorry} | "
        f"{statistics.median(after):.1f} s | {max(after):.1f} s |" + ("" if done else " (timed out)")
    )


def hung_api(kb, tmp: Path, db: Path, total: int = 40, hang: float = 15.0) -> None:
    s = InProcess(kb, tmp)
    s.stub.hung, s.stub.hang_seconds = {"chat.postMessage"}, 60.0
    with ThreadPoolExecutor(total) as pool:
        acked = list(pool.map(lambda i: post(s.url, mention_body(i, channel=f"C{i % 20}"), "application/json"),
                              range(total)))  # fmt: skip
    time.sleep(hang)
    s.stub.hung = set()
    back = time.perf_counter()
    done = wait_until(lambda: len(delivered_threads(s.stub)) >= total, 180)
    times = delivered_threads(s.stub)
    after = [min(v) - back for v in times.values()]
    acks = [a - t for _, t, a in acked]
    s.close()
    print(f"\n### 6. Hung Web API: chat.postMessage never answers for {hang:.0f} s, {total} questions arriving "
          f"(client timeout 10 s)\n")  # fmt: skip
    print("| acked within 3 s | ack p99 ms | answered exactly once | answered twice | never | "
          "answered after Slack was back: p50 | max |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {sum(a <= ACK_LIMIT for a in acks)}/{total} | {pct(acks, 0.99) * 1000:.0f} | "
          f"{sum(len(v) == 1 for v in times.values())}/{total} | {sum(len(v) > 1 for v in times.values())} | "
          f"{total - len(times)} | {statistics.median(after):.1f} s | {max(after):.1f} s |"
          + ("" if done else " (timed out)"))  # fmt: skip
    # The same hang, and SIGTERM with --drain 2: the process exits in its time; a restart answers all.
    stub = SlackStub()
    stub.hung, stub.hang_seconds = {"chat.postMessage"}, 60.0
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": stub.api_url,
           "PLANBOT_DB": str(db), "PLANBOT_STATE": str(tmp / "hung-state.db")}  # fmt: skip
    url = f"http://127.0.0.1:{port}/slack/events"
    first = serve(port, env, drain=2)
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda i: post(url, mention_body(i), "application/json"), range(20)))
    time.sleep(1.0)
    t = time.perf_counter()
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=120)
    exited = time.perf_counter() - t
    stub.hung = set()
    second = serve(port, env, drain=2)
    wait_until(lambda: len(delivered_threads(stub)) >= 20, 60)
    time.sleep(1.0)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    times = delivered_threads(stub)
    stub.close()
    print(f"\n`planbot serve --http --drain 2` with every chat.postMessage hung: SIGTERM → exit in {exited:.1f} s; "
          f"after a restart with Slack back, {sum(len(v) == 1 for v in times.values())}/20 answered exactly once, "
          f"{sum(len(v) > 1 for v in times.values())} twice, {20 - len(times)} never.")  # fmt: skip


def slow_loris(kb, tmp: Path, attackers: int = 1010, total: int = 50, drip: float = 10.0) -> None:
    s = InProcess(kb, tmp)
    host, port = "127.0.0.1", int(s.url.split(":")[2].split("/")[0])
    stop = threading.Event()
    opened = [0]

    def connect():
        try:
            sock = socket.create_connection((host, port), timeout=5)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            opened[0] += 1
            return sock
        except OSError:
            return None

    socks = [connect() for _ in range(attackers)]

    def dripping():
        while not stop.wait(drip):
            for n, sock in enumerate(socks):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b"X")
                except OSError:  # closed by the server: the attacker comes back
                    socks[n] = connect()

    threading.Thread(target=dripping, daemon=True).start()
    results = []
    for i in range(total):
        results.append(post(s.url, mention_body(i, channel=f"C{i}"), "application/json"))
        time.sleep(0.4)
    stop.set()
    for sock in socks:
        if sock is not None:
            sock.close()
    wait_until(lambda: len(delivered_threads(s.stub)) >= total, 30)
    answered = len(delivered_threads(s.stub))
    s.close()
    acks = [a - t for st, t, a in results if st == 200]
    print(f"\n### 7. Slow-loris: {attackers} connections dripping a byte every {drip:.0f} s (reconnecting when "
          f"closed), {total} mentions meanwhile\n")  # fmt: skip
    print("| acked (200) | acked within 3 s | ack p50 ms | ack p99 ms | answered | attacker connections opened |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(acks)}/{total} | {sum(a <= ACK_LIMIT for a in acks)}/{total} | "
          f"{statistics.median(acks) * 1000 if acks else float('nan'):.0f} | {pct(acks, 0.99) * 1000:.0f} | "
          f"{answered}/{total} | {opened[0]} |")  # fmt: skip


def locked_state(kb, tmp: Path, total: int = 20, held: float = 15.0) -> None:
    s = InProcess(kb, tmp)
    admin = sqlite3.connect(s.state, isolation_level=None, check_same_thread=False)
    admin.execute("begin exclusive")  # an admin's sqlite3 shell, a VACUUM
    released = []

    def release():
        time.sleep(held)
        admin.execute("rollback")
        released.append(time.perf_counter())

    threading.Thread(target=release, daemon=True).start()
    with ThreadPoolExecutor(total) as pool:
        acked = list(pool.map(lambda i: post(s.url, mention_body(i, channel=f"C{i}"), "application/json"),
                              range(total)))  # fmt: skip
    wait_until(lambda: released, held + 5)
    done = wait_until(lambda: len(delivered_threads(s.stub)) >= total, 60)
    times = delivered_threads(s.stub)
    after = [min(v) - released[0] for v in times.values()]
    s.close()
    acks = [a - t for _, t, a in acked]
    print(f"\n### 8. The state file locked by another process for {held:.0f} s, {total} mentions at once\n")
    print("| acked within 3 s | ack p50 ms | ack p99 ms | answered exactly once | answered twice | never | "
          "answered after the lock was released: max |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {sum(a <= ACK_LIMIT for a in acks)}/{total} | {statistics.median(acks) * 1000:.0f} | "
          f"{pct(acks, 0.99) * 1000:.0f} | {sum(len(v) == 1 for v in times.values())}/{total} | "
          f"{sum(len(v) > 1 for v in times.values())} | {total - len(times)} | {max(after):.1f} s |"
          + ("" if done else " (timed out)"))  # fmt: skip


def two_processes(tmp: Path, db: Path, total: int = 40, latency: float = 1.0) -> None:
    stub = SlackStub()
    stub.latency = latency
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": stub.api_url,
           "PLANBOT_DB": str(db), "PLANBOT_STATE": str(tmp / "shared-state.db")}  # fmt: skip
    port_a, port_b = free_port(), free_port()
    first = serve(port_a, env, drain=0.5)
    with ThreadPoolExecutor(total) as pool:
        list(pool.map(lambda i: post(f"http://127.0.0.1:{port_a}/slack/events", mention_body(i, channel=f"C{i}"),
                                     "application/json"), range(total)))  # fmt: skip
    second = serve(port_b, env, drain=0.5)  # a rolling deploy: the new one starts beside the old
    in_flight = total - len(delivered_threads(stub))
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=60)
    wait_until(lambda: len(delivered_threads(stub)) >= total, 60)  # the second takes what the first handed back
    time.sleep(2.0)
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    times = delivered_threads(stub)
    stub.close()
    print(
        f"\n### 9. Two `planbot serve` processes on one state file: {total} mentions to the first (Web API "
        f"{latency * 1000:.0f} ms), the second started while they are in flight, then the first stopped\n"
    )
    print("| in flight when the second started | answered exactly once | answered twice | never |")
    print("|---:|---:|---:|---:|")
    print(
        f"| {in_flight} | {sum(len(v) == 1 for v in times.values())}/{total} | "
        f"{sum(len(v) > 1 for v in times.values())} | {total - len(times)} |"
    )


def clicks_while_hung(kb, tmp: Path, total: int = 48) -> None:
    s = InProcess(kb, tmp)
    s.stub.hung, s.stub.hang_seconds = {"chat.postMessage"}, 15.0

    def click(n: int):
        payload = {"type": "block_actions", "user": {"id": f"U{n}"}, "channel": {"id": "C1"}, "trigger_id": f"t{n}",
                   "container": {"type": "message", "message_ts": f"9{n}.1", "channel_id": "C1"},
                   "message": {"ts": f"9{n}.1"}, "actions": [{"action_id": "planbot_detail", "value": "3-(1)-①",
                                                              "action_ts": f"9{n}.2"}]}  # fmt: skip
        return post(s.url, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    with ThreadPoolExecutor(total) as pool:
        results = list(pool.map(click, range(total)))
    s.stub.hung = set()
    statuses = Counter(st for st, _, _ in results)
    acks = [a - t for _, t, a in results]
    s.close()
    print(f"\n### 10. {total} button clicks (詳細) at once while chat.postMessage hangs\n")
    print("| acked (200) | 404 | acked within 3 s | ack p50 ms | ack p99 ms |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {statuses[200]}/{total} | {statuses[404]} | {sum(a <= ACK_LIMIT for a in acks)}/{total} | "
        f"{statistics.median(acks) * 1000:.0f} | {pct(acks, 0.99) * 1000:.0f} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--only", default="1,2,3,4,5,6,7,8,9,10", help="scenarios to run, e.g. 5,6")
    args = ap.parse_args()
    only = {int(x) for x in args.only.split(",")}
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is what a burst is
    logging.getLogger("planbot").setLevel(logging.CRITICAL)  # the faults are meant: their log lines are noise here
    logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
    tmp = Path(tempfile.mkdtemp())
    db, _ = build_index(None, tmp / "planbot.db")
    kb = KnowledgeBase(connect(db))
    scenarios = {
        1: lambda: one_at_a_time(kb, tmp, args.n),
        2: lambda: burst(kb, tmp),
        3: lambda: slow_slack(kb, tmp),
        4: lambda: sigterm_and_restart(tmp, db),
        5: lambda: outage(kb, tmp),
        6: lambda: hung_api(kb, tmp, db),
        7: lambda: slow_loris(kb, tmp),
        8: lambda: locked_state(kb, tmp),
        9: lambda: two_processes(tmp, db),
        10: lambda: clicks_while_hung(kb, tmp),
    }
    for n, run in scenarios.items():
        if n in only:
            run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
