"""@mentions in channels (answered in a thread) and direct messages."""

from __future__ import annotations

from bot.cards import render
from handlers._reply import post_all


def register(app, kb, seen) -> None:
    """Listen for app_mention and message.im."""

    def first_time(event: dict) -> bool:
        # A mention in a DM can arrive as both app_mention and message: the user's message is one.
        return seen.first(f"message:{event.get('channel')}:{event.get('ts')}")

    @app.event("app_mention")
    def answer_mention(event, say):
        if not first_time(event):
            return
        messages = render(kb.answer(event.get("text", "")))
        post_all(say, messages, thread_ts=event.get("thread_ts") or event["ts"])

    @app.event("message")
    def answer_direct_message(event, say):
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and bots' own posts are not questions
        if not first_time(event):
            return
        post_all(say, render(kb.answer(event.get("text", ""))), thread_ts=event.get("thread_ts"))
