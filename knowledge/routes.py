"""Routing: one ordered table of named checks, each sending a reading to the step that answers it.

The first route whose check holds and whose step gives an answer wins; `planbot ask --explain` prints
its name and why. A step may decline (return None) and leave the question to the routes after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from knowledge import compose, grammar, lexicon, lists, structure
from knowledge.answer_parts import INDICATOR_PARTS
from knowledge.brief import Audience, Focus, Length
from knowledge.brief_request import read_brief_request
from knowledge.evidence import content_words, covered, forms, uncovered
from knowledge.glossary import explain
from knowledge.questions import Ask, Level, Part, Question, expand_synonyms

if TYPE_CHECKING:
    from knowledge.answer import Answer, KnowledgeBase
    from knowledge.model import Project
    from knowledge.search import Hit

_GRADE_WORDS = re.compile(
    r"進捗|評価|区分|ランク|(?<![ァ-ヶ)\d])[－―-](?![ァ-ヶ\d(①-⑳])"
)  # a question about the grades' meaning (a dash alone is the grade 「－」, not one inside an id 2-(1)-⑧)
BRIEF_WORDS = {"まとめ", "要約", "概要", "サマリ", "サマリー", "振り返り", "ざっくり", "かいつまんで", "説明用", "資料用",
               "短く", "手短に", "簡潔に", "要点", "紹介して", "紹介文", "整理して", "整理を", "総括", "記事"}  # fmt: skip
AGGREGATE_PARTS = {Part.BELOW, Part.ABOVE, Part.ACHIEVEMENT}
TERM_SHARE = 0.5  # a term in more than this share of the projects is too common to list them by


class Lookup:
    """One question being routed: its reading and what searching it finds, each computed once."""

    def __init__(self, kb: KnowledgeBase, q: Question):
        self.kb = kb
        self.q = q

    @cached_property
    def hits(self) -> list[Hit]:
        q = self.q
        return self.kb.searcher.search(q.search) if q.search else []

    @cached_property
    def found(self) -> tuple[Project, list[Project]] | None:
        """The project the question is about and close runners-up (a name typed in kana tried too)."""
        found = self.kb.find(self.q, self.hits)
        if found is None and self.q.kana:  # 「でんししょせきの貸出件数」: the kana name with the other words
            kana = replace(self.q, search=f"{self.q.kana} {self.q.search}".strip())
            found = self.kb.find(kana, self.kb.searcher.search(kana.search))
            if found:
                self.q = kana
        return found

    @cached_property
    def brief_request(self):
        """What the question asks of a brief (its scope, length, audience), or None for no brief."""
        return read_brief_request(self.q.raw, self.kb.report)

    @cached_property
    def glossary_terms(self) -> list:
        """The plan's terms the question asks the meaning of (重点, 進捗区分, 成果指標…)."""
        return explain(self.kb.report, self.q.raw)

    @property
    def wants_brief(self) -> bool:
        """A brief, unless the request is only 「全体のまとめ」 with no length, audience or news asked:
        that is the plan's summary card."""
        r, q = self.brief_request, self.q
        if self.kb.absent_in(q, content_words(q.search)):
            return False  # 「予算額を答弁用に」: the report lacks what is asked; say so, not a brief
        if r is not None and self.topical and self.found is not None and not q.has_filter:
            # 「外国語資料の事業、R7で新しく始めたことってある？」: the news of one project asked, in no shape and
            # for no one, is a question about it, not a brief
            plain_news = r.focus is Focus.NEW and r.lines is None and r.style is Length.LINES
            if plain_news and r.audience is Audience.GENERAL and self.names_one:
                return False
        exact = (
            q.unit
            or q.rank
            or q.threshold
            or q.asks & {Ask.WHEN, Ask.LANGUAGE, Ask.FREQUENCY}
            # 「減った理由を一言で」: the reason of the one project in hand
            or (Ask.REASON in q.asks and (len(q.project_ids) == 1 or (self.topical and self.found is not None)))
            or self.names_measure  # 「利用意向率、数字だけ」: that one figure
            or (Part.TREND in q.parts and self.topical)  # 「直近3年の実績値を」: each year's figures of it
            or (q.fy_base is not None and q.fy is not None and self.topical)  # 「R6とR7でそれぞれ」: each year's
        )
        if (q.brief and not exact) or self.asks_plan_news:
            return True  # but 「答弁案に入れたい。利用意向率って何％？」 asks one figure, in its unit
        if self.part_status:
            return True
        if r is None:
            return False
        # A question that asks for something specific (figures, a part, a rank) is answered as asked,
        # however it is phrased; an audience alone (報告, 部長) asks for no brief.
        # 実績/数字 are what every brief holds; asking for them with a shape (数字だけ) is still a brief.
        specific = (
            q.parts - {Part.ACTUAL}
            or q.asks - {Ask.STATUS}
            or q.rank
            or q.unit
            or q.threshold
            or q.direction
            or q.yesno
            or exact
            or (q.fy is not None and q.fy != self.kb.report.as_of_fy)  # another year's figures, as asked
        )
        shaped = r.style is not Length.LINES or r.lines is not None or r.focus is not Focus.ALL
        # A summary word, or the progress asked for someone (「委員会向けに状況を」), asks for a brief.
        for_someone = r.audience is not Audience.GENERAL and not specific and (Ask.STATUS in q.asks or self.topical)
        summary = any(c in BRIEF_WORDS for c in r.cues) or for_someone
        if specific or not (shaped or summary):
            return False
        if self.kb.absent_in(q, content_words(q.search)):
            return False  # 「予算額を答弁用に」: the report lacks what is asked; say so, not a brief
        plain = not shaped and r.audience is Audience.GENERAL
        return not (plain and (r.scope is None or r.scope.kind == "all"))

    @property
    def beyond_terms(self) -> bool:
        """True when the question names a topic beyond the plan's terms it asks about (「進捗区分がついて
        ないのはなんで？」 names only the term: its 区分 is the term's own word)."""
        names = " ".join(t.name for t in self.glossary_terms)
        return self.topical and not all(w in names for w in content_words(self.q.search))

    @property
    def what_it_is(self) -> bool:
        """「パスファインダーってどういうもの？」: one word, described and nothing else asked of it."""
        q = self.q
        return q.asks == {Ask.DESCRIBE} and not q.parts and len(content_words(q.search)) == 1

    @property
    def names_measure(self) -> bool:
        """True when the question names a measured quantity the report states of one project in its words
        (「利用意向率」): one figure is asked, whatever the shape of the request."""
        words = [  # 満足度, 利用意向率; not 程度 or 年度, which only end like one
            w
            for w in content_words(self.q.search)
            if len(w) >= 3 and w.endswith(lexicon.measure_suffixes()) and not w.endswith("年度")
        ]
        return any(sum(self.kb.fold(w) in text for text in self.kb.folded.values()) == 1 for w in words)

    @property
    def asks_of_missing(self) -> bool:
        """A word the report lacks is what is asked when は/が/って/を marks it (「重点事業の予算は？」), not when
        it only says how or why (「重点事業のなかで、リスクの洗い出しをしたい」 asks for the key projects')."""
        q = self.q
        absent = self.kb.absent_in(q, content_words(q.search))
        return any(grammar.marked(t, q.words) for t in q.terms if any(a in t.text for a in absent))

    @property
    def part_status(self) -> bool:
        """「基本目標3の進み具合は？」: the progress of a goal or a policy is its brief (its counts, its key
        project's figures, its news), unless something specific is asked of it."""
        q = self.q
        # 「基本目標1の課題は？」「施策2-(2)の今年度の実績」: a column of its sheets asked of a part is its
        # brief of that column (its problems, its year, its next steps), not its place in the plan.
        columns = q.parts & PART_COLUMNS
        return (
            bool(q.goals or q.policy)
            and (Ask.STATUS in q.asks or bool(columns))
            and not (q.project_ids or q.parts - columns or q.asks - {Ask.STATUS, Ask.DESCRIBE} or q.grades)
            and not (q.key or q.new or Level.INDICATOR in q.levels)
            and not (q.rank or q.threshold or q.direction or q.unit or self.topical)
        )

    @property
    def asks_plan_news(self) -> bool:
        """「課題のある事業はどれ？」「伸びたものを一覧で」: the plan's problems or its growth, asked of no
        topic and no indicator — the concerns (or growth) brief, which tells the indicators and the sheets'
        sentences (a delay, a number that doubled) together. What fell (「減ったものは？」) is the indicators'
        to say: only figures fall."""
        q = self.q
        listed = Ask.WHICH in q.asks or Level.PROJECT in q.levels or q.all_projects or self.brief_request is not None
        # 「課題のある事業は？」「計画全体の今後の取組は？」: a column of the sheets asked across the plan
        issues = bool(q.parts & {Part.ISSUES, Part.NEXT_STEPS}) and (listed or q.names_plan or q.summary)
        moved = q.direction == "up" and not q.parts - {Part.ACTUAL}
        # 「計画どおりにいかなかった事業を全部」: the projects behind, figures and the sheets' delays alike
        behind = Part.BELOW in q.parts and Level.PROJECT in q.levels and Ask.COUNT not in q.asks
        return (
            (issues or moved or behind)
            and not self.topical
            and not q.project_ids
            and not (q.rank or q.threshold or q.unit or Level.INDICATOR in q.levels)
            and not (q.fy is not None and q.fy < self.kb.report.as_of_fy)  # an earlier year's: its figures
        )

    @property
    def per_goal(self) -> bool:
        """「基本目標ごとに主な実績を」: a brief of each goal, asked for as a summary."""
        q = self.q
        summary = q.summary or q.brief or self.brief_request is not None
        return Level.GOAL in q.levels and Ask.PER in q.asks and not q.goals and summary and Ask.COUNT not in q.asks

    @cached_property
    def topical(self) -> bool:
        """The question names something beyond the report's generic words (図書館, 事業, 報告…)."""
        return bool(content_words(self.q.search))

    @property
    def aggregate(self) -> bool:
        """Asks for something computed across indicators: a rank, threshold, change or target check."""
        q = self.q
        return bool(q.rank or q.threshold or q.direction or q.parts & AGGREGATE_PARTS)

    @cached_property
    def term(self) -> tuple[str, list[Project]] | None:
        """A term of the question that several projects' sheets use verbatim (三田図書館, 大使館)."""
        kb = self.kb
        words = sorted(content_words(self.q.search), key=len, reverse=True)
        if not words:
            return None
        word = words[0]  # the most specific word decides: one holder means that one project
        # as the report writes it (「赤坂館」 → 赤坂図書館): the first of its forms the report holds
        folded = next((f for f in forms(word) if f in kb.report_folded), kb.fold(word))
        word = next((w for w in expand_synonyms(word) if kb.fold(w) == folded), word)
        holders = [p for p in kb.report.projects if folded in kb.folded[p.id] and p.id not in self.q.exclude]
        holders.sort(key=lambda p: (folded not in kb.fold(p.name), -kb.folded[p.id].count(folded)))
        least = 1 if self.q.exclude else 2
        others = [w for w in words if w != word]
        narrowed = [
            p for p in holders if others and all(covered(w, kb.folded[p.id], kb.searcher.bag[p.id]) for w in others)
        ]
        if len(narrowed) == 1 and not self.q.exclude:
            return None  # 「改修、蔵書の事業のほうでも触れてた？」: the other word names one of them
        if least <= len(holders) <= TERM_SHARE * len(kb.report.projects):
            return word, holders
        return None

    @property
    def names_branch(self) -> bool:
        """「赤坂館でR7にやったこと」: a branch library is named alone, which several sheets speak of and no
        project is named after: what the sheets say of it, not one project."""
        words = [w for w in self.q.search.split() if content_words(w)]  # as written: 赤坂図書館, not 赤坂
        if len(words) != 1:
            return False
        held = [f for f in forms(words[0]) if f.endswith("館") and f in self.kb.report_folded]
        return bool(held) and not any(held[0] in name for name in self.kb.folded_names()[1])

    @property
    def names_departments(self) -> bool:
        """Every word of the question is a department's name (「図書文化財課以外が担当…」)."""
        names = {self.kb.fold(p.department) for p in self.kb.report.projects}
        words = content_words(self.q.search)
        return bool(words) and all(any(self.kb.fold(w) in n for n in names) for w in words)

    @property
    def names_group(self) -> bool:
        """「ボランティア関係の事業」「子ども向けまわりの取組」: a word and 関係/関連/系… names every project about it."""
        return len(content_words(self.q.search)) == 1 and bool(_GROUP.search(self.q.plain or self.q.raw))

    @property
    def names_one(self) -> bool:
        """The question's words are all in one project's name: it is about that project, not a term."""
        if self.found is None:
            return False
        best = self.found[0]
        name = self.kb.fold(" ".join([best.name, *best.aliases]))
        words = content_words(self.q.search)
        return bool(words) and all(self.kb.fold(w) in name for w in words)


