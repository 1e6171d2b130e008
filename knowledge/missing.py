"""What the report does not hold: a year it has no figures for, words it lacks (named as asked), chat.

A part of `KnowledgeBase` (knowledge/answer.py): the methods read the knowledge base's report,
search and passages through `self`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from knowledge import compose
from knowledge.answer_parts import MAX_CANDIDATES
from knowledge.evidence import content_words, covered, mentions_generic, shown_words
from knowledge.model import Project
from knowledge.questions import Question
from knowledge.search import Hit
from knowledge.text import fy_label
from knowledge.words import units

if TYPE_CHECKING:
    from knowledge.answer import Answer


class MissingAnswers:
    """What the report does not hold: a year it has no figures for, words it lacks (named as asked), chat."""

    # -- what the report does not hold -----------------------------------------------------------
    def answer_year_missing(self, q: Question) -> Answer:
        held = f"{fy_label(self.all_years[0])}〜{fy_label(self.all_years[-1])}"
        q_rest = replace(q, fy=None, fy_said="")
        topic = self._route(q_rest) if q.search else None
        about = ""
        candidates: list[Project] = []
        if topic and topic.projects:
            candidates = topic.projects[:MAX_CANDIDATES]
            named = [s.indicator.name for s in topic.indicators][:1]
            about = "の" + (named[0] if named else topic.projects[0].name)
        direct = compose.missing(f"{q.fy_said}{about}") + f"（記載があるのは{held}です）"
        return self.reply(q, "not_found", candidates=candidates, direct=direct, fy=None)

    def answer_lacking(self, q: Question, gap: list[str], close: list[Project]) -> Answer:
        if not self._about_the_plan(q, content_words(q.search)):
            return self._off_topic(q, gap)
        words = self._as_asked(q, gap)
        near = "、".join(compose.project_title(p) for p in close[:MAX_CANDIDATES])
        return self.reply(
            q, "not_found", candidates=close[:MAX_CANDIDATES], direct=compose.missing(words, near), note=""
        )

    def _as_asked(self, q: Question, missing: list[str]) -> str:
        """What the report lacks, named as the person asked it: the noun phrase each missing word stands
        in (「新宿区の電子書籍貸出数」), never a fragment."""
        named = []
        for w in missing:
            phrase = next((p for p in q.phrases if w in p), None) or next(iter(shown_words([w], q.search)), w)
            if phrase not in named:
                named.append(phrase)
        return "・".join(f"「{p}」" for p in named)

    def answer_not_found(self, q: Question, hits: list[Hit]) -> Answer:
        # Only hits too weak to answer with are left here: they are what 「もしかして」 can offer.
        words = content_words(q.search)
        if not words:  # 「こんにちは」: nothing to look up
            return self.reply(q, "help")
        if not self._about_the_plan(q, words):
            return self._off_topic(q, words)
        near = [self.by_id[h.project_id] for h in hits[:MAX_CANDIDATES]]
        absent = self.absent_in(q, words)
        if not absent:  # every word is in the report, yet no project stands out: never say it is missing
            listed = "、".join(compose.project_title(p) for p in near)
            direct = f"どの事業のことか特定できませんでした。{'近い内容: ' + listed if listed else ''}"
            return self.reply(q, "not_found", candidates=near, direct=direct)
        direct = compose.missing(self._as_asked(q, absent), "、".join(compose.project_title(p) for p in near))
        return self.reply(q, "not_found", candidates=near, direct=direct)

    def _off_topic(self, q: Question, words: list[str]) -> Answer:
        """Chat, not a question about the plan: say the report lacks it (never a word it holds, such as the
        legend's 「区分」), and how to ask."""
        absent = self.absent(words)
        said = compose.missing(self._as_asked(q, absent)) + " " if absent else ""
        return self.reply(q, "help", direct=said + self._status(self.reply(q, "help")))

    def _about_the_plan(self, q: Question, words: list[str]) -> bool:
        """A question is about the plan when it uses the report's generic words or any of its words."""
        if mentions_generic(q.search) or q.has_filter or q.parts:
            return True
        return any(covered(w, text, self.searcher.bag[pid]) for w in words for pid, text in self.folded.items())

    def absent_in(self, q: Question, words: list[str]) -> list[str]:
        """The words the report lacks that the question asks about (never one said only in passing)."""
        return [w for w in self.absent(words) if not q.in_background(w)]

    def absent(self, words: list[str]) -> list[str]:
        """The words the whole report does not hold, in any project (a typo's bigrams mostly held count
        as held; a one-character word is too weak to say the report lacks anything; a compound whose every
        word one sheet holds — 「ボランティア養成講座」 for 「ボランティアを養成するための講座」 — is held)."""
        return [
            w
            for w in words
            if len(w) >= 2 and not covered(w, self.report_folded, self.report_bag) and not self._parts_held(w)
        ]

    def _parts_held(self, compound: str) -> bool:
        """True when a compound's words (the analyzer's short units) all stand in one project's sheet."""
        parts = [u for u in units(compound) if len(u) >= 2]
        if len(parts) < 2:
            return False
        return any(all(self.fold(u) in text for u in parts) for text in self.folded.values())

    def _near_ids(self, wrong: str) -> list[Project]:
        prefix = wrong.rsplit("-", 1)[0]
        return [p for p in self.report.projects if p.id.startswith(prefix)][:MAX_CANDIDATES]
