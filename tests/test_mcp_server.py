"""planbot as an MCP server, end to end: `planbot serve --http` on 127.0.0.1 serves /mcp beside
/slack/events, the mcp package's own client lists and calls every tool, and the answer tool says
exactly what `planbot ask --json` says."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError

import pytest
from mcp import Client

from slack_stub import SlackStub

QUESTIONS = [
    "電子書籍の進捗は？",
    "ブックポストは区内に何か所ある？",
    "令和5年度の電子書籍所蔵タイトル数は？",
    "電子書籍の貸出は目標に届いた？",
    "満足度は下がってる？",
    "去年と比べて電子書籍の貸出はどれくらい増えた？",
    "一番達成率が高い指標は？",
    "前年度から悪化した指標は？",
    "100%を超えた指標は？",
    "施策はいくつ？",
    "基本目標1と2の事業数",
    "港南図書館の改修はなぜ延期？",
    "外国語のおはなし会は何語？",
    "電子書籍とブックスタートの進捗",
    "図書館の予算はいくら？",
    "ランチのおすすめ",
    "進捗がaの事業は？",
    "3-(1)-①",
    "全体のまとめ",
    "denshi shoseki",
]
TOOLS = {"answer", "project_status", "indicator_values", "list_projects", "plan_summary"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def env(db_path, tmp_path_factory):
    home = tmp_path_factory.mktemp("mcp-home")
    return {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(home / "state.db"), "HOME": str(home),
            "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-signing-secret"}  # fmt: skip


@pytest.fixture(scope="module")
def server(env, tmp_path_factory):
    """`planbot serve --http` as staff would run it, against the Web API stand-in."""
    stub = SlackStub()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1", "--port", str(port), "--drain", "1"],
        env={**env, "SLACK_API_URL": stub.api_url}, cwd=tmp_path_factory.mktemp("mcp-cwd"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    stub.close()


def mcp(url: str, calls):
    """Run `calls(client)` with the mcp package's client connected to url/mcp."""

    async def run():
        async with Client(f"{url}/mcp") as client:
            return await calls(client)

    return asyncio.run(run())


def call(url: str, tool: str, args: dict) -> dict:
    result = mcp(url, lambda c: c.call_tool(tool, args))
    assert not result.is_error, result.content
    return result.structured_content


def test_the_tools_are_listed_and_only_read(server):
    tools = mcp(server, lambda c: c.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    for t in tools:
        assert t.description and t.annotations.read_only_hint and not t.annotations.destructive_hint, t.name


@pytest.mark.parametrize(
    ("tool", "args", "expected"),
    [
        ("answer", {"question": "ブックポストは区内に何か所ある？"}, "22か所"),
        ("project_status", {"project_id": "3-(1)-①"}, "46,843"),
        ("project_status", {"project_id": "9-(9)-⑨"}, "9-(9)-⑨ は計画にありません"),
        ("indicator_values", {"query": "電子書籍"}, "電子書籍貸出数"),
        ("indicator_values", {}, "所蔵資料数"),
        ("list_projects", {"grade": "a"}, "3-(1)-①"),
        ("list_projects", {"goal": 3, "key_only": True}, "電子書籍サービスの活用"),
        ("plan_summary", {}, "令和7年度末"),
    ],
)
def test_each_tool_returns_facts_with_their_source(server, tool, args, expected):
    result = call(server, tool, args)
    text = json.dumps(result, ensure_ascii=False)
    assert expected in text and "令和7年度末" in text  # every fact says when it was true
    if tool != "answer":  # the answer tool is `planbot ask --json`, whose text and card cite the sheet
        assert result["source"]["report"].startswith("港区図書館サービス推進計画")


def test_a_project_names_the_page_and_sheet_it_comes_from(server):
    result = call(server, "project_status", {"project_id": "3-(1)-①"})
    assert result["source"]["plan_page"] == 48 and result["source"]["sheet"] == "別紙2-1"


def test_the_answer_tool_and_ask_json_agree_on_twenty_questions(server, env, tmp_path):
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(QUESTIONS) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", "--batch", str(batch)], env=env,
                         cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", check=True)  # fmt: skip
    cli = [json.loads(line) for line in out.stdout.splitlines()]

    async def ask_all(client):
        return [(await client.call_tool("answer", {"question": q})).structured_content for q in QUESTIONS]

    assert len(cli) == 20 and mcp(server, ask_all) == cli


def test_slack_events_are_still_verified_on_the_same_port(server):
    request = urllib.request.Request(f"{server}/slack/events", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