# After a word, what makes it a group of projects: 「ボランティア関係の事業」 is every project about volunteers.
_GROUP = re.compile(r"(?:関係|関連|系|まわり|周り|絡み|がらみ)(?:の|する|している)?(?:事業|取組|取り組み)")

# What the key projects' indicator rows hold: 「重点事業の令和8年度の目標値」 asks for those figures.
FIGURE_PARTS = frozenset({Part.ACTUAL, Part.PLAN, Part.ACHIEVEMENT})

# The columns of the sheets a part of the plan is asked for as its brief.
PART_COLUMNS = frozenset({Part.ISSUES, Part.NEXT_STEPS, Part.ACTUAL})


@dataclass(frozen=True)
class Route:
    """A named check and the step that answers what it selects."""

    name: str
    why: str
    applies: Callable[[Lookup], bool]
    answer: Callable[[Lookup], Answer | None]


def _one_project(lk: Lookup) -> Answer | None:
    """Answer about the project found, unless the question's focus is something the report lacks."""
    kb, (best, runners) = lk.kb, lk.found
    q = lk.q
    gap = uncovered(content_words(q.search), kb.folded[best.id], kb.searcher.bag[best.id])
    absent = kb.absent_in(q, gap)
    if absent:
        return kb.answer_lacking(q, absent, [best, *runners])
    if q.asks & {Ask.WHERE, Ask.WHEN} and not kb.spans_answer(q, best):
        # 「展示棚、どこの館に置いた？」: a close runner-up whose sheet says where, when the best's does not
        better = next((r for r in runners if kb.spans_answer(q, r)), None)
        if better is not None:
            best, runners = better, [best, *(r for r in runners if r is not better)]
    return kb.answer_project(q, best, runners)


