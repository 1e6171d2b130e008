"""A brief: the progress of any part of the plan in a few lines, for a meeting, a report or an answer.

Figures come first; every line names where it comes from (project id, column, fiscal year); a line
either states figures computed from the indexed values (knowledge.figures) or quotes a sheet's sentence
verbatim (knowledge.highlights). Nothing else is said. Who the brief is for changes only its length and
register: 答弁 (an answer in the ward assembly) is full です/ます sentences with every figure's year and
unit; 会議 is terse; 報告 is polite bullets.

The scope is resolved by `scope_of` (a spec as typed on the command line); what a request asks for is
read by knowledge.brief_request.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from knowledge.brief_lines import Audience, BriefLine, Phrasing, Source
from knowledge.figures import lead_indicator
from knowledge.highlights import Highlight, Tone, highlights, indicator_news, load_cues, this_year_first
from knowledge.model import Report
from knowledge.scopes import BriefError, Scope, goal_scope, policy_scope, projects_scope, scope_of
from knowledge.text import nfkc, parse_number

__all__ = [
    "Audience",
    "Brief",
    "BriefError",
    "BriefLine",
    "Focus",
    "Length",
    "Scope",
    "Source",
    "brief",
    "goal_scope",
    "policy_scope",
    "projects_scope",
    "scope_of",
]

LEXICON = Path(__file__).parent / "data" / "brief.toml"


class Length(StrEnum):
    """The shape of a brief: one line, N lines, bullets, or figures only."""

    ONE = "one"
    LINES = "lines"
    BULLETS = "bullets"
    FIGURES = "figures"


class Focus(StrEnum):
    """Which of the year's news a brief tells."""

    ALL = "all"
    HIGHLIGHTS = "highlights"
    CONCERNS = "concerns"
    NEW = "new"  # what started this year (導入, 開始, 新たに…)
    GROWTH = "growth"  # what grew: indicators up on the year before, and the good news sentences


# What a brief's title calls its content, by focus.
FOCUS_TITLES = {
    Focus.ALL: "進捗",
    Focus.HIGHLIGHTS: "ハイライト",
    Focus.CONCERNS: "課題・遅れ",
    Focus.NEW: "新しい取組",
    Focus.GROWTH: "伸びたもの",
}


@dataclass(frozen=True)
class Brief:
    """A brief ready to show or paste."""

    title: str
    scope: Scope
    length: Length
    audience: Audience
    focus: Focus
    lines: tuple[BriefLine, ...]
    source: str  # the report and its as-of date
    as_of_fy: int = 0
    project_ids: tuple[str, ...] = field(default=())
    note: str = ""  # said before the lines: that the part holds none of the news asked for

    def text(self) -> str:
        """The lines alone (a paragraph for 答弁 and one-liners, else bullets): a reply's direct answer."""
        if self.audience is Audience.ANSWER or self.length is Length.ONE:
            body = "".join(line.text for line in self.lines)
        else:
            body = "\n".join(f"・{line.text}" for line in self.lines)
        return f"{self.note}\n{body}" if self.note else body

    def plain(self) -> str:
        """Plain text to paste: the title, the lines, the source."""
        return f"{self.title}\n{self.text()}\n（出典：{self.source}）"

    def as_dict(self) -> dict:
        """The brief as JSON-ready data (for `planbot brief --json` and the router)."""
        return {
            "title": self.title,
            "scope": {"kind": self.scope.kind, "ids": list(self.scope.ids), "label": self.scope.label},
            "length": self.length.value,
            "audience": self.audience.value,
            "focus": self.focus.value,
            "lines": [
                {
                    "text": line.text,
                    "kind": line.kind,
                    "project_id": line.project_id,
                    "column": line.column,
                    "fy": line.fy,
                    "figures": list(line.figures),
                    "quote": line.quote,
                    "sources": [{"project_id": s.project_id, "column": s.column, "fy": s.fy} for s in line.sources],
                }
                for line in self.lines
            ],
            "plain": self.plain(),
            "source": self.source,
        }


# -- the lexicon ------------------------------------------------------------------------------------


@cache
def lexicon(path: Path = LEXICON) -> dict:
    """brief.toml: the words that ask for a brief, its length, style, focus, audience and scope."""
    with open(path, "rb") as f:
        return tomllib.load(f)


def default_lines(length: Length, audience: Audience) -> int:
    """How many lines a brief has when the request names no number."""
    table = lexicon()["default_lines"]
    if length is Length.ONE:
        return 1
    if length in (Length.BULLETS, Length.FIGURES):
        return table[length.value]
    return table[audience.value]


# -- the brief --------------------------------------------------------------------------------------


