"""The lines of a brief: figures computed from the indicators, sentences quoted from the sheets, each
with its sources, phrased in the register of who the brief is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge.compose import amount, figure
from knowledge.facts import FOLDED_INTO
from knowledge.figures import IndicatorStatus, latest_actual_fy, lead_indicator, status
from knowledge.highlights import Highlight, Tone, figures_in, highlights, indicator_news
from knowledge.model import Indicator, Project, Report
from knowledge.passages import project_passages, split_text
from knowledge.scopes import Scope
from knowledge.text import fy_label, nfkc


class Audience(StrEnum):
    """Who a brief is for, as far as it changes length and register."""

    GENERAL = "general"
    MEETING = "meeting"  # 会議: terse, noun-ended
    ANSWER = "answer"  # 答弁: full です/ます sentences, year and unit on every figure, no ids
    REPORT = "report"  # 報告: polite bullets with ids


@dataclass(frozen=True)
class Source:
    """Where a line's content stands in the report. project_id '' is the report as a whole."""

    project_id: str
    column: str
    fy: int | None


@dataclass(frozen=True)
class BriefLine:
    """One line of a brief with its sources; `figures` are the figures it states, as written."""

    text: str
    kind: str  # scope, tally, headline, indicator, highlight, concern, actual
    sources: tuple[Source, ...]
    figures: tuple[str, ...] = ()
    quote: str = ""  # the verbatim sentence, for lines that quote a sheet
    states: tuple[tuple[str, str], ...] = ()  # (project id, indicator name) of the figures it states

    @property
    def project_id(self) -> str:
        return self.sources[0].project_id

    @property
    def column(self) -> str:
        return self.sources[0].column

    @property
    def fy(self) -> int | None:
        return self.sources[0].fy


# How a sheet says what will be done next, when its next steps share a column with its issues.
NEXT_STEP_WORDS = ("引き続き", "ていく", "検討する", "目指す", "予定", "図る", "実施する")

# The columns whose sentences tell what happened (not the plan's own text).
NEWS_KINDS = frozenset({"actual", "evaluation", "reason", "issues", "next_steps"})


