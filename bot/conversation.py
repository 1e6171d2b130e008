"""Conversations: each turn answered with the context its key holds, and the context kept for the next.

Keys (docs/design.md §5): `channel:thread_ts` for a Slack thread or an assistant-pane thread, `dm:channel`
for a direct message outside a thread (consecutive messages within 30 minutes), `cli:KEY` for
`planbot ask --thread KEY`. A state store that fails is logged and the question is still answered,
without context.
"""

from __future__ import annotations

import logging

from bot.state import StateStore, StateUnavailable
from knowledge.answer import Answer, KnowledgeBase
from knowledge.conversation import Context, context_of

log = logging.getLogger("planbot")

THREAD_TTL = 7 * 24 * 3600  # a Slack thread (or the assistant pane's) is picked up again within a week
DM_TTL = 30 * 60  # a direct message outside a thread follows on from messages within 30 minutes
CLI_TTL = 30 * 24 * 3600


def thread_key(channel: str, thread_ts: str) -> str:
    """The key of a Slack thread (a channel thread, a DM thread, an assistant-pane thread)."""
    return f"{channel}:{thread_ts}"


def dm_key(channel: str) -> str:
    """The key of a direct-message channel outside threads."""
    return f"dm:{channel}"


class Conversations:
    """Answers turns of conversations, keeping each one's context in the state store."""

    def __init__(self, kb: KnowledgeBase, store: StateStore | None):
        self.kb = kb
        self.store = store

    def ask(self, key: str | None, text: str, ttl: float = THREAD_TTL) -> Answer:
        """Answer one turn of the conversation `key` (None: a question on its own)."""
        if key is None or self.store is None:
            return self.kb.answer(text)
        previous = self._load(key)
        answer = self.kb.answer(text, previous)
        after = context_of(answer, previous)
        if after is not None:
            self._save(key, after, ttl)
        return answer

    def _load(self, key: str) -> Context | None:
        try:
            return Context.from_dict(self.store.get(key))
        except StateUnavailable as e:
            log.error("answering without context: %s", e)
            return None

    def _save(self, key: str, context: Context, ttl: float) -> None:
        try:
            self.store.put(key, context.to_dict(), ttl)
        except StateUnavailable as e:
            log.error("context not kept: %s", e)