def _gloss(lk: Lookup) -> Answer | None:
    glossed = lk.kb.glossed(content_words(lk.q.search))
    if glossed is None:
        return None
    p, quote = glossed
    # 「…って何？どの事業に出てくる？」: every sheet that uses the word, the glossing one first
    keys = [lk.kb.fold(w) for w in content_words(lk.q.search)]
    others = [x for x in lk.kb.report.projects if x is not p and any(k in lk.kb.folded[x.id] for k in keys)]
    return lk.kb.reply(lk.q, "project", projects=[p, *others[:4]], direct=quote)


def _glossary(lk: Lookup) -> Answer | None:
    kb, q = lk.kb, lk.q
    if lk.topical and lk.found is not None and lk.found[0].grade and Ask.STATUS in q.asks and not q.grades:
        # 「Xの進捗評価は？どういう意味かも」: that project's grade, which its status gives with its meaning.
        return None
    terms = lk.glossary_terms
    # 「事業の評価ってどういう意味？」 asks the grades; 「EBSCOって何？どの事業で？」 asks about its word
    generic = lk.q.levels & {Level.PROJECT} and not (lk.topical and lk.found is not None) and not q.project_ids
    if not terms and (q.grades or generic or _GRADE_WORDS.search(q.raw)):
        terms = explain(kb.report, "進捗区分")
    elif re.search(r"「\s*[－―-]\s*」", q.raw) and not any(t.key == "grades" for t in terms):
        terms = [*explain(kb.report, "進捗区分"), *terms]  # 「別紙2の評価欄に「－」がつくのは？」: the grade first
    if not terms:
        return None
    # 「新規事業って何？」「別紙2にはどの事業が載ってる？」: what it means, and which they are
    projects = kb.filtered(q) if (q.key or q.new or (q.sheet and Ask.WHICH in q.asks)) else []
    if not projects and lk.topical and lk.found is not None:  # 「蔵書の事業のbってどういう意味？」: and that one
        projects = [lk.found[0]]
    if len(q.grades) >= 3 or "－" in q.raw or "-" in q.raw.replace("‐", "-"):
        q.grades = []  # 「a/b/c/－」: the whole legend
    if q.grades:  # 「aってどういう意味？」: that grade's definition first
        said = "、".join(f"進捗 {g} は「{kb.grades.get(g, '')}」" for g in q.grades if g in kb.grades)
        lead = f"{said}という意味です（{kb.report.as_of}時点の進捗区分）。"
    elif any(t.key == "grades" for t in terms):  # the legend: every grade, in the report's words
        lead = "進捗区分は " + "、".join(f"{g}「{m}」" for g, m in kb.grades.items()) + " です。"
    else:
        lead = " ".join(" ".join(t.lines[: 3 if len(terms) == 1 else 2]) for t in terms[:2])
    if Ask.REASON in q.asks and not any(t.key == "sheets" for t in terms):
        # 「なんで全部の事業に区分がないの？」「別紙2と参考資料は何で分かれてる？」: how the report divides them
        lead += " " + " ".join(explain(kb.report, "別紙2と参考資料")[0].lines[:4])
    if projects:  # what it means first, then which projects it names
        lead = lead + " " + compose.project_list(lists.title(q, len(kb.report.projects)), projects)
        return kb.reply(q, "list", projects=projects, direct=lead, title="用語")
    return kb.reply(q, "help", direct=lead, title="用語")