def brief(
    report: Report,
    scope: str | list[str] | Scope | None = None,
    lines: int | None = None,
    style: Length | str = Length.LINES,
    audience: Audience | str = Audience.GENERAL,
    focus: Focus | str = Focus.ALL,
    columns: tuple[str, ...] = (),
    about: tuple[str, ...] = (),
    per_project: int | None = None,
) -> Brief:
    """A brief of any part of the plan.

    scope: a Scope, a spec for scope_of, a list of project ids, or None (the whole plan).
    lines: how many lines (default: by audience and style, data/brief.toml); style ONE forces one.
    style: ONE, LINES, BULLETS or FIGURES (figures only). audience: GENERAL, MEETING, ANSWER, REPORT.
    focus: ALL, HIGHLIGHTS (good news only) or CONCERNS (delays and shortfalls only).
    columns: sheet columns asked for (issues, next_steps…): one project's brief leads with them.
    about: the words the projects were named by; a sheet's line prefers a sentence that says one.
    per_project: lines for each project (「各事業2行で」): its strongest line, then the columns asked.
    """
    style, audience, focus = Length(style), Audience(audience), Focus(focus)
    sc = scope_of(report, scope)
    if sc.kind == "new" and focus is Focus.NEW:  # 「新しく始めた事業」: the new projects are the news, each told
        focus = Focus.ALL
    budget = 1 if style is Length.ONE else (lines or default_lines(style, audience))
    # A word of the part's own title named the part (「国際性を生かした取組の施策」), not a detail of a
    # sheet: a sentence that merely repeats it (「…の一助となる取組を実施した」) is not the one asked for.
    about = tuple(w for w in about if nfkc(w) not in nfkc(sc.label)) if len(sc.ids) > 1 else about
    say = Phrasing(report, audience, about)
    projects = [report.project(i) for i in sc.ids]
    if lines is None and style in (Length.LINES, Length.FIGURES) and 1 < len(projects) <= 8:
        # A part of the plan named with no length: a line for each of its projects, and for each indicator.
        budget = max(budget, min(len(projects) + sum(len(p.indicators) for p in projects) + 1, 10))
    candidates = general = _candidates(report, sc, focus, budget, say)
    if columns and len(projects) <= MAX_COLUMN_PROJECTS:
        # 「課題を一言で」「新規事業の今後の取組を答弁調で」: the columns asked, in the sheets' words, first
        candidates = [line for p in projects for kind in columns for line in say.column(p, kind)] + candidates
    elif "next_steps" in columns and focus in (Focus.ALL, Focus.NEW):
        # 「来年度、新しく始めることは？」 over many sheets: the next steps that start or try something first
        candidates = _next_steps(projects, focus, say) + ([] if focus is Focus.NEW else candidates)
    if per_project and 1 < len(projects) <= MAX_COLUMN_PROJECTS:
        candidates = _each_project(projects, general, per_project, columns, say)
        budget = per_project * len(projects)
    note = ""
    if not candidates:  # no news of that kind in this part of the plan: say so, then its progress
        note = f"{sc.label}には、{lexicon()['none'][focus.value]}はありません（{report.as_of}時点）。"
        focus = Focus.ALL
        candidates = _candidates(report, sc, focus, budget, say)
    if style is Length.FIGURES and focus is Focus.ALL:  # every indicator of the scope, each project's lead first
        ordered = [(p, ind) for p in projects for ind in sorted(p.indicators, key=lambda i: i is not lead_indicator(p))]
        candidates = [say.indicator(p, ind) for p, ind in ordered] + candidates
    if style is Length.ONE and len(sc.ids) > 1 and focus is Focus.ALL and len(candidates) > 1:
        # One line for a group: its counts and the next strongest fact (the indicators, or the top news).
        candidates = [say.join(candidates[0], candidates[1])]
    if style is Length.FIGURES:
        # Figures only; a sheet that states none still gets its lines rather than an empty brief.
        candidates = [c for c in candidates if c.figures] or candidates
    chosen = _dedupe(candidates, restated=len(projects) > 1)[: max(1, budget)]
    # The whole plan's brief is about the projects its lines speak of, not all forty-three.
    spoken = tuple(dict.fromkeys(s.project_id for line in chosen for s in line.sources if s.project_id))
    title = f"{sc.label}の{FOCUS_TITLES[focus]}（{report.as_of}時点）"
    if audience is Audience.ANSWER:
        title = f"【答弁用】{title}"
    elif audience is Audience.MEETING:
        title = f"【会議用】{title}"
    elif audience is Audience.REPORT:
        title = f"【報告用】{title}"
    return Brief(
        title,
        sc,
        style,
        audience,
        focus,
        tuple(chosen),
        f"{report.title}（{report.as_of}時点）",
        report.as_of_fy,
        spoken if sc.kind == "all" else sc.ids,
        note,
    )


