"""@mentions in channels (answered in a thread) and direct messages, each a turn of a conversation."""

from __future__ import annotations

from bot.cards import render
from bot.conversation import DM_TTL, THREAD_TTL, dm_key, thread_key
from handlers._reply import post_all


def register(app, conversations, seen) -> None:
    """Listen for app_mention and message.im; follow-ups borrow the thread's (or the DM's) topic."""

    def first_time(event: dict) -> bool:
        # A mention in a DM can arrive as both app_mention and message: the user's message is one.
        return seen.first(f"message:{event.get('channel')}:{event.get('ts')}")

    @app.event("app_mention")
    def answer_mention(event, say):
        if not first_time(event):
            return
        # In a channel the bot reads only what mentions it; a thread is one conversation.
        thread = event.get("thread_ts") or event["ts"]
        answer = conversations.ask(thread_key(event["channel"], thread), event.get("text", ""), THREAD_TTL)
        post_all(say, render(answer), thread_ts=thread)

    @app.event("message")
    def answer_direct_message(event, say):
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and bots' own posts are not questions
        if not first_time(event):
            return
        # In a DM every message counts: outside threads, messages within 30 minutes are one conversation.
        thread = event.get("thread_ts")
        key, ttl = (thread_key(event["channel"], thread), THREAD_TTL) if thread else (dm_key(event["channel"]), DM_TTL)
        post_all(say, render(conversations.ask(key, event.get("text", ""), ttl)), thread_ts=thread)
