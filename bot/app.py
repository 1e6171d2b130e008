"""The Bolt app factory: settings and knowledge in, a wired app out. No app exists at import time."""

from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot import slack_client
from bot.conversation import Conversations
from bot.feedback import QuestionLog
from bot.settings import Settings
from bot.slack_client import LazyIdentity, transient, web_client
from bot.state import StateStore
from bot.work import Retry, WorkQueue
from handlers import actions, assistant, commands, feedback, home, messages
from handlers._reply import SORRY, apologise, tell_kindly
from knowledge.answer import KnowledgeBase

__all__ = ["SORRY", "build_app", "web_client"]
log = logging.getLogger("planbot")
# Answers wait on the Web API (~100 ms each, seconds when Slack is slow): many threads, little CPU.
ANSWER_THREADS = 16
LISTENER_THREADS = 16
PURGE_EVERY = 3600.0  # seconds between deletions of expired state
REPLAY_WINDOW = 10 * 60.0  # a click's exact repeat (Slack signs for 5 minutes) is dropped within this
DOUBLE_CLICK = 3.0  # the same button on the same message by the same person within this is one click


class _TokenKept(logging.Filter):
    """Bolt warns that its `token` is ignored when `authorize` is given; our client keeps the token and
    `authorize` hands it to Bolt, so the warning would only mislead whoever reads the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be ignored" not in record.getMessage()


log.addFilter(_TokenKept())


def open_state(settings: Settings) -> StateStore:
    """The state store; StateUnavailable (one line naming the file) when it cannot be read and written:
    the server does not start rather than leave the acknowledged work the file holds unanswered."""
    return StateStore(settings.state_path)


def build_app(
    settings: Settings,
    kb: KnowledgeBase,
    *,
    http: bool = False,
    process_before_response: bool = False,
    state: StateStore | None = None,
    workers: int = ANSWER_THREADS,
    retry: Retry | None = None,
):
    """Build the Bolt app: one client (retries), the work queue, durable dedupe, listeners, one error handler.

    `state` defaults to the store at settings.state_path; the work queue is `app.work`, retrying by `retry`.
    """
    store = state if state is not None else open_state(settings)
    client = web_client(settings)
    app = App(
        client=client,
        # The bot's identity without a Web API call at start or on the ack path (Bolt's own start calls
        # auth.test and fails while Slack is down): HTTP mode verifies, acks and queues with Slack away.
        authorize=LazyIdentity(client).authorize(),
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=http,
        process_before_response=process_before_response,
        logger=log,
        # Bolt's own listeners only ack (and answer type-ahead and modal submissions from memory); what
        # waits on the Web API runs on app.work's threads (handlers/_reply.py: after_ack).
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="planbot-listener"),
    )
    work = WorkQueue(store, workers=workers, on_error=lambda where: apologise(app.client, where),
                     transient=transient, retry=retry, grace=slack_client.TIMEOUT + 1)  # fmt: skip
    app.work = work
    if store is not None:
        work.upkeep_also.append(_hourly(lambda: store.purge(keep_questions=settings.log_days * 86400.0)))

    @app.middleware
    def answer_each_event_once(body, next):
        if work.closing:
            return BoltResponse(status=503, body="")  # shutting down: Slack retries after the restart
        # Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num): same event_id.
        # Kept in the state store, so a retry arriving after a restart is recognised too.
        event_id = body.get("event_id")
        if event_id and work.seen(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        if _clicked_again(work, body):
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
        work.background(lambda: reply_kindly(client, body))  # the kind word waits on Slack: not on this thread

    return app


def _hourly(purge):
    """The purge, at most once an hour (upkeep runs every few seconds)."""
    last = [0.0]

    def maybe() -> None:
        if time.monotonic() - last[0] >= PURGE_EVERY or not last[0]:
            last[0] = time.monotonic()
            purge()

    return maybe


def _clicked_again(work: WorkQueue, body: dict) -> bool:
    """A click Slack delivered twice (a replay, the same action_ts) or a double click within a few seconds:
    handled once. Keys are hashed, so no user id reaches the state file."""
    if body.get("type") not in ("block_actions", "view_submission", "shortcut") or not body.get("trigger_id"):
        return False
    action = (body.get("actions") or [{}])[0]
    chosen = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    where = (body.get("container") or {}).get("message_ts") or (body.get("view") or {}).get("id") or ""
    person = (body.get("user") or {}).get("id", "")
    what = action.get("action_id") or body.get("callback_id") or ""
    exact = _digest("click", what, chosen, where, person, action.get("action_ts") or body.get("trigger_id"))
    same = _digest("click", what, chosen, where, person)
    return work.seen(exact, ttl=REPLAY_WINDOW) | work.seen(same, ttl=DOUBLE_CLICK)


def _digest(*parts: str) -> str:
    return "click:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


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
