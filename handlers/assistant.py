"""Slack's assistant pane (Agents & AI Apps) through Bolt's Assistant: a greeting with suggested
prompts, then each question answered in its thread with 「調べています…」 shown meanwhile."""

from __future__ import annotations

from slack_bolt import Assistant
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore

from bot.cards import clip, render
from bot.conversation import THREAD_TTL, thread_key
from bot.state import StateStore

GREETING = "こんにちは。港区図書館サービス推進計画の事業の進捗についてお答えします。事業名や番号で聞いてください。"
PROMPTS = [
    {"title": "電子書籍の進捗", "message": "電子書籍の進捗は？"},
    {"title": "目標を下回っている指標", "message": "目標を下回っている指標は？"},
    {"title": "全体のまとめ", "message": "全体のまとめ"},
    {"title": "重点事業の一覧", "message": "重点事業は？"},
]
MAX_TITLE = 60  # characters of the first question used as the thread's title


class StateThreadContextStore(AssistantThreadContextStore):
    """Bolt's assistant thread context (the channel the pane was opened from), kept in the state store."""

    def __init__(self, store: StateStore):
        self.store = store

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        self.store.put(f"assistant:{thread_key(channel_id, thread_ts)}", dict(context), THREAD_TTL)

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        found = self.store.get(f"assistant:{thread_key(channel_id, thread_ts)}")
        return AssistantThreadContext(found) if found else None


def register(app, conversations, store: StateStore | None) -> None:
    """Add the assistant pane's listeners (the pane needs a paid plan; everything else works without)."""
    assistant = Assistant(thread_context_store=StateThreadContextStore(store) if store else None)

    @assistant.thread_started
    def greet(say, set_suggested_prompts):
        say(GREETING)
        set_suggested_prompts(prompts=PROMPTS, title="たとえば")

    @assistant.user_message
    def answer_in_thread(payload, say, set_status, set_title):
        set_status("調べています…")
        key = thread_key(payload["channel"], payload["thread_ts"])
        text = payload.get("text", "")
        if store is not None and store.get(f"title:{key}") is None:
            set_title(clip(" ".join(text.split()), MAX_TITLE) or "planbot")
            store.put(f"title:{key}", {"set": True}, THREAD_TTL)
        for message in render(conversations.ask(key, text, THREAD_TTL)):
            say(text=message.text, blocks=message.blocks)

    app.use(assistant)