def _brief(lk: Lookup) -> Answer | None:
    q, kb = lk.q, lk.kb
    ids = [i for i in q.project_ids if i in kb.by_id]
    topic = kb.by_id[ids[0]] if ids else (lk.found[0] if lk.topical and lk.found else None)
    grouped = (_lists_projects(q) and lk.names_group) or lk.names_branch
    if not (ids or q.has_filter) and grouped and lk.term is not None:
        # 「ボランティア関係の事業ってどうなってる？」「赤坂図書館で新しく始めたことは？」: a brief of every
        # project whose sheet uses the word
        return kb.answer_brief(replace(q, scope=[p.id for p in lk.term[1]], search=""), None)
    return kb.answer_brief(q, topic)


def _structure(kind: str) -> Callable[[Lookup], Answer | None]:
    def answer(lk: Lookup) -> Answer | None:
        kb, q = lk.kb, lk.q
        report = kb.report
        if kind == "period":  # 「期間、事業数、基本目標の数」: the counts asked with it too
            return kb.reply(q, "summary", direct=structure.period(report) + structure.counts(report, q.counts))
        if kind == "as_of":
            return kb.reply(q, "summary", direct=structure.as_of(report))
        if kind == "goals":
            return kb.reply(q, "summary", direct=structure.goals(report))
        if kind == "goal":
            projects = [p for p in report.projects if p.goal in q.goals]
            direct = " ".join(structure.goal(report, g) for g in q.goals)
            return kb.reply(q, "list", projects=projects, title=f"基本目標{q.goals[0]}の事業", direct=direct)
        if kind == "policies":
            return kb.reply(q, "summary", direct=structure.policies(report, q.goals))
        if kind == "indicators":
            if Level.PROJECT in q.levels:  # 「数値目標がある事業は？」: the projects that have indicators
                owners = [p for p in report.projects if p.indicators]
                title = "指標（取組目標・成果指標）がある事業"
                return kb.reply(q, "list", projects=owners, title=title, direct=compose.project_list(title, owners))
            return kb.reply(q, "summary", indicators=kb.all_statuses(), direct=structure.indicators(report))
        if kind == "departments":
            return kb.reply(q, "summary", direct=structure.departments(report, kb.filtered(q)))
        if kind == "term":
            term, holders = lk.term
            quote = kb.sentence_with(holders[0], term)
            direct = structure.with_term(term, holders) + (f" {quote}" if quote else "")
            return kb.reply(q, "list", projects=holders, title=f"「{term}」が出てくる事業", direct=direct)
        if kind == "listing":
            best = lk.found[0]
            level = next(lvl for lvl in (Level.DEPARTMENT, Level.PAGE, Level.NUMBER, Level.POLICY) if lvl in q.levels)
            direct = (
                structure.policy_of(report, best) if level is Level.POLICY else structure.listing(report, best, level)
            )
            return kb.reply(q, "project", projects=[best], direct=direct)
        raise ValueError(kind)

    return answer


