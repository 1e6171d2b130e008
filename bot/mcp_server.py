"""planbot as an MCP server for Slackbot (and any MCP client): tools that return the report's facts
with their source, served over streamable HTTP at /mcp by `planbot serve --http`.

Slackbot calls the tools from people's conversations and phrases the reply; planbot supplies exact
figures and where they come from. The report is public, so the server needs no auth (the manifest
declares it `no_auth`), and every call is answered on its own (stateless, one JSON body).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from bot import mcp_facts

MCP_PATH = "/mcp"
INSTRUCTIONS = (
    "港区図書館サービス推進計画（令和3〜8年度）の進捗報告書の内容を答えるツールです。"
    "数値・評価・今後の取組は報告書のとおりに返し、出典（報告書、時点、計画書のページ、別紙）を添えます。"
    "質問をそのまま渡すなら answer、事業番号が分かっていれば project_status を使ってください。"
)


def build_mcp(kb):
    """The MCP server over a knowledge base (a KnowledgeBase, or LiveKnowledge that follows the index)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    from bot.cards import render
    from bot.cli import answer_json

    # Every tool only reads the report: Slackbot may call them freely, and they reach nothing outside.
    read_only = ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )
    server = MCPServer(name="planbot", title="planbot: 港区図書館サービス推進計画の進捗", instructions=INSTRUCTIONS)

    @server.tool(annotations=read_only)
    def answer(
        question: Annotated[str, Field(description="職員の質問そのまま (例: 電子書籍の貸出は目標を超えた？)")],
    ) -> dict[str, Any]:
        """質問に答える: 直接の答え (answer)、事業番号 (projects)、候補、本文。`planbot ask --json` と同じ JSON。"""
        result = kb.answer(question)
        return answer_json(result, render(result))

    @server.tool(annotations=read_only)
    def project_status(
        project_id: Annotated[str, Field(description="事業番号 (例: 3-(1)-①) または事業名")],
    ) -> dict[str, Any]:
        """1つの事業の進捗: 評価 (a/b/c)、年度ごとの目標と実績と達成率、評価・課題・今後の取組、出典。"""
        return mcp_facts.project_status(kb, project_id)

    @server.tool(annotations=read_only)
    def indicator_values(
        query: Annotated[str, Field(description="事業番号や指標のことば (例: 電子書籍)。空なら全指標")] = "",
    ) -> dict[str, Any]:
        """指標の年度ごとの目標・実績・達成率 (%) と出典。指標があるのは重点事業です。"""
        return mcp_facts.indicator_values(kb, query)

    @server.tool(annotations=read_only)
    def list_projects(
        goal: Annotated[int | None, Field(description="基本目標の番号 1〜4")] = None,
        policy: Annotated[str, Field(description="施策番号 (例: 1-(3))")] = "",
        grade: Annotated[str, Field(description="進捗の評価 a, b, c")] = "",
        key_only: Annotated[bool, Field(description="重点事業だけ")] = False,
        new_only: Annotated[bool, Field(description="新規事業だけ")] = False,
    ) -> dict[str, Any]:
        """条件に合う事業の一覧 (番号、名前、評価、重点・新規、施策、基本目標) と出典。条件なしで全43事業。"""
        return mcp_facts.list_projects(kb, goal, policy, grade, key_only, new_only)

    @server.tool(annotations=read_only)
    def plan_summary() -> dict[str, Any]:
        """計画全体のまとめ: 基本目標ごとの事業数、評価の件数、各指標の最新の目標と実績、出典。"""
        return mcp_facts.plan_summary(kb)

    return server


def mcp_wsgi(kb):
    """The MCP endpoint as a WSGI application, for waitress beside /slack/events (bot/server.py)."""
    from mcp.server.transport_security import TransportSecuritySettings

    from bot.asgi_bridge import AsgiBridge

    asgi = build_mcp(kb).streamable_http_app(
        streamable_http_path=MCP_PATH,
        json_response=True,  # one JSON body per call: nothing to stream, so the WSGI bridge fits
        stateless_http=True,  # no sessions to keep: every call stands alone
        # Host checks guard local servers against DNS rebinding; planbot's tools only read a public report
        # and it runs behind a proxy whose host name it cannot know.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return AsgiBridge(asgi)
