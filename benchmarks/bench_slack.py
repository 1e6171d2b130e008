"""Time to ack and time until the answer is posted, on localhost, through the real HTTP server.

The app runs as in production (ack first, answer on Bolt's thread pool); requests are signed like
Slack's; the Web API is the recording stand-in from tests/. Prints a Markdown table.

    .venv/bin/python benchmarks/bench_slack.py [--n 100]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.server import http_server  # noqa: E402
from bot.settings import Settings  # noqa: E402
from knowledge.answer import KnowledgeBase  # noqa: E402
from knowledge.index import build_index, connect  # noqa: E402

from slack_stub import SlackStub  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = [
    "電子書籍の進捗は？",
    "ブックポスト",
    "重点事業",
    "目標を下回っている指標は？",
    "全体のまとめ",
    "今日の天気は？",
]


def post(url: str, body: str, content_type: str) -> float:
    ts = str(int(time.time()))
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})  # fmt: skip
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=5) as r:
        r.read()
    return t


def wait_for(stub: SlackStub, method: str, count: int) -> float:
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        if len(stub.of(method)) + len(stub.responses()) >= count:
            return time.perf_counter()
        time.sleep(0.0005)
    raise TimeoutError(method)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args()
    db, _ = build_index(None, Path(tempfile.mkdtemp()) / "planbot.db")
    kb = KnowledgeBase(connect(db))
    stub = SlackStub()
    app = build_app(Settings(bot_token="xoxb-bench", signing_secret=SECRET, api_url=stub.api_url), kb, http=True)
    server = http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"

    results: dict[str, tuple[list[float], list[float]]] = {}
    done = 0

    def measure(name: str, body: str, content_type: str) -> None:
        nonlocal done
        start = post(url, body, content_type)
        acked = time.perf_counter()
        done += 1
        posted = wait_for(stub, "chat.postMessage", done)
        acks, posts = results.setdefault(name, ([], []))
        acks.append((acked - start) * 1000)
        posts.append((posted - start) * 1000)

    for i in range(args.n):
        q = QUESTIONS[i % len(QUESTIONS)]
        mention = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {q}", "ts": f"{i}.1", "channel": "C1"}
        event = json.dumps({"type": "event_callback", "event_id": f"Ev{i}", "event": mention})
        measure("@mention → thread reply", event, "application/json")
        form = urlencode({"command": "/shinchoku", "text": q, "user_id": "U1", "channel_id": "C1",
                          "response_url": stub.response_url(), "trigger_id": "t"})  # fmt: skip
        measure("slash command → ephemeral reply", form, "application/x-www-form-urlencoded")

    print(f"{args.n} requests of each kind, questions {QUESTIONS}\n")
    print("| request | ack p50 ms | ack p99 ms | answer posted p50 ms | answer posted p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for name, (acks, posts) in results.items():
        print(f"| {name} | {statistics.median(acks):.1f} | {pct(acks, 0.99):.1f} | "
              f"{statistics.median(posts):.1f} | {pct(posts, 0.99):.1f} |")  # fmt: skip
    server.shutdown()
    stub.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
