"""Answer a question from the index: read it, find what it is about, compute, compose (DESIGN.md §3, §8).

Each step lives in its own module — `questions` reads, `search` and `passages` find, `figures`
computes, `compose` writes the direct answer, `evidence` decides whether the report holds it. This
module only decides which of them a question needs.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from knowledge import compose, facts, figures, lists
from knowledge.conversation import REFERS, Context
from knowledge.evidence import content_words, covered, fold, mentions_generic, shown_words, uncovered
from knowledge.facts import COLUMN_PARTS, FACT_ASKS, FOLDED_INTO
from knowledge.figures import IndicatorStatus
from knowledge.index import connect, ensure_index, load_report
from knowledge.model import Indicator, Project, Report
from knowledge.passages import PassageIndex
from knowledge.questions import Question, expand_synonyms, parse_question
from knowledge.search import Hit, Searcher, query_terms
from knowledge.text import fy_label, parse_number, search_terms

INTENTS = ("project", "list", "indicator", "summary", "help", "not_found")
CLOSE = 0.7  # a runner-up scoring within 70% of the best is offered as 「もしかして」
MAX_CANDIDATES = 3
MAX_TOPICS = 3
NAMES_A_PROJECT = 0.4  # a follow-up spelling out this share of another project's name switches to it
INDICATOR_WORDS = {"actual", "plan", "trend", "achievement", "below", "above"}
SENTENCE_ASKS = FACT_ASKS - {"amount"}  # answered by a sentence of the sheet even where figures exist
# 「AとB」「A、B」「AやB」: two topics, when both sides are words (「との」「と連携」 are not a split).
_TOPIC_SPLIT = re.compile(r"(?<=[^\sぁ-ゖ])(?:と|や|、|,|及び|および|並びに|ならびに|または)(?=[^\sぁ-ゖ])")


@dataclass
class Answer:
    """What the bot will say: the direct answer, an intent, the projects it is about, and the card's parts."""

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
    direct: str = ""  # the direct answer: one to three plain sentences (DESIGN.md §7 `answer`)
    topics: list[Answer] = field(default_factory=list)  # one answer per topic of a two-topic question

    @property
    def project_ids(self) -> list[str]:
        return [p.id for p in self.projects]

    @property
    def candidate_ids(self) -> list[str]:
        return [p.id for p in self.candidates]


