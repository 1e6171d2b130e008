"""Answer a question from the index: read it, find what it is about, compute, compose (docs/design.md §1, §4).

Each step lives in its own module — `questions` reads, `search` and `passages` find, `figures`
computes, `compose` writes the direct answer, `evidence` decides whether the report holds it. This
module only decides which of them a question needs.
"""

from __future__ import annotations

import copy
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import compose, figures, grammar, lists
from knowledge.answer_parts import CLOSE, MAX_CANDIDATES, texts_of, titles_of, years_of
from knowledge.conversation import Context, context_of
from knowledge.evidence import content_words, covered, fold
from knowledge.figures import IndicatorStatus
from knowledge.follow import FollowUps
from knowledge.index import connect, ensure_index, load_report
from knowledge.many import ManyAnswers
from knowledge.missing import MissingAnswers
from knowledge.model import Project, Report
from knowledge.one_project import ProjectAnswers
from knowledge.passages import PassageIndex
from knowledge.questions import Ask, Question, parse_question, vocabulary
from knowledge.routes import route
from knowledge.search import Hit, Searcher, query_terms
from knowledge.text import normalize, search_terms
from knowledge.words import TOPICAL, Pos, analyze, reading, units

# The column headers of the report's list of projects (事業一覧), which the index keeps as fields.
LIST_HEADERS = ["施策", "重点", "新規", "事業名", "計画書掲載頁", "担当課", "進捗管理票記載頁"]
MAX_FURTHER = 3  # later questions of one message answered with the first
# The routes of a question that asks nothing the report could answer (chat, 「ありがとう」).
NOTHING_ASKED = frozenset({"help", "help (nothing to look up)"})
# A runner-up scoring at least this share of the best, whose name holds two of the question's words where the
# best's holds none, is the better answer: the best scored on synonyms (「イベント」 → 催し物, プログラム).
TITLED_CLOSE = 0.6

INTENTS = ("project", "list", "indicator", "summary", "help", "not_found")


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
    direct: str = ""  # the direct answer: one to three plain sentences (docs/design.md §3 `answer`)
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