class Phrasing:
    """Turns figures and sentences into lines in the audience's register."""

    def __init__(self, report: Report, audience: Audience, about: tuple[str, ...] = ()):
        self.report = report
        self.audience = audience
        self.about = tuple(nfkc(w) for w in about if len(w) >= 2)  # the words the person named projects by
        self.polite = audience in (Audience.ANSWER, Audience.REPORT)
        self.grades = {g.code: g.meaning for g in report.grades}
        self.fy = report.as_of_fy

    def says_about(self, text: str, p: Project | None = None) -> int:
        """How many of the words the person asked by a sentence says (0: none); of one project's sentence,
        only the words beyond its name and plan count (「ブックポスト」 is its theme, 「手話」 is a detail)."""
        folded = nfkc(text)
        # of one project, its name and what its plan says it does are its theme, not a detail asked
        theme = nfkc(" ".join([p.name, *(e.text for e in p.entries if e.kind in ("plan", "description"))])) if p else ""
        return sum(1 for w in self.about if w in folded and w not in theme)

    def _name(self, p: Project) -> str:
        # 答弁 names a project as the assembly hears it, without the sheet's numbering.
        return p.name if self.audience in (Audience.ANSWER, Audience.MEETING) else f"{p.id} {p.name}"

    # figures -----------------------------------------------------------------------------------
    def _status(self, p: Project, ind: Indicator) -> IndicatorStatus | None:
        """The as-of year's figures; the latest year with an actual when the as-of year has none."""
        s = status(p, ind, self.fy)
        return s if s is not None and s.value.actual else status(p, ind)

    def _figures(self, s: IndicatorStatus) -> tuple[str, ...]:
        unit = s.indicator.unit
        out = [figure(s.value.actual, unit), figure(s.value.plan, unit)]
        if s.achievement is not None:
            out.append(f"{s.achievement}%")
        return tuple(out)

    def _change(self, s: IndicatorStatus) -> str:
        delta = s.change
        if delta is None:
            return ""
        unit = s.indicator.unit
        if self.polite:
            verb = "増" if delta > 0 else "減" if delta < 0 else "増減なし"
            return f"前年度比{amount(delta, unit)}{verb}" if delta else "前年度から増減なし"
        sign = "+" if delta > 0 else "-" if delta < 0 else "±"
        return f"前年度比{sign}{amount(delta, unit)}"

    def indicator(self, p: Project, ind: Indicator) -> BriefLine:
        s = self._status(p, ind)
        src = (Source(p.id, f"{ind.kind} {ind.name}", s.value.fy if s else None),)
        if s is None:
            return BriefLine(f"{ind.name}：実績の記載なし", "indicator", src)
        year, unit, v = fy_label(s.value.fy), ind.unit, s.value
        rate = f"、達成率{s.achievement}%" if s.achievement is not None else ""
        change = self._change(s)
        if self.polite:
            more = f"（{change}）" if change else ""
            text = (
                f"{year}の{ind.name}は{figure(v.actual, unit)}で、目標{figure(v.plan, unit)}に対し"
                f"{'達成率' + str(s.achievement) + '%' if s.achievement is not None else '実績が記載されています'}"
                f"です{more}。"
            )
        else:
            more = f"、{change}" if change else ""
            text = f"{ind.name} {figure(v.actual, unit)}（{year}、目標{figure(v.plan, unit)}{rate}{more}）"
        return BriefLine(text, "indicator", src, self._figures(s), states=((p.id, ind.name),))

    def headline(self, p: Project, every: bool = False) -> BriefLine:
        """A project in one line: grade and its lead figure (key projects), else its top news.
        every: all its indicators' figures, not only the lead's (a key project standing for a goal)."""
        lead = lead_indicator(p)
        if p.grade or lead is not None:
            sources = [Source(p.id, "進捗状況", self.fy)] if p.grade else []
            meaning = self.grades.get(p.grade, "").rstrip("。")
            figures: tuple[str, ...] = ()
            fig_text = ""
            states: tuple[tuple[str, str], ...] = ()
            shown = [lead] if lead is not None else []
            if every:
                shown += [i for i in p.indicators if i is not lead and latest_actual_fy(i) is not None]
            for ind in shown:
                line = self.indicator(p, ind)
                sources += line.sources
                figures, states = figures + line.figures, states + line.states
                fig_text = f"{fig_text}{'' if self.polite or not fig_text else '、'}{line.text}"
            if self.polite:
                grade = f"{self._name(p)}の進捗状況は「{p.grade}」（{meaning}）です。" if p.grade else ""
                text = fig_text + grade  # the figure first: an answer in the assembly leads with it
            else:
                grade = f"進捗{p.grade}" if p.grade else ""
                text = f"{self._name(p)}：{'、'.join(x for x in (grade, fig_text) if x)}"
            return BriefLine(text, "headline", tuple(sources), figures, states=states)
        news = highlights(self.report, [p.id], limit=1)
        about = self._about(p)
        # 「…（手話のおはなし会とか）」: the sentence of the detail the person named, over the sheet's top news
        # of the same year
        detail = about is not None and (about.sources[0].fy or self.fy) >= (news[0].fy or self.fy if news else 0)
        if news and not (detail and self.says_about(about.quote, p) > self.says_about(news[0].text, p)):
            return self.quote(news[0])
        return about or self.actual(p)

    def _about(self, p: Project) -> BriefLine | None:
        """A sheet with no news: its latest sentence saying what the person named it by (「カードレス化」
        of the ICT project), rather than its latest actual, which may be about something else."""
        if not self.about:
            return None
        said = [x for x in project_passages(p) if x.kind in NEWS_KINDS and self.says_about(x.text)]
        if not said:
            return None
        # The sentence that says the most of those words (「赤坂」「YAコーナー」 over 「子ども」 alone), then the
        # latest, then what was done over what is planned.
        x = max(said, key=lambda x: (self.says_about(x.text, p), x.fy or self.fy, x.kind != "next_steps", -x.row))
        text = x.text.strip()
        if self.polite:
            body = f"{self._name(p)}の「{x.label}」では、「{text.rstrip('。')}」としています。"
        else:
            body = f"{self._name(p)}（{x.label}）：{text}"
        return BriefLine(body, "actual", (Source(p.id, x.label, x.fy),), figures_in(text), text)

    def actual(self, p: Project) -> BriefLine:
        """The latest year's actual, verbatim (a project with no news sentence)."""
        dated = [e for e in p.entries if e.kind == "actual" and e.fy and e.text.strip() not in ("", "-", "－")]
        if not dated:
            return BriefLine(f"{self._name(p)}：実績の記載なし", "actual", (Source(p.id, "実績", None),))
        e = max(dated, key=lambda e: (e.fy, -e.row))
        text = e.text.strip()
        if self.polite:
            body = f"{self._name(p)}の「{e.label}」は「{text.rstrip('。')}」です。"
        else:
            body = f"{self._name(p)}（{e.label}）：{text}"
        return BriefLine(body, "actual", (Source(p.id, e.label, e.fy),), quote=text)

    def next_steps(self, p: Project) -> list[BriefLine]:
        """The sentences of 今後の取組, verbatim."""
        return self.column(p, "next_steps")

    def column(self, p: Project, kind: str) -> list[BriefLine]:
        """The sentences of one column of a sheet (model.ENTRY_KINDS: next_steps, issues, evaluation…),
        verbatim; a column some sheets fold into another (their 課題 into 評価と課題) is read there."""
        held = [e for e in p.entries if e.kind == kind and e.text.strip() not in ("", "-", "－")]
        folded = not held and kind in FOLDED_INTO
        if folded:
            held = [e for e in p.entries if e.kind == FOLDED_INTO[kind] and e.text.strip() not in ("", "-", "－")]
        dated = [e.fy for e in held if e.fy]
        out = []
        for e in held:
            if e.fy and e.fy != max(dated):
                continue  # a dated column: the latest year's
            for sentence in split_text(e.text):
                if self.polite:
                    text = f"{self._name(p)}の「{e.label}」では、「{sentence.rstrip('。')}」としています。"
                else:
                    text = f"{self._name(p)}（{e.label}）：{sentence}"
                out.append(BriefLine(text, kind, (Source(p.id, e.label, e.fy),), quote=sentence))
        if folded and kind == "next_steps":
            # A column that holds both the issues and the next steps: the sentences that say what will be
            # done (「引き続き…充実させていく」) first.
            out.sort(key=lambda line: not any(w in line.quote for w in NEXT_STEP_WORDS))
        return out

    def quote(self, h: Highlight) -> BriefLine:
        """A news sentence, verbatim, with the project and column it stands in."""
        p = self.report.project(h.project_id)
        if self.polite:
            # An undated column (課題, 今後の取組) is dated by the report's as-of, so every figure has a year.
            where = f"「{h.column}」" if h.fy else f"{self.report.as_of}時点の「{h.column}」"
            text = f"{self._name(p)}の{where}では、「{h.text.rstrip('。')}」としています。"
        else:
            text = f"{self._name(p)}：{h.text}"
        kind = "highlight" if h.tone is Tone.HIGHLIGHT else "concern"
        return BriefLine(text, kind, (Source(p.id, h.column, h.fy),), h.figures, h.text)

    def scope_line(self, sc: Scope, projects: list[Project]) -> BriefLine:
        """How many projects, how many key and new, and the key projects' grades (counted here)."""
        if sc.kind == "key":
            return self._key_line(projects)
        n = len(projects)
        keyed = [p for p in projects if p.grade]
        new = sum(1 for p in projects if p.is_new)
        counts = [(g.code, sum(1 for p in keyed if p.grade == g.code)) for g in self.report.grades]
        counts = [(c, k) for c, k in counts if k or c in ("a", "b", "c")]
        figures = [f"{n}事業"]
        if self.polite:
            parts = [f"{sc.label}は{n}事業です" if sc.kind != "all" else f"本計画は{n}事業です"]
            if keyed:
                grades = "、".join(f"{c}が{k}事業" for c, k in counts)
                parts.append(f"重点事業{len(keyed)}事業の進捗状況は、{grades}です")
            if new and sc.kind != "new":
                parts.append(f"新規事業は{new}事業です")
            text = "。".join(parts) + f"（{self.report.as_of}時点）。"
        else:
            head = f"{sc.label}：{n}事業" if sc.kind != "all" else f"計画全体：{n}事業"
            extra = []
            if keyed:
                extra.append(f"重点{len(keyed)}事業の進捗 " + "・".join(f"{c} {k}" for c, k in counts))
            if new and sc.kind != "new":
                extra.append(f"新規{new}事業")
            text = head + (f"（{'、'.join(extra)}）" if extra else "") + f"　{self.report.as_of}時点"
        if keyed:
            figures += [f"{len(keyed)}事業", *(f"{k}事業" for _, k in counts)]
        column = "進捗状況別事業数一覧" if keyed else "事業一覧（別紙1）"
        graded = tuple(Source(p.id, "進捗状況", self.fy) for p in keyed)  # the grades it counts
        return BriefLine(text, "scope", (Source("", column, self.fy), *graded), tuple(figures))

    def _key_line(self, projects: list[Project]) -> BriefLine:
        """The key projects' grades counted, each grade naming its projects."""
        by_grade = [(g.code, [p for p in projects if p.grade == g.code]) for g in self.report.grades]
        by_grade = [(c, ps) for c, ps in by_grade if ps or c in ("a", "b", "c")]

        def named(ps: list[Project]) -> str:
            return f"（{'、'.join(p.name for p in ps)}）" if ps else ""

        if self.polite:
            grades = "、".join(f"{c}が{len(ps)}事業{named(ps)}" for c, ps in by_grade)
            text = f"重点事業{len(projects)}事業の進捗状況は、{grades}です（{self.report.as_of}時点）。"
        else:
            grades = "・".join(f"{c} {len(ps)}{named(ps)}" for c, ps in by_grade)
            text = f"重点{len(projects)}事業の進捗：{grades}（{self.report.as_of}時点）"
        figures = (f"{len(projects)}事業", *(f"{len(ps)}事業" for _, ps in by_grade))
        sources = (Source("", "進捗状況別事業数一覧", self.fy), *(Source(p.id, "進捗状況", self.fy) for p in projects))
        return BriefLine(text, "scope", sources, figures)

    def join(self, first: BriefLine, second: BriefLine) -> BriefLine:
        """Two lines as one (a one-line brief of a group): the sources and figures of both."""
        text = first.text + second.text if self.polite else f"{first.text.rstrip('。')}。{second.text}"
        return BriefLine(text, first.kind, first.sources + second.sources, first.figures + second.figures, second.quote)

    def tally(self, ids: tuple[str, ...]) -> BriefLine | None:
        """The indicators of the as-of year: how many reached their target, the best and the worst."""
        n = indicator_news(self.report, ids)
        total = len(n.above) + len(n.below)
        if total < 2:
            return None
        best = max(n.above, key=lambda s: s.achievement, default=None)
        worst = min(n.below, key=lambda s: s.achievement, default=None)
        year = fy_label(n.fy)
        figures = [f"{total}件", f"{len(n.above)}件", f"{len(n.below)}件"]
        sources = [Source("", "重点事業の指標", n.fy)]
        notes = []
        for s, word in ((best, "最高"), (worst, "最低")):
            if s is not None:
                notes.append((s, word))
                figures += [figure(s.value.actual, s.indicator.unit), f"{s.achievement}%"]
                sources.append(Source(s.project.id, f"{s.indicator.kind} {s.indicator.name}", s.value.fy))

        def actual(s: IndicatorStatus) -> str:
            return figure(s.value.actual, s.indicator.unit)

        if self.polite:
            text = (
                f"{year}の重点事業の指標{total}件のうち、目標を達成したものは{len(n.above)}件、"
                f"下回ったものは{len(n.below)}件です"
            )
            if notes:
                text += (
                    "（"
                    + "、".join(f"{w}は{s.indicator.name}の{actual(s)}、達成率{s.achievement}%" for s, w in notes)
                    + "）"
                )
            text += "。"
        else:
            text = f"{year}の指標{total}件：目標達成{len(n.above)}件・未達{len(n.below)}件"
            if notes:
                text += (
                    "（"
                    + "、".join(f"{w} {s.indicator.name} {actual(s)}（達成率{s.achievement}%）" for s, w in notes)
                    + "）"
                )
        states = tuple((s.project.id, s.indicator.name) for s, _ in notes)
        return BriefLine(text, "tally", tuple(sources), tuple(figures), states=states)
