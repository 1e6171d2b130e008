"""Render answers as Slack Block Kit messages from the jinja2 templates in bot/templates.

Each template emits a JSON array in which every block is followed by a comma and the array ends in
`null`, so loops need no comma bookkeeping; the nulls are dropped after parsing. Every value goes
through `tojson`; text that came from a person or the report also goes through `esc` first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from bot.blockkit import chart_block, project_table, table_block
from knowledge.answer import Answer
from knowledge.compose import figure
from knowledge.figures import IndicatorStatus, achievement
from knowledge.model import ENTRY_KINDS, Goal, Grade, Project, Report
from knowledge.text import fy_label

TEMPLATES = Path(__file__).parent / "templates"
MAX_BLOCKS = 50
RESERVED_BLOCKS = 2  # room left in every message for the controls added after rendering (👍/👎, 共有)
MAX_MESSAGE_CHARS = 11_000  # Slack rejects messages somewhere around 11–13k characters of block text
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_ECHO = 80  # characters of a question echoed back
# Unicode emoji, not :shortcodes:: Slack shows them the same, and so do the terminal and the JSON.
GRADE_EMOJI = {"a": "🟢", "b": "🟡", "c": "🔴", "－": "⚪"}
# Buttons the terminal shows (as text): the 「もしかして」 projects; the others only work in Slack.
TERMINAL_BUTTONS = ("planbot_candidate_",)


@dataclass(frozen=True)
class Message:
    """One Slack message: the plain-text fallback and its blocks."""

    text: str
    blocks: list[dict]


def esc(value) -> str:
    """Escape text for mrkdwn so nothing a person typed (or the report says) can ping or link."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar(rate: float | None, width: int = 10) -> str:
    """A text progress bar for an achievement rate: a cell fills only once reached (95% leaves one
    empty), 100% fills it, and more is marked ▶ past the end, so 95%, 100% and 134% all differ."""
    if rate is None:
        return ""
    filled = max(0, min(width, int(rate / 100 * width)))
    return "█" * filled + "░" * (width - filled) + ("▶" if rate > 100 else "")


def clip(text: str, limit: int) -> str:
    """Shorten text to Slack's limit for its field, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change(status: IndicatorStatus) -> str:
    """The change from the previous year's actual, signed, with the unit ('+1,576件')."""
    delta = status.change
    if delta is None:
        return ""
    unit = status.indicator.unit
    if unit == "%":
        return f"{delta:+g}ポイント"
    return f"{delta:+,.0f}{unit}"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # output is JSON, and every value goes through tojson
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    env.filters.update(
        esc=esc,
        figure=figure,
        bar=bar,
        clip=clip,
        fy=fy_label,
        change=change,
        achievement=lambda v: achievement(v.plan, v.actual),
        project_line=project_line,
        grade_line=grade_line,
        goal_line=goal_line,
        status_line=status_line,
        missed_line=missed_line,
        table_block=table_block,
        project_table=project_table,
        chart_block=chart_block,
    )
    env.globals.update(GRADE_EMOJI=GRADE_EMOJI, KINDS=ENTRY_KINDS, MAX_SECTION=MAX_SECTION, MAX_HEADER=MAX_HEADER)
    return env


def render_blocks(template: str, **context) -> list[dict]:
    """Render one card template into a list of blocks."""
    raw = _env().get_template(template).render(**context)
    return [b for b in json.loads(raw) if b]


def render(answer: Answer, compact: bool = False, detail: bool = False) -> list[Message]:
    """The messages for an answer: usually one; long lists are split to fit Slack's limits."""
    report = answer.report
    grades = {g.code: g.meaning for g in report.grades}
    context = dict(
        a=answer,
        report=report,
        grades=grades,
        compact=compact,
        detail=detail,
        echo=clip(" ".join(answer.question.split()), MAX_ECHO),
        policies={p.id: p.name for p in report.policies},
        goals={g.number: g.title for g in report.goals},
    )
    if answer.brief is not None:  # a brief: its own card, with the text ready to paste
        from bot.brief_card import brief_messages  # the brief card renders with this module's helpers

        first, *rest = brief_messages(answer.brief)
        text = clip(esc(answer.direct) + "\n\n" + first.text, MAX_SECTION)  # the fallback opens with the answer
        return [Message(text, first.blocks), *rest]
    blocks = render_blocks("_answer.json.j2", direct=answer.direct) if answer.direct.strip() else []
    if answer.topics:  # a question of two or three topics: a compact card for each, in one message
        for topic in answer.topics:
            blocks += render_blocks(f"{topic.intent}.json.j2", **{**context, "a": topic, "compact": True})
    else:
        blocks += render_blocks(f"{answer.intent}.json.j2", **context)
    return split(blocks, fallback(answer))


def split(blocks: list[dict], text: str) -> list[Message]:
    """Split blocks into messages of at most MAX_BLOCKS blocks and MAX_MESSAGE_CHARS characters, with
    one table each (Slack takes a single table block per message)."""
    messages: list[Message] = []
    current: list[dict] = []
    size = 0
    for block in blocks:
        n = len(json.dumps(block, ensure_ascii=False))
        second_table = block["type"] == "table" and any(b["type"] == "table" for b in current)
        if current and (len(current) >= MAX_BLOCKS - RESERVED_BLOCKS or size + n > MAX_MESSAGE_CHARS or second_table):
            messages.append(Message(text, current))
            current, size = [], 0
        current.append(block)
        size += n
    messages.append(Message(text, current))
    if len(messages) > 1:
        messages = [Message(f"{text} ({i}/{len(messages)})", m.blocks) for i, m in enumerate(messages, 1)]
    return messages