class KnowledgeBase(ProjectAnswers, ManyAnswers, MissingAnswers, FollowUps):
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
        self.folded = {p.id: fold(" ".join(texts_of(p))) for p in self.report.projects}
        self.title_folded = {p.id: fold(" ".join(titles_of(p))) for p in self.report.projects}
        self.title_bag = {p.id: set(search_terms(" ".join(titles_of(p)))) for p in self.report.projects}
        self.title_bag_of_name = {p.id: set(search_terms(" ".join([p.name, *p.aliases]))) for p in self.report.projects}
        self.years = {p.id: years_of(p) for p in self.report.projects}
        self.all_years = sorted({y for ys in self.years.values() for y in ys})
        # Everything the report says, not only the sheets: title, legend, goals, policies, column headers.
        r = self.report
        frame = [r.title, r.plan_period, r.as_of, *(f"{g.code} {g.meaning}" for g in r.grades), "進捗状況の区分"]
        frame += LIST_HEADERS  # the list of projects' own column headers (担当課, 計画書掲載頁…)
        frame += [g.title for g in r.goals] + [p.name for p in r.policies]
        frame += [f"{p.department} {p.sheet}" for p in r.projects] + [e.label for p in r.projects for e in p.entries]
        self.report_folded = "\n".join([*self.folded.values(), fold(" ".join(frame))])
        self.report_bag = set().union(*self.searcher.bag.values())
        self._held: dict[str, bool] = {}
        self._readings: dict[str, Question] = {}
        self._spelled: dict[str, str] | None = None
        self._katakana: list[str] | None = None  # the report's katakana words, for shortenings (ブクポ)

    def holds(self, folded: str) -> bool:
        """True when the report holds this folded text verbatim (remembered: the reader asks often)."""
        held = self._held.get(folded)
        if held is None:
            held = self._held[folded] = folded in self.report_folded
        return held

    fold = staticmethod(fold)

    def read(self, text: str) -> Question:
        """The question read against this report (a fresh copy: answering may narrow it). Readings are
        remembered for a few hundred recent texts, since a brief reads its request twice."""
        q = self._readings.get(text)
        if q is None:
            if len(self._readings) > 512:
                self._readings.clear()
            q = self._readings[text] = parse_question(text, self.report.as_of_fy, self.holds)
            self._as_spelled(q)
        return copy.deepcopy(q)

    def _as_spelled(self, q: Question) -> None:
        """A name typed half in kana (「しらべ学習」), or converted to the wrong kanji (「連係」), is searched as
        the report spells it (調べ学習, 連携): the report's word that reads the same."""
        for t in q.terms:
            if len(t.text) < 2 or self.holds(fold(t.text)) or t.text not in q.search or t.text.isascii():
                continue  # 「連係」 for 連携: a word the report lacks, converted to the wrong kanji, is tried too
            spelled = self._spellings().get(reading(t.text)) or self._shortened(t.text)
            if spelled:
                q.search = q.search.replace(t.text, spelled)
        for run in q.kana.split():  # 「でんししょせき」「ぱすふぁいんだー」: a name typed all in kana
            named = self._kana_names(run)
            for kana, spelled in named:
                if kana in q.search:  # read into a word already (「ぶっくすたーとと絵本定期便」): spelled there
                    q.search = q.search.replace(kana, spelled)
                else:
                    left = [w for w in q.search.split() if w not in run]  # a piece of the run read as a word
                    q.search = " ".join([spelled, *left])
            if named:
                q.kana = q.kana.replace(run, "")

    def _shortened(self, word: str) -> str:
        """「ブクポ」 for ブックポスト: a katakana word the report lacks, read as the one katakana word of the
        report it shortens (same first kana, its kana in order, the last from a later part); '' if none."""
        if not re.fullmatch(r"[ァ-ヶー]{2,5}", word):
            return ""
        if self._katakana is None:
            texts = [t for p in self.report.projects for t in texts_of(p)]
            self._katakana = sorted({w for t in texts for w in re.findall(r"[ァ-ヶー]{4,}", normalize(t))})
        pattern = re.compile(".*?".join(map(re.escape, word)))
        found = [w for w in self._katakana if w[0] == word[0] and pattern.match(w) and len(w) > len(word) + 1]
        return found[0] if len(found) == 1 else ""

    def _kana_names(self, run: str) -> list[tuple[str, str]]:
        """The report's words a run of hiragana spells, each with the kana that spell it, read from its start
        and after each particle, longest first (「でんししょせきのかしだし」 → 電子書籍, 貸出); words of four kana
        or more only, never one the report writes in hiragana, nor a generic word (図書館, 計画)."""
        spellings, found, i = self._spellings(), [], 0
        while i < len(run):
            end = next((j for j in range(len(run), i + 3, -1) if run[i:j] in spellings), None)
            if end is None:  # no word starts here: go on after the next particle
                nxt = re.search(r"[のとやはがをにで]", run[i + 1 :])
                i = i + 2 + nxt.start() if nxt else len(run)
                continue
            spelled = spellings[run[i:end]]
            if not re.fullmatch(r"[ぁ-ゖー]+", spelled) and normalize(spelled) not in vocabulary().generic:
                found.append((run[i:end], spelled))
            i = end + (end < len(run) and run[end] in "のとやはがをにで")
        return found

    def _spellings(self) -> dict[str, str]:
        """The report's words (and runs of them) by how they read, built on first use: names first, then
        the sheets' sentences."""
        if self._spelled is None:
            names = [n for p in self.report.projects for n in (p.name, *(i.name for i in p.indicators))]
            names += [t for p in self.report.projects for t in texts_of(p)]
            found: dict[str, str] = {}
            for name in names:
                words = analyze(normalize(name))
                for i in range(len(words)):
                    for j in range(i + 1, min(len(words), i + 3) + 1):
                        run = words[i:j]
                        if (
                            all(w.pos in TOPICAL or w.pos in (Pos.VERB, Pos.PREFIX) for w in run)
                            and run[-1].pos in TOPICAL
                        ):
                            text = normalize(name)[run[0].start : run[-1].end]
                            found.setdefault(reading(text), text)
            self._spelled = found
        return self._spelled

    def filtered(self, q: Question) -> list[Project]:
        """The projects a question's filters select."""
        return lists.filtered(self.report, q)

    def all_statuses(self) -> list[IndicatorStatus]:
        """Every indicator's latest status."""
        return [s for p in self.report.projects for s in self.statuses(p)]

    @classmethod
    def open(cls, db_path: Path) -> KnowledgeBase:
        """Open (building it first if needed) the index and load it."""
        return cls(connect(ensure_index(db_path)))

    # -- the entry point ------------------------------------------------------------------------
    def answer(self, text: str, context: Context | None = None, further: bool = True) -> Answer:
        """Answer one question; a follow-up borrows its topic from the conversation's context.
        A message that asks more than one thing (「計画に届いた？計画値はいくつ？」) gets each later question
        answered too, as a follow-up of the first. Never raises for any text a person may type."""
        q = self.read(text)
        first, later = grammar.split_asks(q.plain, q.words) if further and q.words else (None, [])
        if first:  # 「実績と計画の差、それから減った理由も」: the first question is read alone, the rest after
            q = self.read(first)
        if Ask.FINAL in q.asks and q.fy is None:  # 「最終目標」: the plan's last year
            q.fy = self.report.plan_end_fy
        self._plan_names(q)
        if context is not None:
            q = self._follow(q, context)
        answer = self._route(q)
        answer.direct = answer.direct or self._status(answer)
        answer.reading = q
        return self._answer_further(answer, later, context) if later else answer

    def _answer_further(self, first: Answer, later: list[str], context: Context | None) -> Answer:
        """The first answer with the answers to the message's later questions added, each read as a
        follow-up of what was answered before it; one that adds nothing new is left out. A first answer
        that found nothing (「ありがとう、それから…」) gives its place to the first later one that did."""
        ctx = context_of(first, context)
        said = [] if first.route in NOTHING_ASKED else [first.direct]
        for unit in later[:MAX_FURTHER]:
            more = self.answer(unit, ctx, further=False)
            opening = re.split(r"[。\n]", more.direct)[0]  # 「別紙2の事業は3事業です: …」, said by the first
            repeats = any(more.direct in s or s in more.direct or opening in s for s in said)
            r = more.reading
            # 「…と聞かれました。どうでしょう」: a later question that asks nothing of its own
            own = r is not None and (
                r.search or r.parts or r.fy or r.has_filter or r.unit or r.rank or r.direction or r.yesno
            )
            asks_nothing = r is not None and not own and r.asks <= {Ask.STATUS}
            repeats = repeats or asks_nothing
            if more.route in NOTHING_ASKED or not more.direct or repeats:
                continue
            if not said:
                first, said = more, [more.direct]
            else:
                said.append(more.direct)
                # 「企業連携の業種と、ついでに大使館連携の中身も」: the card lists what each answer spoke of
                first.projects += [p for p in more.projects if p not in first.projects]
            ctx = context_of(more, ctx)
        first.direct = "\n".join(said) or first.direct
        return first

    def _route(self, q: Question) -> Answer:
        answer, chosen = route(self, q)
        answer.route = answer.route or chosen.name
        return answer

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

    def find(self, q: Question, hits: list[Hit]) -> tuple[Project, list[Project]] | None:
        """The project the searched text is about, and close runners-up; a filter narrows the hits."""
        if not q.search:
            return None
        # 「宅配サービスって重点？」: the flag is what is asked of the topic, not where to look for it
        asked_flag = q.yesno and (q.key or q.new) and not (q.goals or q.policy or q.grades or q.sheet)
        pool = {p.id for p in lists.filtered(self.report, q)} if q.has_filter and not asked_flag else None
        if pool is not None:
            hits = [h for h in hits if h.project_id in pool]
        hits = [h for h in hits if h.project_id not in q.exclude]  # 「ほかに…ある？」: not the ones shown
        joined = q.search.replace(" ", "")
        written = [p for p in q.phrases if p.replace("の", "") in joined]  # this search's own phrases
        written += self._as_said_on(q)
        hits = self._by_phrase(self._titled_first([h for h in hits if h.confident], q.search), q.search, pool, written)
        hits = self._most_covered(hits, q.search)
        if not hits:
            fuzzy = [pid for pid, _ in self.searcher.fuzzy(q.search) if pool is None or pid in pool]
            if not fuzzy:
                return None
            hits = [Hit(pid, 0.0, 0.0, True) for pid in fuzzy]
        best = self.by_id[hits[0].project_id]
        runners = [self.by_id[h.project_id] for h in hits[1:] if h.score >= CLOSE * hits[0].score]
        return best, runners[:MAX_CANDIDATES]

    def _titled_first(self, hits: list[Hit], search: str) -> list[Hit]:
        """The hits, with a close runner-up whose name holds two or more of the question's words put first
        when the best's name holds none, or all of them when the best's holds fewer (「多様な方法での資料提供」:
        多様な方法による資料の提供 names all three, 来館困難な利用者への資料提供 two)."""
        words = list(dict.fromkeys(fold(u) for w in content_words(search) for u in units(w) if len(u) >= 2))
        if len(hits) < 2 or len(words) < 2:
            return hits

        def named(h: Hit) -> int:
            return sum(1 for w in words if w in self.title_folded[h.project_id])

        best = named(hits[0])
        for h in hits[1:]:
            if h.score >= TITLED_CLOSE * hits[0].score and (
                (named(h) >= 2 and not best) or named(h) == len(words) > best
            ):
                return [h, *(x for x in hits if x is not h)]
        return hits

    def _outweighs(self, first: str, holders: list[str], others: list[str]) -> bool:
        """True when the first hit holds another of the search's words that none of a phrase's holders do."""

        def says(pid: str, w: str) -> bool:  # in the sheet's words or staff vocabulary (赤ちゃん → 乳児)
            return covered(w, self.folded[pid], self.searcher.bag[pid])

        return any(says(first, w) and not any(says(h, w) for h in holders) for w in others if len(fold(w)) >= 2)

    def _most_covered(self, hits: list[Hit], search: str) -> list[Hit]:
        """The hits, with a close one whose sheet holds more of the question's words than the first's put
        first (「幼稚園・小中学校の園歌校歌の音源公開」: one sheet holds them all, the 幼稚園 project two)."""
        words = content_words(search)
        if len(hits) < 2 or len(words) < 3:
            return hits

        def held(h: Hit) -> int:
            return sum(covered(w, self.folded[h.project_id], self.searcher.bag[h.project_id]) for w in words)

        first = held(hits[0])
        better = [
            h for h in hits[1 : MAX_CANDIDATES + 2] if h.score >= TITLED_CLOSE * hits[0].score and held(h) > first
        ]
        return [better[0], *(h for h in hits if h is not better[0])] if better else hits

    def _as_said_on(self, q: Question) -> list[str]:
        """A verbal noun with the form of する after it, as a sheet says it word for word (「来館しなくても」 of
        「来館しなくても利用できるサービス」): the longest such run, two kana or more past the word."""
        out = []
        for t in q.terms:
            if t.text not in q.search or t.end > len(q.plain) or not (t.words and t.words[-1].verbal):
                continue
            tail = re.match(r"[しさせす][ぁ-ゖー]{1,7}", q.plain[t.end :])
            for k in range(len(tail.group(0)) if tail else 0, 1, -1):
                phrase = q.plain[t.start : t.end + k]
                if self.holds(fold(phrase)):
                    out.append(phrase)
                    break
        return out

    def _by_phrase(self, hits: list[Hit], search: str, pool: set[str] | None, written: list[str]) -> list[Hit]:
        """Put first the projects whose sheet holds the question's words verbatim (「さわる絵本」).

        A word of a project's name can outrank the exact phrase in another's sheet; the phrase is the
        better evidence when it singles out a few projects.
        """
        # The noun phrases as written (「英語のおはなし会」) first, then the search's words.
        phrases = [*sorted(written, key=len, reverse=True)]
        words = [w for w in dict.fromkeys(search.split()) if w not in phrases]
        phrases += sorted(words, key=len, reverse=True)  # longest first, then as asked (the same every run)
        for phrase in phrases:
            key = fold(phrase)
            if len(key) < 3 or (len(key) < 4 and re.fullmatch(r"[ぁ-ゖー]+", key)):
                continue  # a short kana word is in too many sentences to single anything out
            holders = [pid for pid, text in self.folded.items() if key in text and (pool is None or pid in pool)]
            if not holders or len(holders) > MAX_CANDIDATES:
                continue
            if hits and hits[0].project_id in holders:
                return hits
            if hits and self._outweighs(hits[0].project_id, holders, [w for w in search.split() if w != phrase]):
                continue  # 「親子 イベント」: 親子 names the first one; イベント in another's sheet does not beat it
            top = hits[0].score if hits else 1.0
            held = [h for h in hits if h.project_id in holders]
            held_ids = {h.project_id for h in held}
            added = [Hit(pid, top, 1.0, True) for pid in holders if pid not in held_ids]
            return held + added + [h for h in hits if h.project_id not in holders]
        return hits

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