class KnowledgeBase:
    """The report, its search and its passages, loaded once from the index; answers are pure reads."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.report = load_report(conn)
        self.by_id = {p.id: p for p in self.report.projects}
        self.searcher = Searcher(conn, self.report)
        self.passages = PassageIndex(conn)
        self.grades = {g.code: g.meaning for g in self.report.grades}
        self._indicator_terms = {
            i.id: {t.folded for t in query_terms(i.name) if t.position >= 0}
            for p in self.report.projects
            for i in p.indicators
        }
        # What each project's sheet says, folded, for verbatim phrase evidence and coverage checks.
        self.folded = {p.id: fold(" ".join(_texts(p))) for p in self.report.projects}
        self.title_folded = {p.id: fold(" ".join(_titles(p))) for p in self.report.projects}
        self.title_bag = {p.id: set(search_terms(" ".join(_titles(p)))) for p in self.report.projects}
        self.title_bag_of_name = {p.id: set(search_terms(" ".join([p.name, *p.aliases]))) for p in self.report.projects}
        self.years = {p.id: _years(p) for p in self.report.projects}
        self.all_years = sorted({y for ys in self.years.values() for y in ys})

    @classmethod
    def open(cls, db_path: Path) -> KnowledgeBase:
        """Open (building it first if needed) the index and load it."""
        return cls(connect(ensure_index(db_path)))

    # -- the entry point ------------------------------------------------------------------------
    def answer(self, text: str, context: Context | None = None) -> Answer:
        """Answer one question; a follow-up borrows its topic from the conversation's context.
        Never raises for any text a person may type."""
        q = parse_question(text, self.report.as_of_fy)
        if context is not None:
            q = self._follow(q, context)
        answer = self._route(q)
        answer.direct = answer.direct or self._status(answer)
        return answer

    def _route(self, q: Question) -> Answer:
        if q.help and not (q.project_ids or q.search):
            return self._answer(q, "help")
        if q.project_ids:
            return self._by_id(q)
        if q.scope and not q.search:
            return self._in_scope(q)
        if q.fy is not None and q.fy not in self.all_years:
            return self._year_missing(q)
        topics = self._topics(q)
        if topics:
            return topics
        hits = self.searcher.search(q.search) if q.search else []
        found = self._found(q, hits)
        if found:
            best, runners = found
            gap = uncovered(content_words(q.search), self.folded[best.id], self.searcher.bag[best.id])
            if gap:
                return self._lacking(q, gap, [best, *runners])
            return self._about(q, best, runners)
        if q.count_of == "indicators" and (q.parts & {"below", "above"} or q.threshold or q.direction):
            return self._indicators(q, self.report.projects)  # 「目標を下回った指標の数」: a count of some
        aggregate = q.rank or q.threshold or q.direction or q.parts & {"below", "above", "achievement"}
        if q.has_filter and aggregate:  # 「重点事業のうち目標を下回っているのは？」: within the filter
            return self._indicators(q, lists.filtered(self.report, q))
        if "count" in q.asks or q.has_filter or q.all_projects:
            return self._list(q)
        if q.rank or q.threshold or q.direction or "compare" in q.asks or q.parts & {"below", "above", "achievement"}:
            return self._indicators(q, self.report.projects)
        if q.parts & INDICATOR_WORDS and q.fy:
            return self._indicators(q, self.report.projects)
        if q.summary or (q.parts & INDICATOR_WORDS):
            return self.summary(q.raw)
        if q.help or not q.search:
            return self._answer(q, "help")
        return self._not_found(q, hits)

    def _follow(self, q: Question, ctx: Context) -> Question:
        """A question that names no topic of its own takes the conversation's (DESIGN.md §9);
        one that names a new topic, or asks what the report lacks, is read as a fresh question."""
        scope = [pid for pid in ctx.projects if pid in self.by_id]
        refers = bool(REFERS.search(q.raw))
        if not scope or q.project_ids or q.summary or (q.has_filter and not refers):
            return q
        words = content_words(q.search)
        if words and not self._continues(words, scope, q):
            return q
        if q.help and not words and not (q.parts or q.asks or q.fy):
            return q
        q = replace(q, search="" if not words else q.search)
        if len(scope) == 1:
            q.project_ids = scope
            named = self._named_indicators(q.search, self.by_id[scope[0]]) if q.search else []
            q.indicator_ids = [] if named else [i for i in ctx.indicators if i.startswith(scope[0] + "/")]
        else:
            q.scope = scope
        if q.fy is None and ctx.fy is not None and q.indicator_ids and q.parts & {"actual", "plan", "achievement"}:
            q.fy = ctx.fy  # 「目標は？」 after 「令和5年度の貸出数」: the same year
        return q

    def _continues(self, words: list[str], scope: list[str], q: Question) -> bool:
        """True when the conversation's projects hold the question's words, unless the question spells
        out most of another project's name (「大使館との連携は？」): 「ブックスタートは？」 after 電子書籍
        starts a new topic, 「対象は？」 after 絵本貸出定期便 does not."""
        held = all(any(covered(w, self.folded[pid], self.searcher.bag[pid]) for pid in scope) for w in words)
        if not held:
            return False
        phrase = fold(q.search)
        for p in self.report.projects:
            name = fold(p.name)
            if p.id not in scope and phrase in name and len(phrase) >= NAMES_A_PROJECT * len(name):
                return False
        return True

    # -- answers the buttons and Home ask for ----------------------------------------------------
    def summary(self, question: str = "") -> Answer:
        """The whole plan at a glance: the summary intent, with every indicator's latest status."""
        statuses = [s for p in self.report.projects for s in self.statuses(p)]
        answer = Answer(question=question, intent="summary", report=self.report, indicators=statuses)
        answer.direct = self._status(answer)
        return answer

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
        answer = self._indicators(q, [project], title=f"{project.id} {project.name}: 指標の推移")
        answer.direct = " ".join(compose.trend_sentence(i) for i in project.indicators)
        return answer

    def related(self, project_id: str) -> Answer:
        """The other projects of the same policy (the 関連事業 button)."""
        project = self.by_id.get(project_id)
        if project is None:
            return self.answer(project_id)
        same = [p for p in self.report.projects if p.policy_id == project.policy_id and p.id != project.id]
        policy = next(p.name for p in self.report.policies if p.id == project.policy_id)
        title = f"施策{project.policy_id} {policy}の事業"
        note = "" if same else "同じ施策のほかの事業はありません。"
        direct = compose.project_list(title, same) if same else note
        return Answer(
            question=project_id, intent="list", report=self.report, projects=same, title=title, note=note, direct=direct
        )

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

    def statuses(self, project: Project, fy: int | None = None) -> list[IndicatorStatus]:
        """Each indicator of a project in the asked year, or in the latest year with an actual."""
        out = []
        for ind in project.indicators:
            s = figures.status(project, ind, fy) or figures.status(project, ind)
            if s is not None:
                out.append(s)
        return out

    # -- finding ---------------------------------------------------------------------------------
    def _answer(self, q: Question, intent: str, **kw) -> Answer:
        kw.setdefault("focus", set(q.parts))
        kw.setdefault("fy", q.fy)
        return Answer(question=q.raw, intent=intent, report=self.report, **kw)

    def _in_scope(self, q: Question) -> Answer:
        """A follow-up about what was just listed (「そのうちa評価は？」「その中で目標を下回っている指標は？」)."""
        projects = [self.by_id[pid] for pid in q.scope]
        if q.has_filter or "count" in q.asks:
            return self._list(q)
        if q.rank or q.threshold or q.direction or "compare" in q.asks or q.parts & INDICATOR_WORDS or q.fy:
            return self._indicators(q, [p for p in projects if p.indicators] or projects)
        if q.parts or q.asks:
            return self._each(q, projects[:MAX_TOPICS], [""] * min(len(projects), MAX_TOPICS))
        title = "・".join(p.name for p in projects)
        return self._answer(
            q, "list", projects=projects, title=title, direct=compose.project_list("話題の事業", projects)
        )

    def _by_id(self, q: Question) -> Answer:
        known = [self.by_id[i] for i in dict.fromkeys(q.project_ids) if i in self.by_id]
        unknown = [i for i in q.project_ids if i not in self.by_id]
        if not known:
            note = f"事業番号 {unknown[0]} は計画にありません。"
            return self._answer(q, "not_found", candidates=self._near_ids(unknown[0]), note=note, direct=note)
        if len(known) > 1:
            title = "指定された事業"
            return self._answer(q, "list", projects=known, title=title, direct=compose.project_list(title, known))
        return self._about(q, known[0], [])

    def _found(self, q: Question, hits: list[Hit]) -> tuple[Project, list[Project]] | None:
        """The project the searched text is about, and close runners-up; a filter narrows the hits."""
        if not q.search:
            return None
        pool = {p.id for p in lists.filtered(self.report, q)} if q.has_filter else None
        if pool is not None:
            hits = [h for h in hits if h.project_id in pool]
        hits = self._by_phrase([h for h in hits if h.confident], q.search, pool)
        if not hits:
            fuzzy = [pid for pid, _ in self.searcher.fuzzy(q.search) if pool is None or pid in pool]
            if not fuzzy:
                return None
            hits = [Hit(pid, 0.0, 0.0, True) for pid in fuzzy]
        best = self.by_id[hits[0].project_id]
        runners = [self.by_id[h.project_id] for h in hits[1:] if h.score >= CLOSE * hits[0].score]
        return best, runners[:MAX_CANDIDATES]

    def _by_phrase(self, hits: list[Hit], search: str, pool: set[str] | None) -> list[Hit]:
        """Put first the projects whose sheet holds the question's words verbatim (「さわる絵本」).

        A word of a project's name can outrank the exact phrase in another's sheet; the phrase is the
        better evidence when it singles out a few projects.
        """
        phrases = sorted({search.replace(" ", ""), *search.split()}, key=len, reverse=True)
        for phrase in phrases:
            key = fold(phrase)
            if len(key) < 3:
                continue
            holders = [pid for pid, text in self.folded.items() if key in text and (pool is None or pid in pool)]
            if not holders or len(holders) > MAX_CANDIDATES:
                continue
            if hits and hits[0].project_id in holders:
                return hits
            top = hits[0].score if hits else 1.0
            held = [h for h in hits if h.project_id in holders]
            held_ids = {h.project_id for h in held}
            added = [Hit(pid, top, 1.0, True) for pid in holders if pid not in held_ids]
            return held + added + [h for h in hits if h.project_id not in holders]
        return hits

    def _topics(self, q: Question) -> Answer | None:
        """Two or three topics in one question (「電子書籍とブックスタートの進捗」), each answered."""
        if not q.search:
            return None
        parts = [s.strip() for s in _TOPIC_SPLIT.split(q.search) if s.strip()]
        if not 2 <= len(parts) <= MAX_TOPICS or not all(content_words(part) for part in parts):
            return None
        found = []
        for part in parts:
            hit = self._found(replace(q, search=part), self.searcher.search(part))
            if hit is None:
                return None
            found.append(hit[0])
        if len({p.id for p in found}) < len(found):
            return None
        # One project that holds every part's words is one topic (「郷土歴史館と歴史の展示」).
        for p in found:
            if not uncovered(content_words(q.search), self.folded[p.id], self.searcher.bag[p.id]):
                return None
        return self._each(q, found, parts)

    def _each(self, q: Question, projects: list[Project], searches: list[str]) -> Answer:
        """One answer per project, each with its own direct answer, shown together."""
        answers = [self._about(replace(q, search=s, scope=[]), p, []) for s, p in zip(searches, projects)]
        for a in answers:
            a.direct = a.direct or self._status(a)
        return self._answer(
            q,
            "project",
            projects=projects,
            topics=answers,
            direct="\n".join(a.direct for a in answers),
            title="・".join(p.name for p in projects),
        )

    # -- one project -----------------------------------------------------------------------------
    def _about(self, q: Question, p: Project, runners: list[Project]) -> Answer:
        """Answer what was asked about one project: its figures, a fact from its sheet, a part, or its status."""
        if q.fy is not None and q.fy not in self.years[p.id]:
            held = "・".join(fy_label(y) for y in sorted(self.years[p.id]))
            direct = compose.missing(f"{compose.project_title(p)}の{fy_label(q.fy)}") + f"（記載があるのは{held}です）"
            return self._answer(q, "project", projects=[p], candidates=runners, direct=direct, fy=None)
        if p.indicators and self._asks_figures(q, p):
            return self._figures(q, p, runners)
        fact = facts.find(q, self.passages, p.id, self._extra_words(q, p))
        asked = {k for k in COLUMN_PARTS if k in q.parts} | {FOLDED_INTO.get(k) for k in q.parts}
        if fact and not fact[1] and fact[0].kind in asked:
            fact = None  # 「ブックポストの今後」: the column asked for, quoted whole, is the answer
        if fact:
            passage, span = fact
            direct = facts.yes(q, passage) + compose.fact_sentence(span, passage, p)
            if "describe" in q.asks and passage.kind == "evaluation":  # 「どんな工夫？」: what was done, too
                done = [e for e in p.entries if e.kind == "actual" and e.fy == passage.fy and e.row == passage.row]
                direct += "".join(f"{e.label}は「{e.text}」です。" for e in done)
            focus = set(q.parts) | {passage.kind}
            return self._answer(q, "project", projects=[p], candidates=runners, direct=direct, focus=focus)
        return self._answer(q, "project", projects=[p], candidates=runners, direct=self._column(q, p))

    def _asks_figures(self, q: Question, p: Project) -> bool:
        if q.rank and "when" in q.asks and self._indicators_asked(q, p):
            return True  # 「応募作品数が一番多かったのはいつ？」: the year is read from the figures
        if q.parts - INDICATOR_WORDS or q.asks & SENTENCE_ASKS:
            return False  # 今後の取組, 課題, なぜ, いつ…: a sentence of the sheet, not figures
        # Spelled out, it names figures (「電子書籍貸出数」); through vocabulary (「蔵書」) it may name the project.
        if self._named_indicators(q.search, p, vocabulary=False) or self._by_unit(q, p):
            return True
        if q.indicator_ids and (q.parts & INDICATOR_WORDS or q.fy or q.unit or "amount" in q.asks):
            return True  # a follow-up about the indicators just shown (「目標は？」「去年は？」)
        return bool(
            q.parts & {"trend", "achievement", "below", "above", "actual", "plan"}
            or (q.unit and self._named_indicators(q.search, p))  # 「蔵書満足度は何%？」
            or q.fy
            or q.direction
            or q.rank
            or q.threshold
            or "compare" in q.asks
        ) and not (q.asks & FACT_ASKS - {"amount", "compare"} or self._extra_words(q, p))

    def _figures(self, q: Question, p: Project, runners: list[Project]) -> Answer:
        """The figures of one project's indicators, leading with the one fact asked."""
        named = self._indicators_asked(q, p)
        if q.rank and "when" in q.asks and named:
            return self._peak_year(q, p, named[0])
        if q.rank or q.threshold:
            return self._indicators(q, [p])
        inds = named or p.indicators
        fy = q.fy
        if q.direction or "compare" in q.asks:
            to = fy or self.report.as_of_fy
            base = q.fy_base if q.fy_base is not None and q.fy_base != to else to - 1
            changes = [c for c in (figures.change(p, i, base, to) for i in inds) if c]
            statuses = [s for s in (figures.status(p, i, to) for i in inds) if s]
            if changes:
                asked = q.direction if q.yesno else ""
                direct = " ".join(compose.change_sentence(c, asked) for c in changes)
            else:
                direct = compose.missing(f"{fy_label(base)}と{fy_label(to)}を比べられる{p.name}の実績")
            return self._answer(q, "indicator", projects=[p], indicators=statuses, title=p.name, direct=direct, fy=to)
        statuses = [s for s in (figures.status(p, i, fy) for i in inds) if s]
        if "trend" in q.parts:
            direct = " ".join(compose.trend_sentence(i) for i in inds)
        elif q.yesno and q.parts & {"above", "below"}:
            direct = " ".join(compose.target_judgement(s, "below" in q.parts) for s in statuses)
        else:
            part = _figure_part(q, inds)
            direct = " ".join(compose.indicator_sentence(s, part) for s in statuses)
        return self._answer(
            q, "indicator", projects=[p], indicators=statuses, title=p.name, candidates=runners, direct=direct
        )

    def _peak_year(self, q: Question, p: Project, ind: Indicator) -> Answer:
        """The year an indicator's actual was highest (or lowest)."""
        years = [v for v in ind.values if v.actual and parse_number(v.actual) is not None]
        pick = (min if q.rank == "low" else max)(years, key=lambda v: parse_number(v.actual))
        which = "少なかった" if q.rank == "low" else "多かった"
        listed = "、".join(f"{fy_label(v.fy)} {compose.figure(v.actual, ind.unit)}" for v in years)
        direct = (
            f"{ind.name}が最も{which}のは{fy_label(pick.fy)}の{compose.figure(pick.actual, ind.unit)}です（{listed}）。"
        )
        statuses = [s for s in (figures.status(p, ind, v.fy) for v in years) if s]
        return self._answer(q, "indicator", projects=[p], indicators=statuses[-1:], title=p.name, direct=direct)

    def _column(self, q: Question, p: Project) -> str:
        """A part asked for (今後の取組, 課題, 評価, a year's 実績) quoted in full; else the one-line status."""
        kinds = [k for k in COLUMN_PARTS if k in q.parts] or (["actual"] if q.fy else [])
        if not kinds:
            return compose.status_line(p, self.report, self.grades)
        kind = kinds[0]
        entries = [e for e in p.entries if e.kind == kind and e.text.strip() not in ("", "-")]
        if not entries and kind in FOLDED_INTO:  # a column some sheets fold into another one
            entries = [e for e in p.entries if e.kind == FOLDED_INTO[kind] and e.text.strip() not in ("", "-")]
        if kind == "actual":
            years = sorted({e.fy for e in entries if e.fy})
            year = q.fy if q.fy in years else (years[-1] if years else None)
            entries = [e for e in entries if e.fy == year]
        if not entries:
            return compose.missing(f"{compose.project_title(p)}の{_PART_NAMES.get(kind, kind)}")
        quoted = " ".join(
            f"「{e.label}」{'（' + str(e.row) + '行目）' if e.row > 1 else ''}: {e.text}" for e in entries
        )
        return f"{compose.project_title(p)}の{quoted}"

    def _extra_words(self, q: Question, p: Project) -> list[str]:
        """The question's content words that the project's name does not account for."""
        return [w for w in content_words(q.search) if not covered(w, self.title_folded[p.id], self.title_bag[p.id])]

    def _indicators_asked(self, q: Question, p: Project) -> list[Indicator]:
        """The project's indicators the question is about: named, by the unit asked for, or inherited
        from the conversation (none: all of them)."""
        inherited = [i for i in p.indicators if i.id in q.indicator_ids]
        return self._named_indicators(q.search, p) or self._by_unit(q, p) or inherited

    def _by_unit(self, q: Question, p: Project) -> list[Indicator]:
        if not q.unit or q.unit == "%":
            return []
        return [i for i in p.indicators if i.unit == q.unit]

    # -- many projects ---------------------------------------------------------------------------
    def _indicators(self, q: Question, projects: list[Project], title: str = "指標") -> Answer:
        """Indicators across projects: a ranking, a threshold, changes, those below or above target."""
        fy = q.fy
        statuses = [s for p in projects for s in self.statuses(p, fy)]
        year = fy_label(statuses[0].value.fy) if statuses else self.report.as_of
        direct = ""
        if q.rank and q.direction:  # 「最も伸びた指標」: ranked by the change from the year before
            to = fy or self.report.as_of_fy
            changes = [c for p in projects for i in p.indicators if (c := figures.change(p, i, to - 1, to))]
            changes = sorted((c for c in changes if c.percent is not None), key=lambda c: c.percent,
                             reverse=q.direction == "up")  # fmt: skip
            # Only indicators with a change to rank: the plan's first year has none before it.
            order = {c.indicator.id: n for n, c in enumerate(changes)}
            statuses = sorted((s for s in self._statuses_in(projects, to) if s.indicator.id in order),
                              key=lambda s: order[s.indicator.id])  # fmt: skip
            direct, title = compose.biggest_change(changes[:1], q.direction), "前年度からの変化の順"
        elif q.rank:
            statuses = figures.ranked(statuses, low=q.rank == "low")
            direct, title = compose.ranking_sentence(statuses, q.rank == "low"), "達成率の順"
        elif q.threshold:
            side, pct, word = q.threshold
            inclusive = word in ("以上", "以下")
            relation = f"{word}の" if inclusive else ("を超えた" if side == "over" else "未満の")
            title = f"{year}の達成率が{pct:g}%{relation}指標"
            statuses = figures.crossing(statuses, side, pct, inclusive)
            direct = compose.statuses_list(title, statuses)
        elif q.direction or "compare" in q.asks:
            to = fy or self.report.as_of_fy
            base = q.fy_base if q.fy_base is not None and q.fy_base != to else to - 1
            changes = [c for p in projects for i in p.indicators if (c := figures.change(p, i, base, to))]
            chosen = figures.moved(changes, q.direction) if q.direction else changes
            keep = {c.indicator.id for c in chosen}
            statuses = [s for s in self._statuses_in(projects, to) if s.indicator.id in keep]
            if q.direction:
                direct = compose.changes_list(chosen, q.direction, base, to)
            else:
                direct = " ".join(compose.change_sentence(c) for c in chosen[: compose.MAX_LISTED])
            title = f"{fy_label(base)}→{fy_label(to)}の変化"
        elif "below" in q.parts:
            statuses, title = [s for s in statuses if s.below], "目標を下回っている指標"
            direct = compose.statuses_list(f"{year}に{title}", statuses)
        elif "above" in q.parts:
            statuses = [s for s in statuses if s.achievement is not None and not s.below]
            title = "目標に達している指標"
            direct = compose.statuses_list(f"{year}に{title}", statuses)
        owners = list(dict.fromkeys(s.project.id for s in statuses))
        return self._answer(
            q, "indicator", projects=[self.by_id[i] for i in owners], indicators=statuses, title=title, direct=direct
        )

    def _statuses_in(self, projects: list[Project], fy: int) -> list[IndicatorStatus]:
        """Every indicator of the projects in one year (those without that year left out)."""
        return [s for p in projects for i in p.indicators if (s := figures.status(p, i, fy))]

    def _list(self, q: Question) -> Answer:
        projects = lists.filtered(self.report, q)
        title = lists.title(q, len(self.report.projects))
        note = "" if projects else f"{title}はありません。"
        direct = compose.project_list(title, projects)
        if "count" in q.asks:
            direct = lists.count(self.report, q, title, projects)
        return self._answer(q, "list", projects=projects, title=title, note=note, direct=direct)

    # -- what the report does not hold -----------------------------------------------------------
    def _year_missing(self, q: Question) -> Answer:
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
        return self._answer(q, "not_found", candidates=candidates, direct=direct, fy=None)

    def _lacking(self, q: Question, gap: list[str], close: list[Project]) -> Answer:
        if not self._about_the_plan(q, content_words(q.search)):
            return self._off_topic(q, gap)
        words = "・".join(f"「{w}」" for w in shown_words(gap, q.search))
        near = "、".join(compose.project_title(p) for p in close[:MAX_CANDIDATES])
        return self._answer(
            q, "not_found", candidates=close[:MAX_CANDIDATES], direct=compose.missing(words, near), note=""
        )

    def _not_found(self, q: Question, hits: list[Hit]) -> Answer:
        # Only hits too weak to answer with are left here: they are what 「もしかして」 can offer.
        words = content_words(q.search)
        if not words:  # 「こんにちは」: nothing to look up
            return self._answer(q, "help")
        asked = "・".join(f"「{w}」" for w in shown_words(words, q.search))
        if not self._about_the_plan(q, words):
            return self._off_topic(q, words)
        near = [self.by_id[h.project_id] for h in hits[:MAX_CANDIDATES]]
        direct = compose.missing(asked, "、".join(compose.project_title(p) for p in near))
        return self._answer(q, "not_found", candidates=near, direct=direct)

    def _off_topic(self, q: Question, words: list[str]) -> Answer:
        """Chat, not a question about the plan: say the report lacks it, and how to ask."""
        asked = "・".join(f"「{w}」" for w in shown_words(words, q.search))
        return self._answer(q, "help", direct=compose.missing(asked) + " " + self._status(self._answer(q, "help")))

    def _about_the_plan(self, q: Question, words: list[str]) -> bool:
        """A question is about the plan when it uses the report's generic words or any of its words."""
        if mentions_generic(q.search) or q.has_filter or q.parts:
            return True
        return any(covered(w, text, self.searcher.bag[pid]) for w in words for pid, text in self.folded.items())

    # -- helpers ---------------------------------------------------------------------------------
    def _status(self, a: Answer) -> str:
        """The direct answer when nothing more specific was asked: the one-line status of what is shown."""
        report = self.report
        if a.intent == "project" and a.projects:
            return compose.status_line(a.projects[0], report, self.grades)
        if a.intent == "list":
            return compose.project_list(a.title, a.projects) if a.projects else a.note
        if a.intent == "indicator":
            return " ".join(compose.indicator_sentence(s) for s in a.indicators[:3]) or f"{a.title}はありません。"
        if a.intent == "summary":
            grades = "・".join(f"{g.code} {g.count or 0}" for g in report.grades if g.code != "－")
            behind = sum(1 for s in a.indicators if s.below)
            return (
                f"{report.as_of}時点で{report.project_count}事業。重点事業の進捗は {grades}、"
                f"指標{len(a.indicators)}件のうち目標を下回っているのは{behind}件です。"
            )
        if a.intent == "not_found":
            return a.note or compose.missing(f"「{a.question.strip()}」")
        return (
            f"planbot は港区図書館サービス推進計画の{len(report.projects)}事業の進捗（{report.as_of}時点）に"
            "お答えします。事業名や番号で聞いてください（例: 電子書籍の進捗は？）。"
        )

    def _named_indicators(self, text: str, project: Project, vocabulary: bool = True) -> list[Indicator]:
        """Indicators of the project whose name the text spells out (most of its bigrams), or names
        in staff vocabulary (満足度 → 満足している利用者の割合)."""
        asked = {t.folded for t in query_terms(text) if t.position >= 0}
        named = self._named_by_vocabulary(text, project) if vocabulary else []
        for ind in project.indicators:
            if ind in named:
                continue
            own = self._indicator_terms[ind.id]
            shared = len(own & asked)
            # Most of the name spelled out, a question of 4+ bigrams nearly all inside a long name, or
            # the words beyond the project's own name all inside this indicator's and no other's
            # (「講座の回数」 in 調べ学習の支援; a bare 「調べ学習」 names the project, not an indicator).
            beyond = asked - self.title_bag_of_name[project.id]
            inside = len(beyond) >= 2 and beyond <= own
            unique = not any(beyond <= self._indicator_terms[o.id] for o in project.indicators if o is not ind)
            if own and (shared / len(own) >= 0.6 or (len(asked) >= 4 and shared / len(asked) >= 0.8) or
                        (inside and unique)):  # fmt: skip
                named.append(ind)
        return named

    def _named_by_vocabulary(self, text: str, project: Project) -> list[Indicator]:
        """Indicators staff vocabulary names (満足度 → 満足している利用者の割合): one per word of the
        question, the one the longest synonym names (「蔵書満足度」 is the satisfaction, not the stock)."""
        named = []
        for word in content_words(text):
            best, best_len = None, 0
            for value in map(fold, expand_synonyms(word)[1:]):
                for ind in project.indicators:
                    name = fold(ind.name)
                    if value in name and len(value) >= 0.6 * len(name) and len(value) > best_len:
                        best, best_len = ind, len(value)
            if best is not None and best not in named:
                named.append(best)
        return named

    def _near_ids(self, wrong: str) -> list[Project]:
        prefix = wrong.rsplit("-", 1)[0]
        return [p for p in self.report.projects if p.id.startswith(prefix)][:MAX_CANDIDATES]


_PART_NAMES = {
    "next_steps": "今後の取組",
    "issues": "課題",
    "evaluation": "評価",
    "reason": "実績が計画と異なる理由",
    "actual": "実績",
    "plan": "計画",
}


def _figure_part(q: Question, inds: list[Indicator]) -> str:
    if "achievement" in q.parts or (q.unit == "%" and not any(i.unit == "%" for i in inds)):
        return "achievement"
    if "plan" in q.parts and "actual" not in q.parts and not q.parts & {"above", "below"}:
        return "plan"
    return "actual"


def _titles(p: Project) -> list[str]:
    return [p.name, *p.aliases, *(i.name for i in p.indicators)]


def _texts(p: Project) -> list[str]:
    return [*_titles(p), *(e.text for e in p.entries), *(i.evaluation for i in p.indicators)]


def _years(p: Project) -> set[int]:
    """The fiscal years a project's sheet has figures or text for."""
    years = {v.fy for i in p.indicators for v in i.values if v.plan or v.actual}
    return years | {e.fy for e in p.entries if e.fy and e.text.strip() not in ("", "-")}
