"""Answer a question from the index: rules decide the intent, search finds the project (DESIGN.md §3 ⑤)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.index import achievement, connect, ensure_index, load_report
from knowledge.model import Indicator, IndicatorValue, Project, Report
from knowledge.questions import Question, parse_question
from knowledge.search import Hit, Searcher, query_terms
from knowledge.text import parse_number

INTENTS = ("project", "list", "indicator", "summary", "help", "not_found")
CLOSE = 0.7  # a runner-up scoring within 70% of the best is offered as 「もしかして」
MAX_CANDIDATES = 3
INDICATOR_WORDS = {"actual", "plan", "trend", "achievement", "below", "above"}


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator in one year: plan, actual, achievement, and the change from the year before."""

    project: Project
    indicator: Indicator
    value: IndicatorValue
    achievement: float | None
    previous: IndicatorValue | None

    @property
    def below(self) -> bool:
        plan, actual = parse_number(self.value.plan), parse_number(self.value.actual)
        return plan is not None and actual is not None and actual < plan

    @property
    def change(self) -> float | None:
        """Actual minus the previous year's actual, in the indicator's unit."""
        if self.previous is None:
            return None
        now, before = parse_number(self.value.actual), parse_number(self.previous.actual)
        return None if now is None or before is None else now - before


@dataclass
class Answer:
    """What the bot will say: an intent, the projects it is about and what the card should show."""

    question: str
    intent: str
    report: Report
    projects: list[Project] = field(default_factory=list)
    candidates: list[Project] = field(default_factory=list)
    indicators: list[IndicatorStatus] = field(default_factory=list)
    focus: set[str] = field(default_factory=set)  # parts asked for: actual, next_steps, trend…
    fy: int | None = None
    title: str = ""  # what a list or indicator answer is of (「進捗がaの事業」)
    note: str = ""  # a sentence to say before the card (an empty list, an unknown id)

    @property
    def project_ids(self) -> list[str]:
        return [p.id for p in self.projects]

    @property
    def candidate_ids(self) -> list[str]:
        return [p.id for p in self.candidates]


