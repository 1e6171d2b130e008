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

from knowledge import compose, facts, figures, lexicon, lists, spans
from knowledge.brief import Focus, brief
from knowledge.brief_request import brief_for
from knowledge.conversation import REFERS, Context
from knowledge.evidence import content_words, covered, fold, forms, mentions_generic, shown_words, uncovered
from knowledge.facts import COLUMN_PARTS, FACT_ASKS, FOLDED_INTO
from knowledge.figures import IndicatorStatus
from knowledge.highlights import highlights, indicator_news
from knowledge.index import connect, ensure_index, load_report
from knowledge.model import Indicator, Project, Report
from knowledge.passages import PassageIndex
from knowledge.questions import Ask, Level, Question, expand_synonyms, parse_question
from knowledge.routes import route
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
    route: str = ""  # the route that answered (for --explain)
    reading: Question | None = None  # how the question was read (for --explain)
    brief: object | None = None  # a knowledge.brief.Brief when the question asked for one

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
        # Everything the report says, not only the sheets: title, legend, goals, policies, column headers.
        r = self.report
        frame = [r.title, r.plan_period, r.as_of, *(f"{g.code} {g.meaning}" for g in r.grades), "進捗状況の区分"]
        frame += [g.title for g in r.goals] + [p.name for p in r.policies]
        frame += [f"{p.department} {p.sheet}" for p in r.projects] + [e.label for p in r.projects for e in p.entries]
        self.report_folded = "\n".join([*self.folded.values(), fold(" ".join(frame))])
        self.report_bag = set().union(*self.searcher.bag.values())

    def holds(self, folded: str) -> bool:
        """True when some project's sheet holds this folded text verbatim."""
        return folded in self.report_folded

    fold = staticmethod(fold)

    def absent_in(self, q: Question, words: list[str]) -> list[str]:
        """The words the report lacks that the question asks about (never one said only in passing)."""
        return [w for w in self.absent(words) if not q.in_background(w)]

    def absent(self, words: list[str]) -> list[str]:
        """The words the whole report does not hold, in any project (a typo's bigrams mostly held count
        as held; a one-character word is too weak to say the report lacks anything)."""
        return [w for w in words if len(w) >= 2 and not self._held_word(w)]

    def _held_word(self, word: str) -> bool:
        return covered(word, self.report_folded, self.report_bag)

    def _latest_news(self, p: Project) -> str:
        """A narrative project's status: the as-of year's sentence that carries the most news, quoted."""
        if p.grade:
            return ""
        top = [h for h in highlights(self.report, [p.id]) if h.fy == self.report.as_of_fy][:1]
        if not top:
            return ""
        return f"{compose.project_title(p)}の「{top[0].column}」に「{top[0].text}」とあります。"

    def _news(self, p: Project) -> str:
        """A project in one line: its grade and figures, or the sheet's sentence that carries the most news."""
        if p.grade:
            return compose.status_line(p, self.report, self.grades)
        top = highlights(self.report, [p.id], limit=1)
        return f"{p.id}: {top[0].text}（{top[0].column}）" if top else ""

    def sentence_with(self, project: Project, word: str) -> str:
        """The latest sentence of a project's sheet that uses a word, quoted with its column and year."""
        key = fold(word)
        held = [(psg, f) for psg, f in self.passages.of(project.id) if key in f]
        if not held:
            return ""
        psg = max(held, key=lambda t: t[0].fy or 0)[0]
        return compose.quote(psg, project)

    def filtered(self, q: Question) -> list[Project]:
        """The projects a question's filters select."""
        return lists.filtered(self.report, q)

    def all_statuses(self) -> list[IndicatorStatus]:
        """Every indicator's latest status."""
        return [s for p in self.report.projects for s in self.statuses(p)]

    def answer_brief(self, q: Question, topic: Project | None) -> Answer | None:
        """A brief, highlights or concerns, for the scope the question names (or its topic)."""
        b = brief_for(q.raw, self.report, resolve=self._resolve, default_scope=[topic.id] if topic else None)
        if b is None:  # the lexicon asked for a brief in words the brief reader does not know
            b = brief(self.report, [topic.id] if topic else None)
        # A part of the plan: its projects; the whole plan: the projects its lines speak of.
        ids = b.project_ids if b.scope.kind == "all" else b.scope.ids
        projects = [self.by_id[i] for i in ids if i in self.by_id]
        direct = b.text()
        if b.focus in (Focus.CONCERNS, Focus.HIGHLIGHTS):  # the count first, computed from the figures
            news = indicator_news(self.report, list(ids))
            if b.focus is Focus.CONCERNS and news.below:
                direct = f"目標を下回っている指標は{len(news.below)}件です。\n" + direct
            elif b.focus is Focus.HIGHLIGHTS and news.above:
                direct = f"目標を上回っている指標は{len(news.above)}件です。\n" + direct
        return self.reply(q, "summary", projects=projects, title=b.title, direct=direct, brief=b)

    def _resolve(self, text: str) -> list[str]:
        q = parse_question(text, self.report.as_of_fy, self.holds)
        ids = [i for i in q.project_ids if i in self.by_id]
        if not ids and q.has_filter:  # 「基本目標1」「施策2-(2)」「重点」: the projects of that part
            return [p.id for p in lists.filtered(self.report, q)]
        if not content_words(q.search):
            return ids  # 「図書館計画の進み具合」: the plan as a whole
        found = self.find(q, self.searcher.search(q.search))
        return ids or ([found[0].id] if found else [])

    @classmethod
    def open(cls, db_path: Path) -> KnowledgeBase:
        """Open (building it first if needed) the index and load it."""
        return cls(connect(ensure_index(db_path)))

    # -- the entry point ------------------------------------------------------------------------
    def answer(self, text: str, context: Context | None = None) -> Answer:
        """Answer one question; a follow-up borrows its topic from the conversation's context.
        Never raises for any text a person may type."""
        q = parse_question(text, self.report.as_of_fy, self.holds)
        if Ask.FINAL in q.asks and q.fy is None:  # 「最終目標」: the plan's last year
            q.fy = self.report.plan_end_fy
        self._plan_names(q)
        if context is not None:
            q = self._follow(q, context)
        answer = self._route(q)
        answer.direct = answer.direct or self._status(answer)
        answer.reading = q
        return answer

    def _route(self, q: Question) -> Answer:
        answer, chosen = route(self, q)
        answer.route = answer.route or chosen.name
        return answer

    def _plan_names(self, q: Question) -> None:
        """A policy or goal named by its title (施策「豊かな国際性を生かした取組の推進」) becomes the filter,
        and words that only repeat the named policy's or goal's title are no topic of their own."""
        words = content_words(q.search)
        if not words:
            return
        titles = {p.id: fold(p.name) for p in self.report.policies}
        goal_titles = {g.number: fold(g.title) for g in self.report.goals}
        if Level.POLICY in q.levels and not q.policy:
            named = [pid for pid, t in titles.items() if all(fold(w) in t for w in words)]
            if len(named) == 1:
                q.policy = named[0]
        if Level.GOAL in q.levels and not q.goals:
            named = [n for n, t in goal_titles.items() if all(fold(w) in t for w in words)]
            if len(named) == 1:
                q.goals = named
        echo = [titles[q.policy]] if q.policy in titles else [goal_titles[g] for g in q.goals if g in goal_titles]
        if echo and all(any(fold(w) in t for t in echo) for w in words):
            q.search = ""  # 「学校図書館の支援推進（施策4-(1)）」: the policy itself is the topic

    def _follow(self, q: Question, ctx: Context) -> Question:
        """A question that names no topic of its own takes the conversation's (DESIGN.md §9);
        one that names a new topic, or asks what the report lacks, is read as a fresh question."""
        scope = [pid for pid in ctx.projects if pid in self.by_id]
        if Ask.OTHER in q.asks and scope:  # 「ほかに…ある？」「似たような事業は？」: not these, others
            q.exclude = scope
            return q
        refers = bool(REFERS.search(q.raw))
        if not scope or q.project_ids or (q.summary and not refers) or (q.has_filter and not refers):
            return q
        words = content_words(q.search)
        if words and not self._continues(words, scope, q):
            return q
        asked = q.parts or q.asks or q.fy or q.levels or q.has_filter or q.rank or q.direction or q.unit or q.threshold
        if not words and not (asked or q.yesno or refers):
            return q  # 「ありがとう、助かった！」: nothing asked, nothing to borrow
        q = replace(q, search="" if not words else q.search)
        if len(scope) == 1:
            q.project_ids = scope
            named = self._named_indicators(q.search, self.by_id[scope[0]]) if q.search else []
            q.indicator_ids = [] if named else [i for i in ctx.indicators if i.startswith(scope[0] + "/")]
        else:
            # 「ICTのほうの今後は？」 after a list: the one listed project whose sheet holds the words
            held = [
                pid
                for pid in scope
                if words and all(covered(w, self.folded[pid], self.searcher.bag[pid]) for w in words)
            ]
            if len(held) == 1:
                q.project_ids, q.search = held, ""
            else:
                q.scope = scope
        if q.indicator_ids and not q.parts and (Level.INDICATOR in q.levels or q.count_of == "indicators"):
            # 「指標はいくつ？」 of an outcome just shown: its target row, which the report calls 指標
            q.parts.add("plan")
            q.asks.discard("count")
            q.count_of = ""
        if q.fy is None and ctx.fy is not None and q.indicator_ids and q.parts & {"actual", "plan", "achievement"}:
            q.fy = ctx.fy  # 「目標は？」 after 「令和5年度の貸出数」: the same year
        return q

    def _holds_all(self, pid: str, words: list[str]) -> bool:
        return all(covered(w, self.folded[pid], self.searcher.bag[pid]) for w in words)

    def _continues(self, words: list[str], scope: list[str], q: Question) -> bool:
        """True when the conversation's projects hold the question's words, unless the question spells
        out most of another project's name (「大使館との連携は？」): 「ブックスタートは？」 after 電子書籍
        starts a new topic, 「対象は？」 after 絵本貸出定期便 does not."""
        held = all(any(covered(w, self.folded[pid], self.searcher.bag[pid]) for pid in scope) for w in words)
        if not held:
            return False
        spelled = [fold(w) for w in q.search.split()]
        for p in self.report.projects:
            name = fold(p.name)
            inside = all(w in name for w in spelled)
            if p.id not in scope and inside and sum(map(len, spelled)) >= NAMES_A_PROJECT * len(name):
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
        answer = self.answer_indicators(q, [project], title=f"{project.id} {project.name}: 指標の推移")
        answer.direct = " ".join(compose.trend_sentence(i) for i in project.indicators)
        return answer

    def related(self, project_id: str) -> Answer:
        """The other projects of the same policy (the 関連事業 button)."""
        project = self.by_id.get(project_id)
        if project is None:
            return self.answer(project_id)
        # Projects whose sheets use this one's own name words (絵本貸出定期便 in a kindergarten sheet)
        # first, then the rest of its policy.
        own = re.findall(r"[一-龥々ァ-ヶー]{3,}", project.name)  # its name's runs of kanji and katakana
        echo = [
            p for p in self.report.projects
            if p.id != project.id and any(fold(w) in self.folded[p.id] for w in own)
            and sum(fold(w) in t for w in own for t in self.folded.values()) <= 6
        ]  # fmt: skip
        policy_mates = [p for p in self.report.projects if p.policy_id == project.policy_id and p.id != project.id]
        same = [self.by_id[i] for i in dict.fromkeys(p.id for p in echo + policy_mates)]
        title = f"{project.id} {project.name}に関連する事業"
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
    def reply(self, q: Question, intent: str, **kw) -> Answer:
        kw.setdefault("focus", set(q.parts))
        kw.setdefault("fy", q.fy)
        return Answer(question=q.raw, intent=intent, report=self.report, **kw)

    def answer_in_scope(self, q: Question) -> Answer:
        """A follow-up about what was just listed (「そのうちa評価は？」「その中で目標を下回っている指標は？」)."""
        projects = [self.by_id[pid] for pid in q.scope]
        if q.has_filter or "count" in q.asks:
            return self.answer_list(q)
        if q.rank or q.threshold or q.direction or "compare" in q.asks or q.parts & INDICATOR_WORDS or q.fy:
            return self.answer_indicators(q, [p for p in projects if p.indicators] or projects)
        if q.parts or q.asks:
            return self._each(q, projects[:MAX_TOPICS], [""] * min(len(projects), MAX_TOPICS))
        title = "・".join(p.name for p in projects)
        return self.reply(
            q, "list", projects=projects, title=title, direct=compose.project_list("話題の事業", projects)
        )

    def answer_ids(self, q: Question) -> Answer:
        known = [self.by_id[i] for i in dict.fromkeys(q.project_ids) if i in self.by_id]
        unknown = [i for i in q.project_ids if i not in self.by_id]
        if not known:
            note = f"事業番号 {unknown[0]} は計画にありません。"
            return self.reply(q, "not_found", candidates=self._near_ids(unknown[0]), note=note, direct=note)
        if len(known) > 1:
            title = "指定された事業"
            return self.reply(q, "list", projects=known, title=title, direct=compose.project_list(title, known))
        return self.answer_project(q, known[0], [])

    def find(self, q: Question, hits: list[Hit]) -> tuple[Project, list[Project]] | None:
        """The project the searched text is about, and close runners-up; a filter narrows the hits."""
        if not q.search:
            return None
        pool = {p.id for p in lists.filtered(self.report, q)} if q.has_filter else None
        if pool is not None:
            hits = [h for h in hits if h.project_id in pool]
        joined = q.search.replace(" ", "")
        written = [p for p in q.phrases if p.replace("の", "") in joined]  # this search's own phrases
        hits = self._by_phrase([h for h in hits if h.confident], q.search, pool, written)
        if not hits:
            fuzzy = [pid for pid, _ in self.searcher.fuzzy(q.search) if pool is None or pid in pool]
            if not fuzzy:
                return None
            hits = [Hit(pid, 0.0, 0.0, True) for pid in fuzzy]
        best = self.by_id[hits[0].project_id]
        runners = [self.by_id[h.project_id] for h in hits[1:] if h.score >= CLOSE * hits[0].score]
        return best, runners[:MAX_CANDIDATES]

    def _by_phrase(self, hits: list[Hit], search: str, pool: set[str] | None, written: list[str]) -> list[Hit]:
        """Put first the projects whose sheet holds the question's words verbatim (「さわる絵本」).

        A word of a project's name can outrank the exact phrase in another's sheet; the phrase is the
        better evidence when it singles out a few projects.
        """
        # The noun phrases as written (「英語のおはなし会」) first, then the search's words.
        phrases = [*sorted(written, key=len, reverse=True)]
        phrases += sorted(set(search.split()) - set(phrases), key=len, reverse=True)
        for phrase in phrases:
            key = fold(phrase)
            if len(key) < 3 or (len(key) < 4 and re.fullmatch(r"[ぁ-ゖー]+", key)):
                continue  # a short kana word is in too many sentences to single anything out
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

    def answer_topics(self, q: Question) -> Answer | None:
        """Two or three topics in one question (「電子書籍とブックスタートの進捗」), each answered."""
        if not q.search:
            return None
        parts = [s.strip() for s in _TOPIC_SPLIT.split(q.search) if s.strip()]
        if not 2 <= len(parts) <= MAX_TOPICS or not all(content_words(part) for part in parts):
            return None
        found = []
        for part in parts:
            hit = self.find(replace(q, search=part), self.searcher.search(part))
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
        answers = [self.answer_project(replace(q, search=s, scope=[]), p, []) for s, p in zip(searches, projects)]
        for a in answers:
            a.direct = a.direct or self._status(a)
        return self.reply(
            q,
            "project",
            projects=projects,
            topics=answers,
            direct="\n".join(a.direct for a in answers),
            title="・".join(p.name for p in projects),
        )

    # -- one project -----------------------------------------------------------------------------
    def answer_project(self, q: Question, p: Project, runners: list[Project]) -> Answer:
        """Answer what was asked about one project: its figures, a fact from its sheet, a part, or its status."""
        if q.fy is not None and q.fy not in self.years[p.id]:
            held = "・".join(fy_label(y) for y in sorted(self.years[p.id]))
            direct = compose.missing(f"{compose.project_title(p)}の{fy_label(q.fy)}") + f"（記載があるのは{held}です）"
            return self.reply(q, "project", projects=[p], candidates=runners, direct=direct, fy=None)
        if q.yesno and (q.key or q.new):  # 「それって新規事業？」: the project list's flags settle it
            flags = [(name, on) for name, asked, on in (("重点", q.key, p.is_key), ("新規", q.new, p.is_new)) if asked]
            title = compose.project_title(p)
            said = "".join(
                f"はい、{title}は{name}事業です。" if on else f"いいえ、{title}は{name}事業ではありません。"
                for name, on in flags
            )
            return self.reply(q, "project", projects=[p], candidates=runners, direct=said)
        if p.indicators and q.grades and "reason" in q.asks:  # 「なぜa評価？」: what the outcomes' evaluation says
            said = [f"{i.name}: {i.evaluation}" for i in p.indicators if i.evaluation and i.evaluation != "-"]
            if said:
                direct = f"{compose.project_title(p)}は進捗 {p.grade}です。実績の評価: " + " ".join(said[::-1][:2])
                return self.reply(q, "project", projects=[p], candidates=runners, direct=direct)
        if p.indicators and self._asks_figures(q, p):
            return self._figures(q, p, runners)
        extra = self._extra_words(q, p)
        if q.unit and q.unit not in ("%", "倍") and not self._by_unit(q, p) and not self._unit_held(q, p, extra):
            named = self._as_asked(q, extra or content_words(q.search)) or f"「{p.name}」"
            return self.reply(
                q,
                "not_found",
                candidates=[p],
                direct=compose.missing(named if "数" in named else f"{named}の数", compose.project_title(p)),
            )
        if "describe" in q.asks and not extra and not q.parts and q.fy is None:  # 「どんな事業？」: what it is
            entries = [e for e in p.entries if e.kind in ("description", "plan") and e.text.strip() not in ("", "-")]
            if entries:
                direct = f"{compose.project_title(p)}は「{entries[0].text}」という事業です。"
                return self.reply(q, "project", projects=[p], candidates=runners, direct=direct)
        if not p.indicators and extra and ("compare" in q.asks or (q.direction and not q.parts)):
            compared = self._compare_sentences(q, p, extra)
            if compared:
                return self.reply(q, "project", projects=[p], candidates=runners, direct=compared)
        fact = facts.find(q, self.passages, p.id, extra)
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
            return self.reply(q, "project", projects=[p], candidates=runners, direct=direct, focus=focus)
        return self.reply(q, "project", projects=[p], candidates=runners, direct=self._column(q, p))

    def _unit_held(self, q: Question, p: Project, extra: list[str]) -> bool:
        """True when a sentence of the sheet that holds the asked words gives a figure in the unit asked
        (「何席？」 is unanswerable where no sentence counts seats)."""
        if extra and not any(f in self.folded[p.id] for w in extra for f in forms(w)):
            return False  # the sheet does not even speak of what is counted
        return any(spans.figure_span(psg.text, q.unit) for psg, _ in self.passages.of(p.id))

    def _compare_sentences(self, q: Question, p: Project, extra: list[str]) -> str:
        """A narrative sheet compared across years: what each year's sheet says of the words asked."""
        years = sorted(self.years[p.id])
        to = q.fy if q.fy in years else years[-1]
        if q.fy_base is not None and q.fy_base not in years:  # 「令和5年度と比べて」: a sentence that compares
            label = fy_label(q.fy_base)
            stated = [psg for psg, _ in self.passages.of(p.id) if label in psg.text]
            return compose.quote(stated[0], p) if stated else ""
        base = q.fy_base if q.fy_base in years else to - 1
        plain = replace(q, asks=q.asks - {"compare"}, direction="", yesno=False)
        now, before = (facts.find(plain, self.passages, p.id, extra, year=y) for y in (to, base))
        if not now or not before:
            return ""
        return f"{compose.project_title(p)}: " + " → ".join(
            f"{fy_label(f.fy)}「{f.text}」" for f in (before[0], now[0])
        )

    def _asks_figures(self, q: Question, p: Project) -> bool:
        if q.asks & {Ask.GAP, Ask.RATIO} or (Ask.FINAL in q.asks and q.parts & INDICATOR_WORDS):
            return True  # a difference or ratio is computed from the figures
        if q.rank and "when" in q.asks and self._indicators_asked(q, p):
            return True  # 「応募作品数が一番多かったのはいつ？」: the year is read from the figures
        if q.parts - INDICATOR_WORDS or q.asks & SENTENCE_ASKS:
            return False  # 今後の取組, 課題, なぜ, いつ…: a sentence of the sheet, not figures
        # Spelled out, it names figures (「電子書籍貸出数」); through vocabulary (「蔵書」) it may name the project,
        # unless the vocabulary word is all the question names (「蔵書の満足度どんな感じ？」: that indicator).
        if self._named_indicators(q.search, p, vocabulary=False) or self._by_unit(q, p):
            return True
        # A word that names a quantity (満足度, 貸出数) asks for that figure even in a status question.
        measured = any(w.endswith(lexicon.measure_suffixes()) for w in content_words(q.search))
        if measured and not self._extra_words(q, p) and not q.asks - {"status"}:
            return bool(self._named_by_vocabulary(q.search, p, q.phrases))
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
            return self.answer_indicators(q, [p])
        inds = named or p.indicators
        fy = q.fy
        compared = q.asks & {"amount", "compare"}
        against_target = "plan" in q.parts or Level.INDICATOR in q.levels  # 「指標と比べて」: its target row
        if Ask.GAP in q.asks or (compared and (q.parts & {"above", "below"} or against_target)):
            return self._gap(q, p, inds)
        if Ask.RATIO in q.asks or q.unit == "倍":
            return self._ratio(q, p, inds)
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
            return self.reply(q, "indicator", projects=[p], indicators=statuses, title=p.name, direct=direct, fy=to)
        statuses = [s for s in (figures.status(p, i, fy) for i in inds) if s]
        if "trend" in q.parts:
            direct = " ".join(compose.trend_sentence(i) for i in inds)
        elif q.yesno and q.parts & {"above", "below"}:
            direct = " ".join(compose.target_judgement(s, "below" in q.parts) for s in statuses)
        else:
            part = _figure_part(q, inds)
            direct = " ".join(compose.indicator_sentence(s, part) for s in statuses)
        return self.reply(
            q, "indicator", projects=[p], indicators=statuses, title=p.name, candidates=runners, direct=direct
        )

    def _gap(self, q: Question, p: Project, inds: list[Indicator]) -> Answer:
        """How far each indicator's latest actual is from its target (the asked year's, else the final one
        when the question names the end of the plan, else the same year's)."""
        out, statuses = [], []
        for ind in inds:
            s = figures.status(p, ind, q.fy)
            if s is None or parse_number(s.value.actual) is None:  # a year with a target only: the latest actual
                s = figures.status(p, ind)
            if s is None:
                continue
            plan_row = figures.value_in(ind, q.fy) if q.fy and q.fy != s.value.fy else s.value
            out.append(compose.gap_sentence(ind.name, ind.unit, plan_row or s.value, s.value))
            statuses.append(s)
        direct = " ".join(x for x in out if x)
        return self.reply(q, "indicator", projects=[p], indicators=statuses, title=p.name, direct=direct)

    def _ratio(self, q: Question, p: Project, inds: list[Indicator]) -> Answer:
        """How many times each indicator's actual grew from the base year (else the first) to the year asked."""
        out, statuses = [], []
        against_plan = "plan" in q.parts or Level.INDICATOR in q.levels  # 「指標の何倍？」
        for ind in inds:
            years = [v for v in ind.values if parse_number(v.actual) is not None]
            if against_plan and years:
                v = next((v for v in years if v.fy == q.fy), years[-1])
                a, t = parse_number(v.actual), parse_number(v.plan)
                if t:
                    out.append(
                        f"{fy_label(v.fy)}の{ind.name}は{compose.figure(v.actual, ind.unit)}で、"
                        f"目標{compose.figure(v.plan, ind.unit)}の約{a / t:.2f}倍です。"
                    )
                    statuses += [s for s in (figures.status(p, ind, v.fy),) if s]
                continue
            if len(years) < 2:
                continue
            after = next((v for v in years if v.fy == q.fy), years[-1])
            before = next((v for v in years if v.fy == q.fy_base), years[0])
            if before.fy == after.fy:
                continue
            out.append(compose.ratio_sentence(ind.name, ind.unit, before, after))
            statuses += [s for s in (figures.status(p, ind, after.fy),) if s]
        direct = " ".join(x for x in out if x)
        return self.reply(q, "indicator", projects=[p], indicators=statuses, title=p.name, direct=direct)

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
        return self.reply(q, "indicator", projects=[p], indicators=statuses[-1:], title=p.name, direct=direct)

    def _column(self, q: Question, p: Project) -> str:
        """A part asked for (今後の取組, 課題, 評価, a year's 実績) quoted in full; else the one-line status."""
        kinds = [k for k in COLUMN_PARTS if k in q.parts] or (["actual"] if q.fy else [])
        if not kinds:
            # The latest actual, and the as-of year's news where it says more (「約7.5倍」).
            status = compose.status_line(p, self.report, self.grades)
            news = self._latest_news(p)
            return f"{status} {news}" if news and news not in status else status
        # 「評価と課題」: each part asked, in the card's order; a column two parts fold into is quoted once.
        quoted, seen = [], set()
        for kind in kinds[:2]:
            entries = self._entries(q, p, kind)
            if not entries:
                quoted.append(compose.missing(f"{compose.project_title(p)}の{_PART_NAMES.get(kind, kind)}"))
                continue
            fresh = [e for e in entries if id(e) not in seen]
            seen.update(id(e) for e in entries)
            quoted += [f"「{e.label}」{'（' + str(e.row) + '行目）' if e.row > 1 else ''}: {e.text}" for e in fresh]
        if len(quoted) == 1 and quoted[0].startswith("報告書には"):
            return quoted[0]
        return f"{compose.project_title(p)}の" + " ".join(quoted)

    def _entries(self, q: Question, p: Project, kind: str) -> list:
        """The cells of one part of a project's sheet (the asked or latest year's, for actuals)."""
        entries = [e for e in p.entries if e.kind == kind and e.text.strip() not in ("", "-")]
        if not entries and kind in FOLDED_INTO:  # a column some sheets fold into another one
            entries = [e for e in p.entries if e.kind == FOLDED_INTO[kind] and e.text.strip() not in ("", "-")]
        if kind == "actual":
            years = sorted({e.fy for e in entries if e.fy})
            year = q.fy if q.fy in years else (years[-1] if years else None)
            entries = [e for e in entries if e.fy == year]
        return entries

    def _extra_words(self, q: Question, p: Project) -> list[str]:
        """The question's content words that the project's name does not account for."""
        return [w for w in content_words(q.search) if not covered(w, self.title_folded[p.id], self.title_bag[p.id])]

    def _indicators_asked(self, q: Question, p: Project) -> list[Indicator]:
        """The project's indicators the question is about: named, by the unit asked for, or inherited
        from the conversation (none: all of them)."""
        inherited = [i for i in p.indicators if i.id in q.indicator_ids]
        named = self._named_indicators(q.search, p, phrases=q.phrases)
        if "と" in q.search:  # 「講座の回数と応募作品数」: each joined part may name one
            for part in q.search.split("と"):
                named += [i for i in self._named_indicators(part, p, phrases=q.phrases) if i not in named]
        return named or self._by_unit(q, p) or inherited

    def _by_unit(self, q: Question, p: Project) -> list[Indicator]:
        if not q.unit or q.unit == "%":
            return []
        return [i for i in p.indicators if i.unit == q.unit]

    # -- many projects ---------------------------------------------------------------------------
    def answer_indicators(self, q: Question, projects: list[Project], title: str = "指標") -> Answer:
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
        return self.reply(
            q, "indicator", projects=[self.by_id[i] for i in owners], indicators=statuses, title=title, direct=direct
        )

    def _statuses_in(self, projects: list[Project], fy: int) -> list[IndicatorStatus]:
        """Every indicator of the projects in one year (those without that year left out)."""
        return [s for p in projects for i in p.indicators if (s := figures.status(p, i, fy))]

    def answer_list(self, q: Question) -> Answer:
        projects = lists.filtered(self.report, q)
        title = lists.title(q, len(self.report.projects))
        note = "" if projects else f"{title}はありません。"
        direct = compose.project_list(title, projects)
        if "count" in q.asks:
            direct = lists.count(self.report, q, title, projects)
        if Ask.PER in q.asks and not q.goals and ("count" in q.asks or Level.GOAL in q.levels):
            per = "、".join(
                f"基本目標{g.number} {sum(1 for p in projects if p.goal == g.number)}事業" for g in self.report.goals
            )
            direct = f"基本目標ごとの事業数は {per} で、合わせて{len(projects)}事業です。"
        if len(q.grades) > 1 and not q.scope:  # 「a/b/cの内訳」: how many of each
            per = "、".join(f"{g} {sum(1 for p in projects if p.grade == g)}事業" for g in q.grades)
            direct = f"進捗状況別の事業数は {per} です（{self.report.as_of}時点）。" + direct
        if 1 < len(projects) <= 3 and "count" not in q.asks:  # a short list: what each one did this year
            news = [self._news(p) for p in projects]
            direct += "".join(f" {n}" for n in news if n)
        if "count" in q.asks and not q.has_filter and not q.scope:
            projects = []  # 「全部でいくつ？」: a number about the plan, no project in particular
        return self.reply(q, "list", projects=projects, title=title, note=note, direct=direct)

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
        """Chat, not a question about the plan: say the report lacks it, and how to ask."""
        asked = self._as_asked(q, self.absent(words) or words)
        return self.reply(q, "help", direct=compose.missing(asked) + " " + self._status(self.reply(q, "help")))

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

    def _named_indicators(
        self, text: str, project: Project, vocabulary: bool = True, phrases: list[str] = ()
    ) -> list[Indicator]:
        """Indicators of the project whose name the text spells out (most of its bigrams), or names
        in staff vocabulary (満足度 → 満足している利用者の割合)."""
        asked = {t.folded for t in query_terms(text) if t.position >= 0}
        by_vocabulary = self._named_by_vocabulary(text, project, phrases) if vocabulary else []
        named: list[Indicator] = []
        for ind in project.indicators:
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
        # A name spelled out (「蔵書に満足している利用者の割合」) outweighs a staff word inside it (蔵書).
        return named or by_vocabulary

    def _named_by_vocabulary(self, text: str, project: Project, phrases: list[str] = ()) -> list[Indicator]:
        """Indicators staff vocabulary names (満足度 → 満足している利用者の割合): one per word of the
        question, the one the longest synonym names (「蔵書満足度」 is the satisfaction, not the stock).
        In 「AのB」 B is the head: A only says which B, so A names no indicator of its own (「蔵書の満足度」)."""
        modifiers = {m for p in phrases for m in p.split("の")[:-1]}
        named = []
        for word in content_words(text):
            if word in modifiers:
                continue
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
