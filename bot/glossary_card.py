"""The plan's terms as a Slack card, rendered with the same templates and limits as every other card."""

from __future__ import annotations

from bot.cards import MAX_SECTION, Message, clip, esc, render_blocks, split
from knowledge.glossary import Term
from knowledge.model import Report


def glossary_messages(terms: list[Term], report: Report) -> list[Message]:
    """The messages of a glossary card for the given terms (one message unless it must be split)."""
    fallback = " ".join(f"{t.name}: {''.join(t.lines)}" for t in terms) or report.title
    return split(render_blocks("glossary_card.json.j2", terms=terms, report=report), esc(clip(fallback, MAX_SECTION)))
