"""Slack's assistant pane (Agents & AI Apps) through Bolt's Assistant: a greeting with suggested
prompts when a thread starts, and the thread's context kept in the state store. The questions asked
in the pane are DM-thread messages, answered by handlers/messages.py with 「調べています…」 shown."""

from __future__ import annotations

from slack_bolt import Assistant
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore

from bot.conversation import THREAD_TTL, thread_key
from bot.state import StateStore

GREETING = "こんにちは。港区図書館サービス推進計画の事業の進捗についてお答えします。事業名や番号で聞いてください。"
PROMPTS = [
    {"title": "電子書籍の進捗", "message": "電子書籍の進捗は？"},
    {"title": "目標を下回っている指標", "message": "目標を下回っている指標は？"},
    {"title": "全体のまとめ", "message": "全体のまとめ"},
    {"title": "重点事業の一覧", "message": "重点事業は？"},
]


class StateThreadContextStore(AssistantThreadContextStore):
    """Bolt's assistant thread context (the channel the pane was opened from), kept in the state store."""

    def __init__(self, store: StateStore):
        self.store = store

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        self.store.put(f"assistant:{thread_key(channel_id, thread_ts)}", dict(context), THREAD_TTL)

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        found = self.store.get(f"assistant:{thread_key(channel_id, thread_ts)}")
        return AssistantThreadContext(found) if found else None


def register(app, store: StateStore | None) -> None:
    """Add the assistant pane's listeners (the pane needs a paid plan; everything else works without)."""
    assistant = Assistant(thread_context_store=StateThreadContextStore(store) if store else None)

    @assistant.thread_started
    def greet(say, set_suggested_prompts):
        say(GREETING)
        set_suggested_prompts(prompts=PROMPTS, title="たとえば")

    app.use(assistant)
