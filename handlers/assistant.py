"""Agent messaging in Slack's Messages tab, and the assistant pane of apps installed earlier.

- Messages tab (`features.agent_view`): on `app_home_opened` with `tab == "messages"` the suggested
  prompts are set, and the greeting is posted the first time the tab is opened; `app_context_changed`
  (what the person is looking at) is remembered in the state store.
- Assistant pane (`assistant_view`, through Bolt's Assistant): the greeting with the same prompts when
  a thread starts, and the thread's context kept in the state store.

The questions themselves are messages, answered by handlers/messages.py with 「調べています…」 shown.
The words come from bot/agent.py.
"""

from __future__ import annotations

import hashlib
import logging

from slack_bolt import Assistant
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore
from slack_sdk.errors import SlackApiError

from bot.agent import GREETING, PROMPTS_TITLE, prompts_payload
from bot.conversation import THREAD_TTL, thread_key
from bot.state import StateStore, StateUnavailable

log = logging.getLogger("planbot")
GREETED_TTL = 365 * 24 * 3600  # the greeting is posted once per Messages tab (a year, then again)


class StateThreadContextStore(AssistantThreadContextStore):
    """Bolt's assistant thread context (the channel the pane was opened from), kept in the state store."""

    def __init__(self, store: StateStore):
        self.store = store

    def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        self.store.put(f"assistant:{thread_key(channel_id, thread_ts)}", dict(context), THREAD_TTL)

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        found = self.store.get(f"assistant:{thread_key(channel_id, thread_ts)}")
        return AssistantThreadContext(found) if found else None


def viewer_key(body: dict, event: dict) -> str | None:
    """A state key for whoever is looking: a one-way digest, so the state file holds no user ids."""
    user = event.get("user") or next((a.get("user_id") for a in body.get("authorizations") or []), None)
    if not user:
        return None
    digest = hashlib.sha256(f"{body.get('team_id', '')}:{user}".encode()).hexdigest()[:24]
    return f"app_context:{digest}"


def context_entities(event: dict) -> list[dict[str, str]]:
    """What app_context_changed says the person is viewing, most relevant first (type and value only)."""
    entities = (event.get("context") or {}).get("entities") or []
    return [{"type": str(e.get("type", "")), "value": str(e.get("value", ""))} for e in entities if isinstance(e, dict)]


def register(app, store: StateStore | None) -> None:
    """Add the Messages tab's and the assistant pane's listeners."""

    @app.event("app_home_opened", matchers=[lambda event: event.get("tab") == "messages"])
    def open_messages_tab(event, client):
        channel = event.get("channel")
        if not channel:
            return
        try:
            # For the whole Messages tab, so no thread_ts, which older slack_sdk wrappers insist on.
            client.api_call(
                "assistant.threads.setSuggestedPrompts",
                json={"channel_id": channel, "title": PROMPTS_TITLE, "prompts": prompts_payload()},
            )
        except SlackApiError as e:  # a workspace without agent messaging: the greeting still helps
            log.info("suggested prompts not set: %s", e.response.get("error"))
        if _first_visit(store, channel):
            client.chat_postMessage(channel=channel, text=GREETING)

    @app.event("app_context_changed")
    def remember_context(body, event):
        key = viewer_key(body, event)
        if store is None or key is None:
            return
        try:
            store.put(key, {"entities": context_entities(event)}, THREAD_TTL)
        except StateUnavailable as e:  # remembering is a courtesy: never an error for the person
            log.error("context not remembered: %s", e)

    assistant = Assistant(thread_context_store=StateThreadContextStore(store) if store else None)

    @assistant.thread_started
    def greet(say, set_suggested_prompts):
        say(GREETING)
        set_suggested_prompts(prompts=prompts_payload(), title=PROMPTS_TITLE)

    app.use(assistant)


def _first_visit(store: StateStore | None, channel: str) -> bool:
    """True the first time a Messages tab is opened (always, without a state store)."""
    if store is None:
        return True
    try:
        if store.get(f"greeted:{channel}") is not None:
            return False
        store.put(f"greeted:{channel}", {"at": "opened"}, GREETED_TTL)
    except StateUnavailable as e:
        log.error("greeting state not kept: %s", e)
    return True