def _listing_level(q: Question) -> bool:
    return bool(q.levels & {Level.DEPARTMENT, Level.PAGE, Level.NUMBER, Level.POLICY})


def _lists_projects(q: Question) -> bool:
    return bool(q.all_projects or Level.PROJECT in q.levels or q.count_of == "projects")


ROUTES: tuple[Route, ...] = (
    Route("help", "asks how to use planbot and names no topic",
          lambda lk: lk.q.help and not (lk.q.project_ids or lk.q.search),
          lambda lk: lk.kb.reply(lk.q, "help")),
    Route("glossary", "asks what a term of the plan means",
          lambda lk: Ask.LEGEND in lk.q.asks
          or (Ask.DESCRIBE in lk.q.asks and bool(lk.glossary_terms) and not lk.topical)
          or (Ask.REASON in lk.q.asks and bool(lk.glossary_terms) and not (lk.beyond_terms or lk.q.has_filter)),
          _glossary),
    Route("brief per goal", "asks for a summary of each basic goal", lambda lk: lk.per_goal,
          lambda lk: lk.kb.answer_brief(lk.q, None, per_goal=True)),
    Route("brief", "asks for a brief, highlights or concerns", lambda lk: lk.wants_brief, _brief),
    Route("project ids", "names projects by number",
          lambda lk: bool(lk.q.project_ids), lambda lk: lk.kb.answer_ids(lk.q)),
    Route("follow-up scope", "a follow-up about what was just listed",
          lambda lk: bool(lk.q.scope) and not lk.topical, lambda lk: lk.kb.answer_in_scope(lk.q)),
    Route("year outside the report", "names a year the report has no figures or text for",
          lambda lk: lk.q.fy is not None and lk.q.fy not in lk.kb.all_years,
          lambda lk: lk.kb.answer_year_missing(lk.q)),
    Route("plan period", "asks how long the plan runs",
          lambda lk: Ask.PERIOD in lk.q.asks
          or (Ask.WHEN in lk.q.asks and (Part.PLAN in lk.q.parts or lk.q.names_plan) and not lk.topical),
          _structure("period")),
    Route("as-of", "asks which point in time the report describes",
          lambda lk: Ask.AS_OF in lk.q.asks and not lk.topical, _structure("as_of")),
    Route("departments", "asks which department is in charge",
          lambda lk: Level.DEPARTMENT in lk.q.levels and (not lk.topical or lk.names_departments), _structure("departments")),
    Route("a project's place in the list", "asks a project's department, page, number or policy",
          lambda lk: _listing_level(lk.q) and bool(lk.q.search) and lk.found is not None and not lk.q.has_filter,
          _structure("listing")),
    Route("goals", "asks about the basic goals as a whole",
          lambda lk: Level.GOAL in lk.q.levels and not lk.q.goals and not lk.topical and Ask.COUNT not in lk.q.asks,
          _structure("goals")),
    Route("policies", "asks for the policies (of a goal)",
          lambda lk: Level.POLICY in lk.q.levels and not lk.q.policy and not lk.topical and Ask.COUNT not in lk.q.asks,
          _structure("policies")),
    Route("a goal", "names a goal and asks what it is (and how many projects it has)",
          lambda lk: bool(lk.q.goals) and not lk.topical and not lk.aggregate
          and not (lk.q.grades or lk.q.key or lk.q.new)
          and (Ask.DESCRIBE in lk.q.asks or (not _lists_projects(lk.q) and Ask.COUNT not in lk.q.asks)),
          _structure("goal")),
    Route("indicators", "asks for the list of indicators",
          lambda lk: Level.INDICATOR in lk.q.levels and not lk.topical and not (lk.q.rank or lk.q.threshold or lk.q.direction
          or lk.q.parts & {Part.BELOW, Part.ABOVE}) and Ask.COUNT not in lk.q.asks and not lk.q.has_filter,
          _structure("indicators")),
    Route("two topics", "names two or three topics", lambda lk: bool(lk.q.search) and not lk.q.exclude, lambda lk: lk.kb.answer_topics(lk.q)),
    Route("a term across projects", "asks which projects mention a term several sheets use",
          lambda lk: (_lists_projects(lk.q) or bool(lk.q.exclude) or lk.names_branch)
          and not (lk.q.unit or lk.q.has_filter)
          and (lk.q.all_projects or Ask.WHICH in lk.q.asks or bool(lk.q.exclude) or not lk.names_one or lk.names_group)
          and not (lk.q.parts - {Part.ACTUAL} or lk.q.asks - {Ask.STATUS, Ask.WHICH, Ask.OTHER, Ask.COUNT})
          and lk.term is not None, _structure("term")),
    Route("others of a part of the plan", "asks for the other projects of a group (ほかに新規の事業は？)",
          lambda lk: bool(lk.q.exclude) and lk.q.has_filter, lambda lk: lk.kb.answer_list(lk.q)),
    Route("related projects", "asks for projects like the ones just shown",
          lambda lk: bool(lk.q.exclude) and not lk.topical, lambda lk: lk.kb.related(lk.q.exclude[0])),
    Route("a word's gloss", "asks what a word of the sheets means, which the report glosses in parentheses",
          lambda lk: lk.topical and not lk.q.grades and (Ask.LEGEND in lk.q.asks or lk.what_it_is), _gloss),
    Route("one project", "the search found one project", lambda lk: lk.found is not None, _one_project),
    Route("what the report lacks", "the question's own words are nowhere in the report",
          lambda lk: lk.topical and bool(lk.kb.absent_in(lk.q, content_words(lk.q.search)))
          and not (lk.q.has_filter and not lk.asks_of_missing),
          lambda lk: lk.kb.answer_not_found(lk.q, lk.hits)),
    Route("counted indicators", "counts indicators above or below target",
          lambda lk: lk.q.count_of in ("indicators", "projects") and not lk.q.has_filter and bool(lk.q.parts & {Part.BELOW, Part.ABOVE} or lk.q.threshold or lk.q.direction),
          lambda lk: lk.kb.answer_indicators(lk.q, lk.kb.report.projects)),
    Route("indicators within a filter", "computes across, or lists, the indicators of the filtered projects",
          lambda lk: lk.q.has_filter
          and (lk.aggregate or (lk.q.key and lk.q.parts & FIGURE_PARTS and not lk.q.asks - {Ask.FINAL})),
          lambda lk: lk.kb.answer_indicators(lk.q, lk.kb.filtered(lk.q))),
    Route("list", "asks for a count or a list of projects",
          lambda lk: Ask.COUNT in lk.q.asks or lk.q.has_filter or (lk.q.all_projects and not lk.aggregate),
          lambda lk: lk.kb.answer_list(lk.q)),
    Route("indicators computed", "a rank, threshold, change or target check across all indicators",
          lambda lk: lk.aggregate or Ask.COMPARE in lk.q.asks or bool(lk.q.parts & INDICATOR_PARTS and lk.q.fy),
          lambda lk: lk.kb.answer_indicators(lk.q, lk.kb.report.projects)),
    Route("summary", "asks for the whole plan", lambda lk: lk.q.summary or bool(lk.q.parts & INDICATOR_PARTS),
          lambda lk: lk.kb.summary(lk.q.raw)),
    Route("help (nothing to look up)", "names nothing the report could hold",
          lambda lk: lk.q.help or not lk.q.search, lambda lk: lk.kb.reply(lk.q, "help")),
    Route("not found", "nothing in the report matches", lambda lk: True, lambda lk: lk.kb.answer_not_found(lk.q, lk.hits)),
)  # fmt: skip


def route(kb: KnowledgeBase, q: Question) -> tuple[Answer, Route]:
    """The answer of the first route that applies and answers, and that route."""
    lk = Lookup(kb, q)
    for r in ROUTES:
        if r.applies(lk):
            answer = r.answer(lk)
            if answer is not None:
                return answer, r
    raise AssertionError("the last route always answers")
