"""Answers about several projects: ids, topics, a conversation's scope, lists, counts,
indicators across projects, briefs.

A part of `KnowledgeBase` (knowledge/answer.py): the methods read the knowledge base's report,
search and passages through `self`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from knowledge import compose, figures, lists, structure
from knowledge.answer_parts import INDICATOR_PARTS, MAX_TOPICS, TOPIC_SPLIT, figure_part, titles_of
from knowledge.brief import MAX_COLUMN_PROJECTS, Audience, Focus, Length, goals_brief
from knowledge.brief_request import BriefRequest, read_brief_request
from knowledge.evidence import content_words, fold, uncovered
from knowledge.facts import SHEET_COLUMNS
from knowledge.figures import IndicatorStatus
from knowledge.highlights import indicator_news
from knowledge.model import Project
from knowledge.questions import Ask, Level, Part, Question
from knowledge.text import fy_label
from knowledge.words import TOPICAL

if TYPE_CHECKING:
    from knowledge.answer import Answer


class ManyAnswers:
    """Answers about several projects: lists, counts, indicators across projects, briefs."""

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

    def answer_in_scope(self, q: Question) -> Answer:
        """A follow-up about what was just listed (「そのうちa評価は？」「その中で目標を下回っている指標は？」)."""
        projects = [self.by_id[pid] for pid in q.scope]
        if q.has_filter or "count" in q.asks:
            return self.answer_list(q)
        if q.rank or q.threshold or q.direction or "compare" in q.asks or q.parts & INDICATOR_PARTS or q.fy:
            return self.answer_indicators(q, [p for p in projects if p.indicators] or projects)
        if q.parts or q.asks:
            return self._each(q, projects[:MAX_TOPICS], [""] * min(len(projects), MAX_TOPICS))
        title = "・".join(p.name for p in projects)
        return self.reply(
            q, "list", projects=projects, title=title, direct=compose.project_list("話題の事業", projects)
        )

    def answer_topics(self, q: Question) -> Answer | None:
        """Two or three topics in one question (「電子書籍とブックスタートの進捗」), each answered."""
        if not q.search:
            return None
        parts = [s.strip() for s in TOPIC_SPLIT.split(q.search) if s.strip()]
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
        # One project that holds every part's words is one topic (「郷土歴史館と歴史の展示」) — unless another
        # part names its own project (「ブックスタートと絵本定期便と幼稚園の定期便」: each is a project's name).
        titled = [  # a name, not a bare verbal noun (「郷土歴史館と連携してる」: 連携 names nothing)
            len(fold(part)) >= 4
            and not uncovered(content_words(part), fold(" ".join(titles_of(p))), self.title_bag[p.id])
            for part, p in zip(parts, found, strict=True)
        ]
        for k, p in enumerate(found):
            others_named = any(t for i, t in enumerate(titled) if i != k)
            if not others_named and not uncovered(content_words(q.search), self.folded[p.id], self.searcher.bag[p.id]):
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
        else:  # 「重点事業の令和8年度の目標値」: each indicator's figure of the part asked (target, actual, rate)
            part = figure_part(q, [s.indicator for s in statuses])
            direct = " ".join(compose.indicator_sentence(s, part) for s in statuses[: compose.MAX_LISTED])
        owners = list(dict.fromkeys(s.project.id for s in statuses))
        if q.count_of == "projects" and q.parts & {"below", "above"} and not (q.rank or q.threshold):
            # 「目標を下回った事業はいくつ？」: the projects that hold such an indicator, counted first
            names = "、".join(compose.project_title(self.by_id[i]) for i in owners)
            direct = f"{year}に{title}のある事業は{len(owners)}事業です（{names}）。" + direct
        return self.reply(
            q, "indicator", projects=[self.by_id[i] for i in owners], indicators=statuses, title=title, direct=direct
        )

    def _statuses_in(self, projects: list[Project], fy: int) -> list[IndicatorStatus]:
        """Every indicator of the projects in one year (those without that year left out)."""
        return [s for p in projects for i in p.indicators if (s := figures.status(p, i, fy))]

    def answer_list(self, q: Question) -> Answer:
        projects = lists.filtered(self.report, q)
        columns = q.parts & set(SHEET_COLUMNS)
        if columns and 1 < len(projects) <= MAX_COLUMN_PROJECTS and "count" not in q.asks:
            # 「新規事業の今後の取組は？」: the column asked, for each project of the list
            return self._each(
                replace(q, key=False, new=False, grades=[], goals=[], policy=None), projects, [""] * len(projects)
            )
        if q.scope and len(projects) == 1 and "count" not in q.asks:
            # 「そのうちb評価のやつだけ詳しく」: a follow-up that narrows the list to one project is about it.
            return self.answer_project(replace(q, grades=[], key=False, new=False, scope=[]), projects[0], [])
        title = lists.title(q, len(self.report.projects))
        note = "" if projects else f"{title}はありません。"
        direct = compose.project_list(title, projects)
        # 「基本目標2って施策いくつで事業はいくつ？」「基本目標3ってざっくり何の話？」: the goal itself first
        goal_only = q.goals and not (q.grades or q.key or q.new or q.policy or q.sheet or q.scope)
        told = " ".join(structure.goal(self.report, g) for g in q.goals) + " " if goal_only else ""
        if "count" in q.asks:
            direct = lists.count(self.report, q, title, projects)
        if Ask.PER in q.asks and not q.goals and q.count_of == "policies":  # 「施策はいくつ？基本目標ごとにも」
            policies = self.report.policies
            per = "、".join(
                f"基本目標{g.number} {sum(1 for p in policies if p.goal == g.number)}施策" for g in self.report.goals
            )
            direct = f"施策は{len(policies)}で、基本目標ごとには {per} です。"
        elif Ask.PER in q.asks and not q.goals and ("count" in q.asks or Level.GOAL in q.levels):
            per = "、".join(
                f"基本目標{g.number} {sum(1 for p in projects if p.goal == g.number)}事業" for g in self.report.goals
            )
            direct = f"基本目標ごとの事業数は {per} で、合わせて{len(projects)}事業です。"
        if len(q.grades) > 1 and not q.scope:  # 「a/b/cの内訳」: how many of each
            per = "、".join(f"{g} {sum(1 for p in projects if p.grade == g)}事業" for g in q.grades)
            direct = f"進捗状況別の事業数は {per} です（{self.report.as_of}時点）。" + direct
            if "count" in q.asks and (q.summary or q.all_projects or q.names_plan):
                # 「計画全体の事業数と、a/b/cの内訳」: the plan's count first
                direct = f"計画に掲載している事業は{len(self.report.projects)}事業です。" + direct
        # A short list, or a list whose status is asked (「施策3-(1)の事業、それぞれどうなってる？」):
        # what each one did this year.
        shown = MAX_COLUMN_PROJECTS if Ask.STATUS in q.asks or q.policy else 3
        if projects and len(projects) <= shown and "count" not in q.asks:
            if len(projects) == 1 and q.asks & {Ask.REASON, Ask.DESCRIBE}:
                # 「bがついてる事業ってある？なんでbなの」: the one project found, and what is asked of it
                one = self.answer_project(replace(q, key=False, new=False, scope=[]), projects[0], [])
                direct += f" {self._news(projects[0])} {one.direct}"
            else:
                direct += "".join(f" {n}" for n in (self._news(p) for p in projects) if n)
        if "count" in q.asks and not q.has_filter and not q.scope:
            projects, title = [], "計画に掲載している事業数"  # 「全部でいくつ？」: a number about the plan
        return self.reply(q, "list", projects=projects, title=title, note=note, direct=told + direct)

    def answer_brief(self, q: Question, topic: Project | None, per_goal: bool = False) -> Answer | None:
        """A brief, highlights or concerns, for the scope the question names (or its topic); per_goal:
        one line for each basic goal."""
        if set(q.grades) >= {"a", "b", "c"} and (q.summary or q.all_projects or q.names_plan):
            q = replace(q, grades=[])  # 「計画全体の進捗を、進捗区分の内訳もわかるように」: the plan, counted
        # The topic found, else the part of the plan the question names (「基本目標3の進み具合」).
        filtered = [p.id for p in lists.filtered(self.report, q)] if q.has_filter and not topic else []
        if q.has_filter and not topic and not filtered:  # 「c評価の事業の状況を答弁用に」: there are none
            title = lists.title(q, len(self.report.projects))
            return self.reply(q, "list", title=title, direct=f"{title}はありません（{self.report.as_of}時点）。")
        default = [topic.id] if topic else filtered or list(q.scope) or None  # a follow-up's: what was shown
        # Which projects the request names is the router's reading of it (its asking clause, a policy named
        # by its title), not a second reading of the raw text.
        request = read_brief_request(q.raw, self.report, named=self._named_ids(q))
        if request is None:  # the lexicon asked for a brief in words the brief reader does not know
            request = BriefRequest(None, Length.LINES, None, Audience.GENERAL, Focus.ALL, ())
        if q.policy and request.scope is not None and request.scope.kind == "goal":
            request = replace(request, scope=None)  # 「基本目標4の「…の推進」」: the policy named within the goal
        if q.scope and request.scope is not None and request.scope.kind == "all":
            request = replace(request, scope=None)  # the projects the router chose, not the whole plan
        grouped = request.scope is not None and request.scope.kind in ("key", "new")
        if topic and grouped and len(request.scope.ids) > 1 and topic.id in request.scope.ids:
            request = replace(request, scope=None)  # 「電子書籍の重点事業を3行で」: the one of the group named
        # The columns a brief leads with; 評価 asked of a brief is the grade (「評価つきで」), not a column.
        columns = tuple(k for k in SHEET_COLUMNS if k in q.parts and k != Part.EVALUATION)
        if request.focus in (Focus.ALL, Focus.NEW) and Part.ISSUES in q.parts:
            request = replace(request, focus=Focus.CONCERNS)  # 「新しく始めた事業の課題は？」: the problems
        if request.focus is Focus.ALL:
            # What the reading found says which news is wanted: 「伸びたもの」 the good, 「課題」 the bad.
            # 「課題が多い」「計画どおりにいかなかった」: problems, however many
            if q.direction == "down" or q.parts & {Part.ISSUES, Part.BELOW}:
                request = replace(request, focus=Focus.CONCERNS)
            elif q.direction == "up":
                request = replace(request, focus=Focus.GROWTH)
        if per_goal:
            b = goals_brief(self.report, request.audience, request.focus)
        else:
            # The words asked by: the topic's, and the question's other nouns (「導入したサービス」).
            asked_by = dict.fromkeys([*content_words(q.search), *(w.surface for w in q.words if w.pos in TOPICAL)])
            b = request.build(self.report, default, columns, tuple(asked_by))
        # A part of the plan: its projects; the whole plan: the projects its lines speak of.
        ids = b.project_ids if b.scope.kind == "all" else b.scope.ids
        projects = [self.by_id[i] for i in ids if i in self.by_id]
        direct = b.text()
        told = columns and len(b.scope.ids) == 1  # one sheet's column, in its words: nothing to count
        if b.focus in (Focus.CONCERNS, Focus.HIGHLIGHTS) and not told:  # the count first, from the figures
            news = indicator_news(self.report, list(b.scope.ids))  # over the part asked, not the lines shown
            if b.focus is Focus.CONCERNS and news.below:
                direct = f"目標を下回っている指標は{len(news.below)}件です。\n" + direct
            elif b.focus is Focus.HIGHLIGHTS and news.above:
                direct = f"目標を上回っている指標は{len(news.above)}件です。\n" + direct
        return self.reply(q, "summary", projects=projects, title=b.title, direct=direct, brief=b)

    def _resolve(self, text: str) -> list[str]:
        """The projects a text names, as the router reads it."""
        q = self.read(text)
        self._plan_names(q)
        return self._named_ids(q)

    def _named_ids(self, q: Question) -> list[str]:
        """The projects a reading names: its ids, the part of the plan its filters select, or for each
        topic ("AとB") the project found."""
        ids = [i for i in q.project_ids if i in self.by_id]
        if not ids and q.has_filter:  # 「基本目標1」「施策2-(2)」「重点」: the projects of that part
            return [p.id for p in lists.filtered(self.report, q)]
        if not content_words(q.search):
            return ids  # 「図書館計画の進み具合」: the plan as a whole
        for part in [s for s in TOPIC_SPLIT.split(q.search) if content_words(s)] or [q.search]:
            found = self.find(replace(q, search=part), self.searcher.search(part))  # 「AとB」: each
            ids += [found[0].id] if found and found[0].id not in ids else []
        return ids
