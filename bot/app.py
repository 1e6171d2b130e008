"""The Bolt app factory: settings and knowledge in, a wired app out. No app exists at import time."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.conversation import Conversations
from bot.settings import Settings
from bot.state import StateStore, StateUnavailable
from handlers import actions, assistant, commands, home, messages
from knowledge.answer import KnowledgeBase

log = logging.getLogger("planbot")
SORRY = "申し訳ありません、うまく処理できませんでした。少し時間をおいてもう一度お試しください。"


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


def web_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL when set (GovSlack, a local stand-in), 429s retried."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def open_state(settings: Settings) -> StateStore | None:
    """The state store, or None (logged) when its file cannot be used: answers go on without context."""
    try:
        return StateStore(settings.state_path)
    except StateUnavailable as e:
        log.error("%s — answering without conversation context", e)
        return None


def build_app(
    settings: Settings,
    kb: KnowledgeBase,
    *,
    http: bool = False,
    process_before_response: bool = False,
    state: StateStore | None = None,
):
    """Build the Bolt app: one client (429s retried), dedupe, listeners, one error handler.
    `state` defaults to the store at settings.state_path."""
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=http,
        process_before_response=process_before_response,
        logger=log,
    )
    seen = Seen()

    @app.middleware
    def answer_each_event_once(body, next):
        # Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num): same event_id.
        event_id = body.get("event_id")
        if event_id and not seen.first(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        return next()

    store = state if state is not None else open_state(settings)
    conversations = Conversations(kb, store)
    assistant.register(app, conversations, store)
    messages.register(app, conversations, seen)
    commands.register(app, kb, settings)
    actions.register(app, kb, settings)
    home.register(app, kb)

    @app.error
    def tell_the_user_kindly(error, body, client, logger):
        logger.exception("planbot failed on a %s request", body.get("type", "?"), exc_info=error)
        reply_kindly(client, body)

    return app


def reply_kindly(client: WebClient, body: dict) -> None:
    """Tell the person something went wrong, where they will see it; never raise from here."""
    try:
        url = body.get("response_url") or next((r.get("response_url") for r in body.get("response_urls", [])), None)
        user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        channel = (
            body.get("channel_id") or (body.get("channel") or {}).get("id") or (body.get("event") or {}).get("channel")
        )
        if url:
            from slack_sdk.webhook import WebhookClient

            WebhookClient(url).send(text=SORRY, response_type="ephemeral")
        elif channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=SORRY)
    except Exception:  # the error handler must not fail in turn
        log.exception("could not tell the user about the error")
