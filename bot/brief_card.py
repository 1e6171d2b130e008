"""A brief as a Slack card: its lines, their sources, and a 「コピー用」 code block of the plain text.

Rendered with the same templates and limits as every other card (bot.cards).
"""

from __future__ import annotations

from bot.cards import MAX_SECTION, Message, clip, esc, render_blocks, split
from knowledge.brief import Brief
from knowledge.text import fy_label

# Room the 「コピー用」 section needs around the text: its heading and the code fences.
_COPY_FRAME = len("*コピー用*\n``````")


def source_label(project_id: str, column: str, fy: int | None) -> str:
    """'3-(1)-① 実績の評価(令和7年度)'; the year is added only when the column does not name it."""
    year = fy_label(fy) if fy and fy_label(fy) not in column else ""
    return " ".join(x for x in (project_id, column, year) if x)


def brief_messages(b: Brief) -> list[Message]:
    """The messages of a brief card (one, unless a long brief must be split)."""
    sources = list(dict.fromkeys(source_label(s.project_id, s.column, s.fy) for line in b.lines for s in line.sources))
    # The code block must fit one section whole: escaping can lengthen it, so clip the escaped size.
    plain = b.plain()
    while len(esc(plain)) > MAX_SECTION - _COPY_FRAME:
        plain = clip(plain, len(plain) - 50)
    body = "\n".join(f"• {esc(line.text)}" for line in b.lines)
    blocks = render_blocks("brief_card.json.j2", b=b, body=body, plain=plain, sources=sources)
    return split(blocks, esc(clip(b.plain(), MAX_SECTION)))
