"""Render answers as Slack Block Kit messages from the jinja2 templates in bot/templates.

Each template emits a JSON array in which every block is followed by a comma and the array ends in
`null`, so loops need no comma bookkeeping; the nulls are dropped after parsing. Every value goes
through `tojson`; text that came from a person or the report also goes through `esc` first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

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
GRADE_EMOJI = {"a": ":large_green_circle:", "b": ":large_yellow_circle:", "c": ":red_circle:", "－": ":white_circle:"}


@dataclass(frozen=True)
class Message:
    """One Slack message: the plain-text fallback and its blocks."""

    text: str
    blocks: list[dict]


def esc(value) -> str:
    """Escape text for mrkdwn so nothing a person typed (or the report says) can ping or link."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar(rate: float | None, width: int = 10) -> str:
    """A text progress bar for an achievement rate (100% fills it; more is shown by the number)."""
    if rate is None:
        return ""
    filled = max(0, min(width, round(rate / 100 * width)))
    return "█" * filled + "░" * (width - filled)


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
    blocks = render_blocks("_answer.json.j2", direct=answer.direct) if answer.direct.strip() else []
    if answer.topics:  # a question of two or three topics: a compact card for each, in one message
        for topic in answer.topics:
            blocks += render_blocks(f"{topic.intent}.json.j2", **{**context, "a": topic, "compact": True})
    else:
        blocks += render_blocks(f"{answer.intent}.json.j2", **context)
    return split(blocks, fallback(answer))


def split(blocks: list[dict], text: str) -> list[Message]:
    """Split blocks into messages of at most MAX_BLOCKS blocks and MAX_MESSAGE_CHARS characters."""
    messages: list[Message] = []
    current: list[dict] = []
    size = 0
    for block in blocks:
        n = len(json.dumps(block, ensure_ascii=False))
        if current and (len(current) >= MAX_BLOCKS - RESERVED_BLOCKS or size + n > MAX_MESSAGE_CHARS):
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
            elif kind == "actions":
                labels = [(e.get("text") or e.get("placeholder") or {}).get("text", "") for e in block["elements"]]
                lines.append("  [" + "] [".join(labels) + "]")
    return "\n".join(lines).strip() + "\n"


def _plain(mrkdwn: str) -> str:
    text = re.sub(r"\*([^*\n]+)\*", r"\1", mrkdwn)
    text = text.replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