def fallback(answer: Answer) -> str:
    """The plain `text` of a message: the direct answer, which notifications and screen readers read."""
    return esc(clip(answer.direct or answer.title or answer.report.title, MAX_SECTION))


def grade_line(g: Grade) -> str:
    """A line of the grade count table with the legend: 'a 2事業 — 後期3年間の目標を上回って…'."""
    count = "（件数の記載なし）" if g.count is None else f"{g.count}事業"
    return f"{GRADE_EMOJI.get(g.code, '')} *{esc(g.code)}* {count} — {esc(g.meaning)}"


def goal_line(goal: Goal, report: Report) -> str:
    """'基本目標1 あらゆる人々の…（9事業）'."""
    n = sum(1 for p in report.projects if p.goal == goal.number)
    return f"基本目標{goal.number} {esc(goal.title)}（{n}事業）"


def status_line(s: IndicatorStatus) -> str:
    """'• 電子書籍貸出数（3-(1)-①）実績 46,843件 / 目標 35,000件 · 133.8%'."""
    ind, v = s.indicator, s.value
    rate = f" · {s.achievement}%" if s.achievement is not None else ""
    return (
        f"• {esc(ind.name)}（{s.project.id}）実績 {figure(v.actual, ind.unit)} / 目標 {figure(v.plan, ind.unit)}{rate}"
    )


def missed_line(entry: dict) -> str:
    """'• 「図書館の予算は？」 ×3（unanswerable, 👎1）' for the admins' view of the question log."""
    down = f", 👎{entry['feedback']['down']}" if entry["feedback"]["down"] else ""
    return f"• 「{esc(clip(entry['q'], 60))}」 ×{entry['count']}（{entry['answered']}{down}）"


def project_line(p: Project) -> str:
    """One compact line for a project in a list."""
    flags = "".join(f"［{f}］" for f, on in (("重点", p.is_key), ("新規", p.is_new)) if on)
    grade = f" 進捗*{p.grade}*" if p.grade else ""
    return f"`{p.id}` {esc(p.name)}{flags}{grade} · p.{p.page} · {p.sheet}"


def to_terminal(messages: list[Message]) -> str:
    """A readable rendering of the blocks for the terminal."""
    lines: list[str] = []
    for message in messages:
        for block in message.blocks:
            kind = block.get("type")
            if kind == "header":
                lines += ["", f"■ {block['text']['text']}", ""]
            elif kind == "section":
                if "text" in block:
                    lines.append(_plain(block["text"]["text"]))
                for f in block.get("fields", []):
                    lines.append(_plain(f["text"]))
            elif kind == "context":
                lines.append("  " + " ".join(_plain(e.get("text", "")) for e in block["elements"]))
            elif kind == "divider":
                lines.append("─" * 40)
            elif kind == "table":
                lines += table_lines(block)
            elif kind == "data_visualization":
                lines += chart_lines(block)
            elif kind == "actions":
                shown = [e for e in block["elements"] if e.get("action_id", "").startswith(TERMINAL_BUTTONS)]
                labels = [e["text"]["text"] for e in shown]
                if labels:
                    lines.append("  → " + " / ".join(labels))
    return "\n".join(lines).strip() + "\n"


def for_views(blocks: list[dict]) -> list[dict]:
    """Blocks for a modal or App Home, where Slack's data blocks (table, data_visualization) are for
    messages only: each becomes a section holding the same figures as aligned text."""
    out = []
    for block in blocks:
        if block["type"] == "table":
            text = "\n".join(line.removeprefix("  ") for line in table_lines(block, bars=False))
            out.append({"type": "section", "text": {"type": "mrkdwn", "text": clip(f"```{text}```", MAX_SECTION)}})
        elif block["type"] == "data_visualization":
            text = "\n".join(line.strip() for line in chart_lines(block))
            out.append({"type": "section", "text": {"type": "mrkdwn", "text": clip(esc(text), MAX_SECTION)}})
        else:
            out.append(block)
    return out


def table_lines(block: dict, bars: bool = True) -> list[str]:
    """A table block as aligned text; a 達成率 column gets its bar beside it."""
    rows = [[c.get("text", "") for c in row] for row in block["rows"]]
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(max(len(r) for r in rows))]
    align = [(s or {}).get("align", "left") for s in block.get("column_settings", [])]
    rate_column = rows[0].index("達成率") if "達成率" in rows[0] else None
    out = []
    for n, row in enumerate(rows):
        cells = [_pad(text, widths[i], align[i] if i < len(align) else "left") for i, text in enumerate(row)]
        line = "  " + "  ".join(cells)
        if bars and rate_column is not None and n > 0:
            line += "  " + bar(_rate(row[rate_column]))
        out.append(line.rstrip())
    return out


def chart_lines(block: dict) -> list[str]:
    """A chart block as text: its title and each series' values in order."""
    lines = [f"  📈 {block['title']}"]
    for series in block["chart"].get("series", []):
        values = " → ".join(f"{p['value']:,}" for p in series["data"])
        lines.append(f"     {series['name']}: {values}")
    return lines


def _rate(text: str) -> float | None:
    try:
        return float(text.removesuffix("%"))
    except ValueError:
        return None


def _width(text: str) -> int:
    """Columns a text takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    gap = " " * (width - _width(text))
    return gap + text if align == "right" else text + gap


def _plain(mrkdwn: str) -> str:
    text = re.sub(r"\*([^*\n]+)\*", r"\1", mrkdwn)
    text = text.replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
