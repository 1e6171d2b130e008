"""What a conversation remembers between turns, and how a follow-up borrows it (「去年は？」「課題は？」).

The context is plain data (ids, a year, the sheet columns last asked for), so a state store can keep
it as JSON; this module never stores anything itself.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace

from knowledge.facts import SHEET_COLUMNS
from knowledge.lists import filtered

# 「そのうち」「その中で」「それ」: the question is about what was just shown.
REFERS = re.compile(r"その|それ|そのうち|その中|うち|中で|この|これ|同じ")


@dataclass
class Context:
    """The topic of the last answer that had one: its projects, the indicators shown, the year, and the
    sheet columns it asked for (kept for 「それを答弁調で」)."""

    projects: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    fy: int | None = None
    parts: list[str] = field(default_factory=list)  # the sheet columns last asked for (「課題は？」)
    listed: list[str] = field(default_factory=list)  # the last several projects shown (「もう一つの方は？」)
    group: list[str] = field(default_factory=list)  # the part of the plan they were picked from (重点, 施策4-(2))

    def to_dict(self) -> dict:
        """As JSON-able data for the state store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Context | None:
        """Back from the state store; None for nothing stored (or something unreadable)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                list(data.get("projects", [])),
                list(data.get("indicators", [])),
                data.get("fy"),
                [str(p) for p in data.get("parts", [])],
                [str(p) for p in data.get("listed", [])],
                [str(p) for p in data.get("group", [])],
            )
        except TypeError:
            return None


def context_of(answer, previous: Context | None) -> Context | None:
    """The context after an answer: its topic, or the previous one when it had none (help, not found).

    A question the report cannot answer does not end the conversation: 「予算は？」 then 「去年は？」
    still means the project before.
    """
    if answer.intent in ("help", "not_found") or not answer.projects:
        return previous
    indicators = [s.indicator.id for s in answer.indicators] if answer.intent == "indicator" else []
    parts = sorted(str(p) for p in answer.focus if str(p) in SHEET_COLUMNS)
    ids = [p.id for p in answer.projects]
    # A list stays in mind while the talk narrows to one of it: 「もう一つの方は？」 means the rest of it.
    listed = ids if len(ids) >= 2 else (previous.listed if previous is not None and ids[0] in previous.listed else [])
    return Context(ids, indicators, answer.fy, parts, listed, _group(answer, listed, previous))


def _group(answer, listed: list[str], previous: Context | None) -> list[str]:
    """The part of the plan a list was picked from (「重点事業でaのものは？」: the key projects; 「施策4-(2)の
    ①〜③」: that policy's), so that 「もう一つのほうは？」「残りは？」 can mean the rest of it."""
    q = getattr(answer, "reading", None)
    if q is not None and (q.goals or q.policy or q.key or q.new or q.sheet):
        whole = replace(q, grades=[], scope=[], exclude=[], project_ids=[])
        return [p.id for p in filtered(answer.report, whole)]
    return previous.group if previous is not None and set(listed) <= set(previous.group) else []
