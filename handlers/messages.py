"""Questions in messages: @mentions in channels (answered in a thread), messages in the app's Messages
tab (agent messaging: each answered in the thread under it, with 「調べています…」 while it works) and
their threads (the assistant pane's among them). Each is a turn of a conversation.

A question is accepted as work before Slack gets its ack (bot/work.py), then answered on the work pool.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.cards import Message, clip, esc, render
from bot.conversation import DM_TTL, THREAD_TTL, dm_key, thread_key
from bot.feedback import feedback_controls
from handlers._reply import deliver
from knowledge.questions import clean

log = logging.getLogger("planbot")
STATUS = "調べています…"
MAX_TITLE = 60  # characters of the first question used as an assistant thread's title


def question_in(body: dict) -> dict | None:
    """The question a Slack event carries, as work: where it was asked and what; None if it is not one."""
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or "ts" not in event or "channel" not in event:
        return None
    # Kept until answered: no user id (the text's mentions of people are dropped too).
    base = {"channel": event["channel"], "ts": event["ts"], "text": clean(event.get("text", ""))}
    if event.get("type") == "app_mention":
        # In a channel the bot reads only what mentions it; a thread is one conversation.
        return {**base, "where": "channel", "thread_ts": event.get("thread_ts") or event["ts"]}
    if event.get("type") != "message" or event.get("channel_type") != "im":
        return None
    if event.get("subtype") or event.get("bot_id"):
        return None  # edits, joins and bots' own posts are not questions
    if event.get("thread_ts"):  # a DM thread: the assistant pane's, or a reply in the messages tab
        return {**base, "where": "thread", "thread_ts": event["thread_ts"]}
    return {**base, "where": "dm", "thread_ts": None}


SURFACES = {"channel": "mention", "dm": "dm", "thread": "assistant"}


def register(app, queue, conversations, store, question_log) -> None:
    """Accept questions in messages (before the ack) and answer them on the work pool."""

    def answer(q: dict) -> None:
        client = app.client
        # In the Messages tab every top-level message is a thread of its own: the answer goes under it.
        reply_in = q["thread_ts"] or q["ts"]

        def compose() -> list[Message]:
            if q["where"] == "dm":
                key, ttl = dm_key(q["channel"]), DM_TTL  # consecutive DMs within 30 minutes
            else:
                key, ttl = thread_key(q["channel"], q["thread_ts"]), THREAD_TTL
            if q["where"] != "channel":
                _assistant_status(client, store, q["channel"], reply_in, q["text"])
            answer = conversations.ask(key, q["text"], ttl)
            return with_feedback(render(answer), question_log.record(SURFACES[q["where"]], answer), q["where"])

        deliver(q, compose, lambda m: client.chat_postMessage(channel=q["channel"], thread_ts=reply_in,
                                                              text=m.text, blocks=m.blocks))  # fmt: skip

    queue.register("message", answer)

    @app.middleware
    def accept_questions(body, next):
        q = question_in(body)
        if q is None:
            return next()
        if queue.closing:
            return BoltResponse(status=503, body="")  # shutting down: Slack retries after the restart
        # A mention in a DM arrives as app_mention and as message: the user's message (channel, ts) is one.
        queue.accept(f"message:{q['channel']}:{q['ts']}", "message", q)
        return BoltResponse(status=200, body="")


def with_feedback(messages: list, question_id: int | None, where: str = "") -> list:
    """The messages with 👍/👎 under the last one (Slack's own feedback buttons in the assistant pane)."""
    if question_id is None:
        return messages
    *first, last = messages
    return [*first, Message(last.text, [*last.blocks, feedback_controls(question_id, native=where == "thread")])]


def thread_title(text: str) -> str:
    """A thread's title from its first question, escaped as Slack escapes what people type: a question
    holding <!channel> or a link stays text."""
    return esc(clip(" ".join(text.split()), MAX_TITLE)) or "planbot"


def _assistant_status(client, store, channel: str, thread_ts: str, question: str) -> None:
    """「調べています…」 while answering, and the thread's title from its first question (agent threads)."""
    key = thread_key(channel, thread_ts)
    try:
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts, status=STATUS)
        if store is not None and store.get(f"title:{key}") is None:
            client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread_ts, title=thread_title(question))
            store.put(f"title:{key}", {"set": True}, THREAD_TTL)
    except SlackApiError as e:  # a DM without agent messaging has no status to set
        log.debug("assistant status not set: %s", e.response.get("error"))
