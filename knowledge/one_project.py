"""Answers about one project: its figures (gaps, ratios, peaks), a fact or a part of its sheet, its status.

A part of `KnowledgeBase` (knowledge/answer.py): the methods read the knowledge base's report,
search and passages through `self`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from knowledge import compose, facts, figures, grammar, lexicon, spans
from knowledge.answer_parts import INDICATOR_PARTS, PART_NAMES, SENTENCE_ASKS, figure_part
from knowledge.brief_lines import Audience, Phrasing
from knowledge.evidence import content_words, covered, fold, forms
from knowledge.facts import COLUMN_PARTS, FACT_ASKS, FOLDED_INTO, SPECIFIC_ASKS
from knowledge.highlights import Highlight, highlights, load_cues
from knowledge.model import Indicator, Project
from knowledge.questions import Ask, Level, Question, expand_synonyms
from knowledge.search import query_terms
from knowledge.text import fy_label, parse_number, search_terms
from knowledge.words import units

if TYPE_CHECKING:
    from knowledge.answer import Answer


class ProjectAnswers:
    """Answers about one project: its figures (gaps, ratios, peaks), a fact or a part of its sheet, its status."""

    # -- one project -----------------------------------------------------------------------------
    def answer_project(self, q: Question, p: Project, runners: list[Project]) -> Answer:
        """Answer what was asked about one project: its figures, a fact from its sheet, a part, or its status."""
        ahead = q.fy is not None and q.fy > self.report.as_of_fy and q.parts & {"next_steps", "plan"}
        if q.fy is not None and q.fy > self.report.as_of_fy and not p.indicators and not q.parts:
            # 「来年度は？」 of a sheet with no yearly figures: what it says of the years ahead is its next steps
            q, ahead = replace(q, parts={*q.parts, "next_steps"}), True
        if q.fy is not None and q.fy not in self.years[p.id] and not ahead:  # 来年度の予定: next steps
            held = "・".join(fy_label(y) for y in sorted(self.years[p.id]))
            direct = compose.missing(f"{compose.project_title(p)}の{fy_label(q.fy)}") + f"（記載があるのは{held}です）"
            return self.reply(q, "project", projects=[p], candidates=runners, direct=direct, fy=None)
        if q.yesno and (q.key or q.new) and not q.parts:  # 「それって新規事業？」: the list's flags settle it
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
        novel = self._novel_news(q, p)
        if novel:  # 「今年新しく入れたサービスは何？」: the sheet's sentence that says what started
            return self.reply(q, "project", projects=[p], candidates=runners, direct=novel)
        if p.indicators and "trend" in q.parts and Ask.REASON in q.asks:
            # 「推移を並べて。下がってる理由も」: the years' figures, then the sheet's sentence of why
            figures_said = self._figures(replace(q, asks=q.asks - {Ask.REASON}, direction=""), p, runners)
            why = self.answer_project(replace(q, parts=q.parts - {"trend"}), p, runners)
            figures_said.direct = f"{figures_said.direct} {why.direct}".strip()
            return figures_said
        extra = self._extra_words(q, p)
        # 「何位？」「いくら使った？」: a rank or a sum no figure of the report gives
        never = q.unit in _MEASURE_NAMES and not self._counted_anywhere(q.unit)
        if p.indicators and not never and self._asks_figures(q, p):
            return self._figures(q, p, runners)
        # 「予約件数は？」 of a sheet with no figure counted in 件 near what is asked: the report lacks it
        said = re.split(r"[\sとの]", q.search)  # the words as written: 件数 is generic, 予約件数 is not
        measures = [] if q.unit or p.indicators else [w for w in said if len(w) >= 2 and facts.unit_of(w)]
        # a bare 件数 counts what the other words name (「対面朗読の依頼…件数」)
        unstated = any(
            not self._unit_held(replace(q, unit=facts.unit_of(w)), p, [w] if facts.counted_head(w) != w else extra)
            for w in measures
        )
        if (
            never
            or unstated
            or (q.unit not in ("", "%", "倍") and not self._by_unit(q, p) and not self._unit_held(q, p, extra))
        ):
            measures = measures if unstated else []
            bare = [w for w in measures if facts.counted_head(w) == w]  # 「件数」 named with what it counts
            named = (
                "・".join(f"「{'の'.join([*extra, w])}」" for w in bare)
                if bare and extra
                else self._as_asked(q, measures or extra or content_words(q.search)) or f"「{p.name}」"
            )
            measure = _MEASURE_NAMES.get(q.unit, "数")  # 「何位？」 asks a rank, 「何台？」 a number
            said = named if measures or measure in named else f"{named}の{measure}"
            return self.reply(q, "not_found", candidates=[p], direct=compose.missing(said, compose.project_title(p)))
        if "describe" in q.asks and not extra and not q.parts and q.fy is None and Ask.WHEN not in q.asks:
            # 「どんな事業？」: what it is (but 「いつから始めた事業？」 asks when)
            entries = [e for e in p.entries if e.kind in ("description", "plan") and e.text.strip() not in ("", "-")]
            if entries:
                direct = f"{compose.project_title(p)}は「{entries[0].text}」という事業です。"
                return self.reply(q, "project", projects=[p], candidates=runners, direct=direct)
        two_years = q.fy_base is not None and q.fy is not None  # 「R6とR7でそれぞれ」: each year's sentence
        if (
            not p.indicators
            and (extra or two_years)
            and ("compare" in q.asks or (q.direction and not (q.parts or q.unit)) or two_years)
        ):
            compared = self._compare_sentences(q, p, extra)
            if compared:
                return self.reply(q, "project", projects=[p], candidates=runners, direct=compared)
        if q.asks == {Ask.STATUS} and not q.parts and not q.unit and not q.yesno and extra:
            # 「専門図書館との連携、今年なにか動きあった？」: a word of the project's own plan names its theme,
            # not a fact to look up; how the project is doing is its status.
            theme = " ".join(e.text for e in p.entries if e.kind in ("plan", "description"))
            extra = [w for w in extra if not any(f in fold(theme) for f in forms(w))]
        fact = facts.find(q, self.passages, p.id, extra)
        asked = {k for k in COLUMN_PARTS if k in q.parts} | {FOLDED_INTO.get(k) for k in q.parts}
        if fact and not fact[1] and fact[0].kind in asked:
            fact = None  # 「ブックポストの今後」: the column asked for, quoted whole, is the answer
        if fact:
            passage, span = fact
            direct = facts.yes(q, passage) + compose.fact_sentence(span, passage, p)
            what = "describe" in q.asks or grammar.INTERROGATIVE.search(q.plain[q.asking[0] : q.asking[1]])
            if what and passage.kind == "evaluation":  # 「どんな工夫？」「何か工夫した？」: what was done, too
                done = [e for e in p.entries if e.kind == "actual" and e.fy == passage.fy and e.row == passage.row]
                direct += "".join(f"{e.label}は「{e.text}」です。" for e in done)
            focus = set(q.parts) | {passage.kind}
            return self.reply(q, "project", projects=[p], candidates=runners, direct=direct, focus=focus)
        return self.reply(q, "project", projects=[p], candidates=runners, direct=self._column(q, p))

    def _compare_sentences(self, q: Question, p: Project, extra: list[str]) -> str:
        """A narrative sheet compared across years: what each year's sheet says of the words asked."""
        years = sorted(self.years[p.id])
        to = q.fy if q.fy in years else years[-1]
        if q.fy_base is not None and q.fy_base not in years:  # 「令和5年度と比べて」: a sentence that compares
            label = fy_label(q.fy_base)
            stated = [psg for psg, _ in self.passages.of(p.id) if label in psg.text]
            return compose.quote(stated[0], p) if stated else ""
        base = q.fy_base if q.fy_base in years else to - 1
        if not extra:  # 「R6とR7で何が変わった？」: what each year's sheet says it did
            done = {
                y: [psg for psg, _ in self.passages.of(p.id) if psg.fy == y and psg.kind == "actual"]
                for y in (base, to)
            }
            if not (done[base] and done[to]):
                return ""
            return f"{compose.project_title(p)}の実績: " + " → ".join(
                f"{fy_label(y)}「{' '.join(psg.text for psg in done[y])}」" for y in (base, to)
            )
        plain = replace(q, asks=q.asks - {"compare"}, direction="", yesno=False)
        now, before = (facts.find(plain, self.passages, p.id, extra, year=y) for y in (to, base))
        if not now or not before:
            return ""
        return f"{compose.project_title(p)}: " + " → ".join(
            f"{fy_label(f.fy)}「{f.text}」" for f in (before[0], now[0])
        )

    def _counted_anywhere(self, unit: str) -> bool:
        """True when some figure of the report is counted in this unit (no figure is in 位: 「何位？」 is
        a rank the report never gives)."""
        seen = self.__dict__.setdefault("_units_counted", {})
        if unit not in seen:
            seen[unit] = any(i.unit == unit for p in self.report.projects for i in p.indicators) or any(
                spans.figure_span(psg.text, unit) for p in self.report.projects for psg, _ in self.passages.of(p.id)
            )
        return seen[unit]

    def _unit_held(self, q: Question, p: Project, extra: list[str]) -> bool:
        """True when a sentence of the sheet that holds the asked words gives a figure in the unit asked
        (「何席？」 is unanswerable where no sentence counts seats)."""
        sheet = self.folded[p.id]
        extra = [facts.counted_head(w) for w in extra]  # 「増設台数」 is spoken of where 増設 is
        spoken = any(f in sheet for w in extra for f in forms(w)) or any(
            all(fold(u) in sheet for u in units(w) if len(u) >= 2) for w in extra
        )  # 「ボランティア養成講座」: its words all said, though not as one compound
        if extra and not spoken:
            return False  # the sheet does not even speak of what is counted
        return any(spans.figure_span(psg.text, q.unit) for psg, _ in self.passages.of(p.id))

    def _asks_figures(self, q: Question, p: Project) -> bool:
        if q.asks & {Ask.GAP, Ask.RATIO} or (Ask.FINAL in q.asks and q.parts & INDICATOR_PARTS):
            return True  # a difference or ratio is computed from the figures
        if q.rank and "when" in q.asks and self._indicators_asked(q, p):
            return True  # 「応募作品数が一番多かったのはいつ？」: the year is read from the figures
        if q.parts - INDICATOR_PARTS or q.asks & SENTENCE_ASKS:
            return False  # 今後の取組, 課題, なぜ, いつ…: a sentence of the sheet, not figures
        # Spelled out, it names figures (「電子書籍貸出数」); through vocabulary (「蔵書」) it may name the project,
        # unless the vocabulary word is all the question names (「蔵書の満足度どんな感じ？」: that indicator).
        if self._named_indicators(q.search, p, vocabulary=False) or self._by_unit(q, p):
            return True
        # A word that names a quantity (満足度, 貸出数) asks for that figure even in a status question.
        measured = any(w.endswith(lexicon.measure_suffixes()) for w in content_words(q.search))
        if measured and not self._extra_words(q, p) and not q.asks - {"status"}:
            return bool(self._named_by_vocabulary(q.search, p, q.phrases))
        if q.indicator_ids and (q.parts & INDICATOR_PARTS or q.fy or q.unit or "amount" in q.asks):
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
        two_years = q.fy_base is not None and fy is not None and q.fy_base != fy and not q.parts - {"actual"}
        if q.direction or "compare" in q.asks or two_years:  # 「今年度と前年度を数字だけ」: both, and the change
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
            if p.grade and p.grade in q.grades:  # 「aってことは達成した？」: what the grade says, then the figures
                meaning = self.grades.get(p.grade, "").rstrip("。")
                direct = f"進捗{p.grade}は「{meaning}」という評価です。{direct}"
        else:
            part = figure_part(q, inds)
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
                quoted.append(compose.missing(f"{compose.project_title(p)}の{PART_NAMES.get(kind, kind)}"))
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
        if not named:
            # 「講座回数」 of 調べ学習講座開催回数: a measure word whose parts this indicator's name alone holds,
            # counted in its unit, names it
            for word in content_words(text):
                parts = [fold(u) for u in units(word) if len(u) >= 2]
                holders = [
                    i
                    for i in project.indicators
                    if len(parts) >= 2 and all(u in fold(i.name) for u in parts) and _counts_in(word, i.unit)
                ]
                named += [i for i in holders if len(holders) == 1 and i not in named]
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

    def _novel_news(self, q: Question, p: Project) -> str:
        """The sheet's sentence that says something started (導入, 新たに…), quoted, when the question asks
        what is new (「新しく入れた」) and nothing more specific; '' otherwise."""
        novelty = load_cues().novelty
        asked = q.plain[q.asking[0] : q.asking[1]]  # the sentence that asks, not the story around it
        if q.parts - {"actual"} or q.unit or not any(w in asked for w in novelty):
            return ""
        if q.asks & SPECIFIC_ASKS:
            return ""  # 「EBSCOはいつ導入した？」 asks a fact of its own
        named = [w for w in self._extra_words(q, p) if not any(n in w for n in novelty)]
        if q.fy_base is not None and q.fy is not None:  # 「R6とR7でそれぞれ何を始めた？」: each year's own
            said = []
            for y in sorted({q.fy_base, q.fy}):
                cells = [
                    psg.text
                    for psg, folded in self.passages.of(p.id)
                    if psg.fy == y and psg.kind == "actual" and any(n in psg.text for n in novelty)
                    and all(fold(w) in folded for w in named)
                ]  # fmt: skip
                said += [f"{fy_label(y)}は「{cells[0]}」"] if cells else []
            return f"{compose.project_title(p)}の実績では、{'、'.join(said)}とあります。" if said else ""
        h = self._novel_in(p, named, q.fy or self.report.as_of_fy, True)
        if h is None:
            return ""
        said = f"{compose.project_title(p)}の「{h.column}」に「{h.text}」とあります。"
        if h.kind == "evaluation":  # 「新たな取組を実施した」 judges; the year's actual says what was done
            done = [e for e in p.entries if e.kind == "actual" and e.fy == h.fy and e.text.strip() not in ("", "-")]
            said += "".join(f"{e.label}は「{e.text}」です。" for e in done)
        return said

    def _novel_in(self, p: Project, named: list[str], year: int, undated: bool) -> Highlight | None:
        """The sheet's sentence of that year that says something started and holds the words named."""
        found = [
            h
            for h in highlights(self.report, [p.id])
            if h.novel and (h.fy == year or (undated and h.fy is None)) and all(fold(w) in fold(h.text) for w in named)
        ]
        # the year's own cells before undated plans; what was done (実績) before how it was judged
        found.sort(key=lambda h: (h.fy is None, h.kind != "actual"))
        return found[0] if found else None

    def _latest_news(self, p: Project) -> str:
        """A narrative project's status: the as-of year's sentence that carries the most news, quoted."""
        if p.grade:
            return ""
        # Undated columns (今後の取組) are written as of the report's year too (「区内22か所に設置となり」).
        top = [h for h in highlights(self.report, [p.id]) if h.fy in (None, self.report.as_of_fy)][:1]
        if not top:
            return ""
        return f"{compose.project_title(p)}の「{top[0].column}」に「{top[0].text}」とあります。"

    def _news(self, p: Project) -> str:
        """A project in one line: its grade and figures, or the sheet's sentence that carries the most news."""
        if p.grade:  # its grade and lead figure, as a brief's line says them
            return Phrasing(self.report, Audience.GENERAL).headline(p).text + "。"
        top = highlights(self.report, [p.id], limit=1)
        if not top:  # a sheet with no news sentence: its latest actual
            return compose.status_line(p, self.report, self.grades)
        return f"{p.id}: {top[0].text}（{top[0].column}）"

    def spans_answer(self, q: Question, p: Project) -> bool:
        """True when a sentence of the sheet that holds the words asked gives the kind of answer asked
        (a place, a date)."""
        extra = self._extra_words(q, p)
        found = facts.find(q, self.passages, p.id, extra)
        if found is None or not found[1]:
            return False
        text = found[0].text
        return all(covered(w, fold(text), set(search_terms(text))) for w in extra)

    def glossed(self, words: list[str]) -> tuple[Project, str] | None:
        """「パスファインダーって何？」: the report's own gloss of a word — the sentence where it is followed by
        a parenthesis that says what it is (「パスファインダー(調べ方の手引き)」), with its project."""
        for word in words:
            key = fold(word)
            if len(key) < 2:
                continue
            for p in self.report.projects:
                for psg, folded in self.passages.of(p.id):
                    at = folded.find(key)
                    if at >= 0 and folded[at + len(key) : at + len(key) + 1] in ("(", "（"):
                        return p, compose.quote(psg, p)
        return None

    def sentence_with(self, project: Project, word: str) -> str:
        """The latest sentence of a project's sheet that uses a word, quoted with its column and year."""
        key = fold(word)
        held = [(psg, f) for psg, f in self.passages.of(project.id) if key in f]
        if not held:
            return ""
        psg = max(held, key=lambda t: t[0].fy or 0)[0]
        return compose.quote(psg, project)


# Units no figure is derived in (a rank, a sum of money), and what such a figure is called: asked in one
# and given none, the report lacks it (ポイント or タイトル are other names of the report's own units).
_MEASURE_NAMES = {"位": "順位", "円": "金額"}


def _counts_in(word: str, unit: str) -> bool:
    """True when a measure word counts in this unit: 「講座回数」 in 回, 「応募数」 in any counter but %."""
    said = facts.unit_of(word)
    return said == unit if said else word.endswith("数") and unit not in ("%", "％")
