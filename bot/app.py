"""The Bolt app factory: settings and knowledge in, a wired app out. No app exists at import time."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.conversation import Conversations
from bot.feedback import QuestionLog
from bot.settings import Settings
from bot.slack_client import web_client
from bot.state import StateStore, StateUnavailable
from bot.work import WorkQueue
from handlers import actions, assistant, commands, feedback, home, messages
from handlers._reply import SORRY, tell_kindly
from knowledge.answer import KnowledgeBase

__all__ = ["SORRY", "build_app", "web_client"]
log = logging.getLogger("planbot")
# Answers wait on the Web API (~100 ms each, seconds when Slack is slow): many threads, little CPU.
ANSWER_THREADS = 16
LISTENER_THREADS = 16


class Seen:
    """A bounded memory of keys already handled, so a retried or doubled event is answered once."""

    def __init__(self, size: int = 10_000):
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time a key is offered, False after."""
        with self._lock:
            if key in self._keys:
                return False
            self._keys[key] = None
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)
            return True


def open_state(settings: Settings) -> StateStore | None:
    """The state store, or None (logged) when its file cannot be used: answers go on without context."""
    try:
        return StateStore(settings.state_path)
    except StateUnavailable as e:
        log.error("%s — answering without conversation context or restart safety", e)
        return None


def build_app(
    settings: Settings,
    kb: KnowledgeBase,
    *,
    http: bool = False,
    process_before_response: bool = False,
    state: StateStore | None = None,
    workers: int = ANSWER_THREADS,
):
    """Build the Bolt app: one client (retries), the work queue, durable dedupe, listeners, one error handler.

    `state` defaults to the store at settings.state_path; the work queue is `app.work`.
    """
    store = state if state is not None else open_state(settings)
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=http,
        process_before_response=process_before_response,
        logger=log,
        # Bolt's own listeners (buttons, Home, modals) only ack and do small work; answers run on app.work.
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="planbot-listener"),
    )
    work = WorkQueue(store, workers=workers, on_error=lambda where: tell_kindly(app.client, where))
    app.work = work
    seen = Seen()

    @app.middleware
    def answer_each_event_once(body, next):
        if work.closing:
            return BoltResponse(status=503, body="")  # shutting down: Slack retries after the restart
        # Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num): same event_id.
        # Kept in the state store, so a retry arriving after a restart is recognised too.
        event_id = body.get("event_id")
        if event_id and not _first(store, seen, f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        return next()

    conversations = Conversations(kb, store)
    question_log = QuestionLog(store, settings.log_questions, settings.log_days)
    messages.register(app, work, conversations, store, question_log)
    commands.register(app, work, kb, settings, question_log)
    assistant.register(app, store)
    actions.register(app, kb, settings)
    feedback.register(app, kb, question_log)
    home.register(app, kb, settings, question_log)

    @app.error
    def tell_the_user_kindly(error, body, client, logger):
        # Only verified requests reach the app (bot/server.py checks signatures before anything else).
        logger.exception("planbot failed on a %s request", body.get("type", "?"), exc_info=error)
        reply_kindly(client, body)

    return app


def _first(store: StateStore | None, seen: Seen, key: str) -> bool:
    if store is not None:
        try:
            if not store.claim(key):
                return False
            store.finish(key)
            return True
        except StateUnavailable as e:
            log.error("dedupe falls back to memory: %s", e)
    return seen.first(key)


def reply_kindly(client: WebClient, body: dict) -> None:
    """Tell the person who sent a (verified) request that something went wrong; never raises."""
    event = body.get("event") or {}
    tell_kindly(
        client,
        {
            "response_url": body.get("response_url")
            or next((r.get("response_url") for r in body.get("response_urls", [])), None),
            "user": body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user"),
            "channel": body.get("channel_id") or (body.get("channel") or {}).get("id") or event.get("channel"),
        },
    )