# A brief leads with a sheet column asked for (課題, 今後の取組) for each project of a part this small.
MAX_COLUMN_PROJECTS = 6


def goals_brief(report: Report, audience: Audience | str = Audience.GENERAL, focus: Focus | str = Focus.ALL) -> Brief:
    """The whole plan told goal by goal: each basic goal's one-line brief (its counts, its key project's
    figures or its top news; or its top news of the focus asked), for a year-end summary on one page."""
    audience, focus = Audience(audience), Focus(focus)
    briefs = [brief(report, goal_scope(report, g.number), style=Length.ONE, audience=audience, focus=focus)
              for g in report.goals]  # fmt: skip
    lines = tuple(b.lines[0] for b in briefs if b.lines)
    spoken = tuple(dict.fromkeys(s.project_id for line in lines for s in line.sources if s.project_id))
    sc = scope_of(report, "全体")
    title = f"基本目標ごとの{FOCUS_TITLES[focus]}（{report.as_of}時点）"
    source = f"{report.title}（{report.as_of}時点）"
    return Brief(title, sc, Length.LINES, audience, focus, lines, source, report.as_of_fy, spoken)


def _each_project(
    projects: list, candidates: list[BriefLine], per: int, columns: tuple[str, ...], say: Phrasing
) -> list[BriefLine]:
    """`per` lines for each project in turn: its strongest line of the brief, then the columns asked of it
    (「良かった点と課題を各事業2行で」: its news, then its 課題), then its other lines."""
    out = []
    for p in projects:
        own = [c for c in candidates if c.project_id == p.id]
        asked = [line for kind in columns for line in say.column(p, kind)]
        picked = _dedupe(own[:1] + asked + own[1:], restated=False)[:per]
        out += picked
    return out


def _next_steps(projects: list, focus: Focus, say: Phrasing) -> list[BriefLine]:
    """The next steps of many sheets: those that start, try or widen something first (only those, for what
    is new), each sheet's once."""
    words = tuple(lexicon()["next"]["words"])
    lines = [line for p in projects for line in say.column(p, "next_steps")]
    starting = [line for line in lines if any(w in line.quote for w in words)]
    return starting if focus is Focus.NEW else starting + [line for line in lines if line not in starting]


def _restates(project_id: str, sentence: str, states) -> bool:
    """True when a project's sentence names one of these (project id, indicator name): it restates figures
    a line already states (or, for growth, an indicator that fell)."""
    return any(pid == project_id and name in sentence for pid, name in states)


def _dedupe(lines: list[BriefLine], restated: bool = False) -> list[BriefLine]:
    """Each thing said once. The same sentence may come as news and as the year's actual; and in a brief
    of several projects (`restated`), a sheet's sentence about an indicator whose figures a line already
    states (「電子書籍貸出数は、指標を…上回って」) gives its place to the next project's news."""
    seen: set[str] = set()
    stated: set[tuple[str, str]] = set()
    out = []
    for line in lines:
        keys = {line.text, line.quote} - {""}
        if keys & seen:
            continue
        if restated and line.quote and _restates(line.project_id, line.quote, stated):
            continue
        if restated and line.kind == "headline" and line.states and set(line.states) <= stated:
            continue  # its figures are all said already (数字だけ: the indicators came first)
        seen |= keys
        stated |= set(line.states)
        out.append(line)
    return out


def _candidates(report: Report, sc: Scope, focus: Focus, budget: int, say: Phrasing) -> list[BriefLine]:
    """Every line the brief could hold, best first: figures, then the year's news."""
    projects = [report.project(i) for i in sc.ids]
    news = _news(report, sc.ids, focus, say)
    if focus is not Focus.ALL:
        # A request for the good (or the bad) news: the indicators that side and the sentences, taking
        # turns, so a delay told in words is not crowded out by figures.
        side = _indicator_side(report, sc.ids, focus, say)
        if len(projects) > 1:  # a sentence restating an indicator shown on this side adds no news
            stated = {st for line in side for st in line.states}
            news = [x for x in news if not _restates(x.project_id, x.quote, stated)]
        out = []
        while side or news:
            out += side[:1] + news[:1]
            side, news = side[1:], news[1:]
        return out
    if len(projects) == 1:
        p = projects[0]
        out = [say.headline(p)]
        out += [say.indicator(p, ind) for ind in p.indicators[1:] if ind is not lead_indicator(p)]
        if lead_indicator(p) is not None and p.indicators and p.indicators[0] is not lead_indicator(p):
            out.insert(1, say.indicator(p, p.indicators[0]))
        out += news
        if not p.indicators:
            # A sheet with little news still has its year: the latest actual and the next steps, verbatim.
            out += [say.actual(p), *say.next_steps(p)]
        return out
    scope_line = say.scope_line(sc, projects)
    if len(projects) <= budget:
        heads = [say.headline(p) for p in projects]
        # The indicators a headline leaves out (a key project has two or three) follow it.
        rest = [say.indicator(p, i) for p in projects for i in p.indicators if i is not lead_indicator(p)]
        return ([scope_line] if len(projects) < budget else []) + heads + rest + news
    out = [scope_line]
    keyed = [p for p in projects if p.indicators]
    # One key project stands for its goal or policy: all its figures in its line.
    heads = [say.headline(p, every=len(keyed) == 1) for p in keyed]
    tally = say.tally(sc.ids) if len(heads) > 1 else None
    # The news is taken after the figures, so a sentence restating one of them gives its place.
    stated = {st for line in [*heads, *([tally] if tally else [])] for st in line.states}
    news = _news(report, sc.ids, focus, say, stated)
    if tally is None:
        # One key project in the part (a goal, a policy): its grade and figure are the part's figures.
        return out + heads + news
    return out + [tally] + news[:2] + heads + news[2:]


