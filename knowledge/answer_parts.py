"""Constants and small helpers the answer modules share."""

from __future__ import annotations

import re

from knowledge.facts import FACT_ASKS
from knowledge.model import Indicator, Project
from knowledge.questions import Part, Question

CLOSE = 0.7  # a runner-up scoring within 70% of the best is offered as 「もしかして」
MAX_CANDIDATES = 3
MAX_TOPICS = 3
NAMES_A_PROJECT = 0.4  # a follow-up spelling out this share of another project's name switches to it
# The parts of a card that are an indicator's figures (the rest are columns of a sheet).
INDICATOR_PARTS = frozenset({Part.ACTUAL, Part.PLAN, Part.TREND, Part.ACHIEVEMENT, Part.BELOW, Part.ABOVE})
SENTENCE_ASKS = FACT_ASKS - {"amount"}  # answered by a sentence of the sheet even where figures exist
# 「AとB」「A、B」「AやB」: two topics, when both sides are words (「との」「と連携」 are not a split).
TOPIC_SPLIT = re.compile(r"(?<=[^\sぁ-ゖ])(?:と|や|、|,|及び|および|並びに|ならびに|または)(?=[^\sぁ-ゖ])")


PART_NAMES = {
    "next_steps": "今後の取組",
    "issues": "課題",
    "evaluation": "評価",
    "reason": "実績が計画と異なる理由",
    "actual": "実績",
    "plan": "計画",
}


def figure_part(q: Question, inds: list[Indicator]) -> str:
    if "achievement" in q.parts or (q.unit == "%" and not any(i.unit == "%" for i in inds)):
        return "achievement"
    if "plan" in q.parts and "actual" not in q.parts and not q.parts & {"above", "below"}:
        return "plan"
    return "actual"


def titles_of(p: Project) -> list[str]:
    return [p.name, *p.aliases, *(i.name for i in p.indicators)]


def texts_of(p: Project) -> list[str]:
    """A project's texts, with each shared-ending list spelled out (「園・校歌」 also as 「園歌・校歌」)."""
    texts = [*titles_of(p), *(e.text for e in p.entries), *(i.evaluation for i in p.indicators)]
    return texts + [spelled for t in texts if (spelled := _SHARED_END.sub(_spell_out, t)) != t]


# 「園・校歌」「小・中学校」: one ending shared by the kanji listed before it, as Japanese lists write it.
_SHARED_END = re.compile(r"(?<![一-龥])((?:[一-龥]・)+[一-龥])([一-龥]{1,3})")


def _spell_out(m: re.Match) -> str:
    """Each word spelled out, listed with ・ and run together (「園歌・校歌」 and 「園歌校歌」)."""
    words = [head + m.group(2) for head in m.group(1).split("・")]
    return "・".join(words) + " " + "".join(words)


def years_of(p: Project) -> set[int]:
    """The fiscal years a project's sheet has figures or text for."""
    years = {v.fy for i in p.indicators for v in i.values if v.plan or v.actual}
    return years | {e.fy for e in p.entries if e.fy and e.text.strip() not in ("", "-")}