class KnowledgeBase:
    """The report and its search, loaded once from the index; answers are pure reads."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.report = load_report(conn)
        self.by_id = {p.id: p for p in self.report.projects}
        self.searcher = Searcher(conn, self.report)
        self._indicator_terms = {
            i.id: {t.folded for t in query_terms(i.name) if t.position >= 0}
            for p in self.report.projects
            for i in p.indicators
        }

    @classmethod
    def open(cls, db_path: Path | None = None) -> KnowledgeBase:
        """Open (building it first if needed) the index and load it."""
        return cls(connect(ensure_index(db_path)))

    # -- the entry point ------------------------------------------------------------------------
    def answer(self, text: str) -> Answer:
        """Answer one question. Never raises for any text a person may type."""
        q = parse_question(text, self.report.as_of_fy)
        if q.help and not (q.project_ids or q.search):
            return self._answer(q, "help")
        if q.project_ids:
            return self._by_id(q)
        hits = self.searcher.search(q.search) if q.search else []
        found = self._found(q, hits)
        if found:
            return found
        if q.has_filter or q.all_projects:
            return self._list(q)
        if q.parts & {"below", "above", "achievement"} or (q.parts & INDICATOR_WORDS and q.fy):
            return self._indicators(q, self.report.projects, title="指標")
        if q.summary or (q.parts & INDICATOR_WORDS):
            return self.summary(q.raw)
        if q.help or not q.search:
            return self._answer(q, "help")
        return self._not_found(q, hits)

    def summary(self, question: str = "") -> Answer:
        """The whole plan at a glance: the summary intent, with every indicator's latest status."""
        statuses = [s for p in self.report.projects for s in self.statuses(p)]
        return Answer(question=question, intent="summary", report=self.report, indicators=statuses)

    def project_card(self, project_id: str) -> Answer:
        """The card of one project by id (buttons, the search modal); not_found for an unknown id."""
        return self.answer(project_id)

    def trend(self, project_id: str) -> Answer:
        """Every indicator of a project over the years (the 指標の推移 button)."""
        project = self.by_id.get(project_id)
        if project is None or not project.indicators:
            return self.answer(project_id)
        q = parse_question(project_id, self.report.as_of_fy)
        q.parts.add("trend")
        return self._indicators(q, [project], title=f"{project.id} {project.name}: 指標の推移")

    def related(self, project_id: str) -> Answer:
        """The other projects of the same policy (the 関連事業 button)."""
        project = self.by_id.get(project_id)
        if project is None:
            return self.answer(project_id)
        same = [p for p in self.report.projects if p.policy_id == project.policy_id and p.id != project.id]
        policy = next(p.name for p in self.report.policies if p.id == project.policy_id)
        title = f"施策{project.policy_id} {policy}の事業"
        note = "" if same else "同じ施策のほかの事業はありません。"
        return Answer(question=project_id, intent="list", report=self.report, projects=same, title=title, note=note)

    def suggest(self, text: str, limit: int = 100) -> list[Project]:
        """Projects for a type-ahead box: all of them for an empty query, else the search's best."""
        text = text.strip()
        if not text:
            return self.report.projects[:limit]
        q = parse_question(text, self.report.as_of_fy)
        ids = [i for i in q.project_ids if i in self.by_id]
        ids += [h.project_id for h in self.searcher.search(q.search or text)]
        ids += [pid for pid, _ in self.searcher.fuzzy(text)]
        ids += [p.id for p in self.report.projects if text in p.id or text in p.name]
        return [self.by_id[i] for i in dict.fromkeys(ids)][:limit]

    # -- intents ---------------------------------------------------------------------------------
    def _answer(self, q: Question, intent: str, **kw) -> Answer:
        kw.setdefault("focus", set(q.parts))
        kw.setdefault("fy", q.fy)
        return Answer(question=q.raw, intent=intent, report=self.report, **kw)

    def _by_id(self, q: Question) -> Answer:
        known = [self.by_id[i] for i in dict.fromkeys(q.project_ids) if i in self.by_id]
        unknown = [i for i in q.project_ids if i not in self.by_id]
        if not known:
            note = f"事業番号 {unknown[0]} は計画にありません。"
            return self._answer(q, "not_found", candidates=self._near_ids(unknown[0]), note=note)
        if len(known) > 1:
            return self._answer(q, "list", projects=known, title="指定された事業")
        return self._project(q, known[0], [])

    def _found(self, q: Question, hits: list[Hit]) -> Answer | None:
        """The project the searched text is about; a filter in the same question narrows the hits."""
        if not q.search:
            return None
        pool = self._filtered(q) if q.has_filter else None
        if pool is not None:
            ids = {p.id for p in pool}
            hits = [h for h in hits if h.project_id in ids]

        hits = [h for h in hits if h.confident]
        if not hits:
            fuzzy = [pid for pid, _ in self.searcher.fuzzy(q.search)]
            if pool is not None:
                fuzzy = [pid for pid in fuzzy if pid in {p.id for p in pool}]
            if not fuzzy:
                return None
            hits = [Hit(pid, 0.0, 0.0, True) for pid in fuzzy]
        best = self.by_id[hits[0].project_id]
        runners = [self.by_id[h.project_id] for h in hits[1:] if h.score >= CLOSE * hits[0].score]
        answer = self._indicator_of(q, best, runners)
        if answer:
            return answer
        return self._project(q, best, runners[:MAX_CANDIDATES])

    def _project(self, q: Question, project: Project, runners: list[Project]) -> Answer:
        return self._answer(q, "project", projects=[project], candidates=runners)

    def _indicator_of(self, q: Question, best: Project, runners: list[Project]) -> Answer | None:
        """A question naming an indicator (or asking for figures of a key project) gets its figures."""
        if q.parts - INDICATOR_WORDS:
            return None  # 今後の取組, 課題…: a part of the card, not figures
        owners = [p for p in [best, *runners] if p.indicators]
        if not owners:
            return None
        project = owners[0]
        named = self._named_indicators(q.search, project)
        if not named and not (q.parts & {"trend", "achievement", "below", "above"} or q.fy):
            return None
        others = [p for p in [best, *runners] if p is not project][:MAX_CANDIDATES]
        return self._indicators(q, [project], title=project.name, only=named, candidates=others)

    def _indicators(self, q: Question, projects: list[Project], title: str, only=None, candidates=()) -> Answer:
        statuses = [s for p in projects for s in self.statuses(p, q.fy) if not only or s.indicator in only]
        if "below" in q.parts:
            statuses, title = [s for s in statuses if s.below], "目標を下回っている指標"
        elif "above" in q.parts:
            statuses = [s for s in statuses if s.achievement is not None and not s.below]
            title = "目標に達している指標"
        owners = list(dict.fromkeys(s.project.id for s in statuses))
        return self._answer(
            q,
            "indicator",
            projects=[self.by_id[i] for i in owners],
            indicators=statuses,
            title=title,
            candidates=list(candidates),
        )

    def _list(self, q: Question) -> Answer:
        projects = self._filtered(q)
        title = _filter_title(q, len(self.report.projects))
        note = "" if projects else f"{title}はありません。"
        return self._answer(q, "list", projects=projects, title=title, note=note)

    def _not_found(self, q: Question, hits: list[Hit]) -> Answer:
        # Only hits too weak to answer with are left here (fuzzy matching found nothing in _found):
        # they are what 「もしかして」 can offer.
        near = [self.by_id[h.project_id] for h in hits[:MAX_CANDIDATES]]
        return self._answer(q, "not_found", candidates=near)

    # -- helpers ---------------------------------------------------------------------------------
    def _filtered(self, q: Question) -> list[Project]:
        out = []
        for p in self.report.projects:
            if q.goal and p.goal != q.goal:
                continue
            if q.policy and p.policy_id != q.policy:
                continue
            if q.grades and p.grade not in q.grades:
                continue
            if (q.key and not p.is_key) or (q.new and not p.is_new):
                continue
            if q.page and p.page != q.page:
                continue
            if q.sheet and p.sheet != q.sheet:
                continue
            out.append(p)
        return out

    def _named_indicators(self, text: str, project: Project) -> list[Indicator]:
        """Indicators of the project whose name the text spells out (most of its bigrams)."""
        asked = {t.folded for t in query_terms(text) if t.position >= 0}
        named = []
        for ind in project.indicators:
            own = self._indicator_terms[ind.id]
            shared = len(own & asked)
            # Most of the name spelled out, or a question of 4+ bigrams nearly all inside a long name.
            if own and (shared / len(own) >= 0.6 or (len(asked) >= 4 and shared / len(asked) >= 0.8)):
                named.append(ind)
        return named

    def _near_ids(self, wrong: str) -> list[Project]:
        prefix = wrong.rsplit("-", 1)[0]
        return [p for p in self.report.projects if p.id.startswith(prefix)][:MAX_CANDIDATES]

    def statuses(self, project: Project, fy: int | None = None) -> list[IndicatorStatus]:
        """Each indicator of a project in the asked year, or in the latest year with an actual."""
        out = []
        for ind in project.indicators:
            by_fy = {v.fy: v for v in ind.values}
            year = fy if fy in by_fy else max((v.fy for v in ind.values if v.actual), default=None)
            if year is None:
                continue
            value = by_fy[year]
            out.append(IndicatorStatus(project, ind, value, achievement(value.plan, value.actual), by_fy.get(year - 1)))
        return out


def _filter_title(q: Question, total: int) -> str:
    parts = []
    if q.goal:
        parts.append(f"基本目標{q.goal}")
    if q.policy:
        parts.append(f"施策{q.policy}")
    if q.key:
        parts.append("重点")
    if q.new:
        parts.append("新規")
    if q.grades:
        parts.append("・".join(q.grades) + "評価")
    if q.page:
        parts.append(f"計画書{q.page}ページ")
    if q.sheet:
        parts.append(q.sheet)
    return ("・".join(parts) + "の事業") if parts else f"全{total}事業"