def _indicator_side(report: Report, ids: tuple[str, ...], focus: Focus, say: Phrasing) -> list[BriefLine]:
    if focus is Focus.NEW:
        return []  # an indicator measures what was planned; it never says what is new
    n = indicator_news(report, ids)
    # The strongest first: the best achievement for good news, the worst for concerns.
    if focus is Focus.GROWTH:  # up on the year before, the most first (a target met while falling is not growth)
        grew = [s for s in n.above + n.below if s.change is not None and s.change > 0]
        side = sorted(grew, key=lambda s: -(s.change / abs(parse_number(s.previous.actual) or 1)))
    elif focus is Focus.HIGHLIGHTS:
        side = sorted(n.above, key=lambda s: -s.achievement)
    else:
        side = sorted(n.below, key=lambda s: s.achievement)
    return [say.indicator(s.project, s.indicator) for s in side]


def _grown(report: Report, ids: tuple[str, ...]) -> list[Highlight]:
    """The good news that says something grew (増加, 倍, 増設…: highlights.toml [growth]), never a sentence
    restating an indicator that fell on the year before (「所蔵資料数は、計画を…上回っている」 while it fell)."""
    words = load_cues().growth
    fell = {
        (s.project.id, s.indicator.name)
        for s in (*indicator_news(report, ids).above, *indicator_news(report, ids).below)
        if s.change is not None and s.change <= 0
    }
    return [
        h
        for h in this_year_first(highlights(report, ids, Tone.HIGHLIGHT), report.as_of_fy)
        if any(w in h.text for w in words) and not _restates(h.project_id, h.text, fell)
    ]


def _news(
    report: Report, ids: tuple[str, ...], focus: Focus, say: Phrasing, stated: set[tuple[str, str]] = frozenset()
) -> list[BriefLine]:
    """The scope's news sentences: good and bad interleaved (the best of each first), or one side.
    One project's news is simply by rank: its few sentences are all shown anyway."""
    if len(ids) == 1 and focus is Focus.ALL:
        return [say.quote(h) for h in this_year_first(highlights(report, ids), report.as_of_fy)]
    if focus is Focus.GROWTH:
        return [say.quote(h) for h in _grown(report, ids)]
    if focus is Focus.HIGHLIGHTS:
        return [say.quote(h) for h in this_year_first(highlights(report, ids, Tone.HIGHLIGHT), report.as_of_fy)]
    if focus is Focus.CONCERNS:
        return [say.quote(h) for h in this_year_first(highlights(report, ids, Tone.CONCERN), report.as_of_fy)]
    if focus is Focus.NEW:
        # Something new that went well before something new that came with a shortfall; what the person
        # asked about (「新しく導入したサービス」) before the rest.
        novel = [h for h in this_year_first(highlights(report, ids), report.as_of_fy) if h.novel]
        return [say.quote(h) for h in sorted(novel, key=lambda h: (h.tone is Tone.CONCERN, -say.says_about(h.text)))]
    good, bad = (
        [
            h
            for h in this_year_first(highlights(report, ids, t), report.as_of_fy)
            if not _restates(h.project_id, h.text, stated)
        ]
        for t in (Tone.HIGHLIGHT, Tone.CONCERN)
    )
    out: list[Highlight] = []
    # Good and bad news alternate: a brief that shows only progress would hide a delay.
    while good or bad:
        out += good[:1]
        good = good[1:]
        out += bad[:1]
        bad = bad[1:]
    return [say.quote(h) for h in out]
