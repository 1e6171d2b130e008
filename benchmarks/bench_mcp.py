"""planbot's MCP endpoint on localhost: the real HTTP server (waitress) with /mcp mounted beside
/slack/events, called with the mcp package's own client over streamable HTTP.

Prints, as Markdown table rows, the latency of each tool per call (one client session, calls one at a
time) and of the answer tool under 8 concurrent sessions, plus `planbot ask` in-process for scale.

    .venv/bin/python benchmarks/bench_mcp.py [--n 100]

Traffic goes only to 127.0.0.1; every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mcp import Client  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.cards import render  # noqa: E402
from bot.mcp_server import MCP_PATH, mcp_wsgi  # noqa: E402
from bot.server import http_server, start, stop  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.state import StateStore  # noqa: E402
from knowledge.answer import KnowledgeBase  # noqa: E402
from knowledge.index import build_index, connect  # noqa: E402

from slack_stub import SlackStub  # noqa: E402

QUESTIONS = ["電子書籍の進捗は？", "ブックポストは区内に何か所ある？", "重点事業", "目標を下回っている指標は？",
             "全体のまとめ"]  # fmt: skip
CALLS = [
    ("answer", lambda i: {"question": QUESTIONS[i % len(QUESTIONS)]}),
    ("project_status", lambda i: {"project_id": "3-(1)-①"}),
    ("indicator_values", lambda i: {"query": "電子書籍"}),
    ("list_projects", lambda i: {"grade": "a"}),
    ("plan_summary", lambda i: {}),
]


def ms(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, q[98] * 1000


async def one_at_a_time(url: str, tool: str, args, n: int) -> list[float]:
    async with Client(url) as client:
        await client.call_tool(tool, args(0))  # warm: schemas, first imports
        times = []
        for i in range(n):
            t = time.perf_counter()
            result = await client.call_tool(tool, args(i))
            times.append(time.perf_counter() - t)
            assert not result.is_error, result.content
        return times


async def concurrent_sessions(url: str, n: int, sessions: int = 8) -> tuple[list[float], float]:
    async def session(k: int) -> list[float]:
        return await one_at_a_time(url, "answer", lambda i: {"question": QUESTIONS[(i + k) % len(QUESTIONS)]}, n)

    t = time.perf_counter()
    per_session = await asyncio.gather(*(session(k) for k in range(sessions)))
    return [x for times in per_session for x in times], time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100, help="calls per tool")
    args = ap.parse_args()
    logging.disable(logging.INFO)  # the SDK logs every HTTP request

    with tempfile.TemporaryDirectory() as tmp:
        db, _ = build_index(None, Path(tmp) / "planbot.db")
        kb = KnowledgeBase(connect(db))
        stub = SlackStub()
        settings = Settings(bot_token="xoxb-bench", signing_secret="bench", api_url=stub.api_url)
        app = build_app(settings, kb, http=True, state=StateStore(Path(tmp) / "state.db"))
        server = http_server(app, "127.0.0.1", 0, mounts={MCP_PATH: mcp_wsgi(kb)})
        start(server)
        url = f"http://127.0.0.1:{server.effective_port}{MCP_PATH}"
        try:
            print("| call | n | p50 ms | p99 ms |")
            print("|---|---:|---:|---:|")
            for tool, tool_args in CALLS:
                p50, p99 = ms(asyncio.run(one_at_a_time(url, tool, tool_args, args.n)))
                print(f"| MCP `{tool}` (one at a time) | {args.n} | {p50:.1f} | {p99:.1f} |")
            times, wall = asyncio.run(concurrent_sessions(url, args.n // 4))
            p50, p99 = ms(times)
            print(f"| MCP `answer`, 8 sessions at once ({len(times)} calls in {wall:.1f} s) | {len(times)} | "
                  f"{p50:.1f} | {p99:.1f} |")  # fmt: skip
            local = []
            for i in range(args.n):
                t = time.perf_counter()
                render(kb.answer(QUESTIONS[i % len(QUESTIONS)]))
                local.append(time.perf_counter() - t)
            p50, p99 = ms(local)
            print(f"| the same answer in-process (no HTTP, no MCP) | {args.n} | {p50:.2f} | {p99:.2f} |")
        finally:
            stop(server)
            stub.close()


if __name__ == "__main__":
    main()
