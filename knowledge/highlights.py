"""The year's news: the sentences of the narrative sheets that say something grew, is new, or fell behind.

Found by how the report writes such things (cue words and weights in data/highlights.toml), quoted
verbatim with the project, column and year they stand in; plus the indicators above or below their
target in the as-of year (computed from the published figures, knowledge.figures).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from knowledge.figures import IndicatorStatus, status
from knowledge.model import Project, Report
from knowledge.passages import project_passages
from knowledge.text import nfkc

CUES = Path(__file__).parent / "data" / "highlights.toml"


class Tone(StrEnum):
    """Whether a sentence is good news or something to watch."""

    HIGHLIGHT = "highlight"
    CONCERN = "concern"


@dataclass(frozen=True)
class Cues:
    """The cue words of highlights.toml, ready to match."""

    min_score: float
    figure_weight: float
    max_figures: int
    figure: re.Pattern[str]
    novelty: tuple[str, ...]
    highlight: dict[str, float]
    concern: dict[str, float]
    columns: dict[str, float]
    years: dict[str, float]
    growth: tuple[str, ...] = ()  # the cue words that say something grew (a brief of what grew)


@cache
def load_cues(path: Path = CUES) -> Cues:
    """Read the cue file once; a number followed by a listed counter is a figure."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    counters = sorted(data["figures"]["counters"], key=len, reverse=True)
    pattern = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:" + "|".join(re.escape(c) for c in counters) + ")")
    return Cues(
        data["ranking"]["min_score"],
        data["figures"]["weight"],
        data["figures"].get("most", 2),
        pattern,
        tuple(data["novelty"]["words"]),
        data["highlight"],
        data["concern"],
        data["columns"],
        data["years"],
        tuple(data.get("growth", {}).get("words", [])),
    )


@dataclass(frozen=True)
class Highlight:
    """A sentence of a sheet that carries news, verbatim, with where it stands and why it was picked."""

    project_id: str
    column: str  # the column header as published (「実績(令和7年度)」, 「今後の取組」…)
    kind: str  # a key of model.ENTRY_KINDS
    fy: int | None  # the year of the column; None for undated columns (課題, 今後の取組)
    row: int
    text: str  # verbatim: a substring of the cell
    tone: Tone
    score: float
    cues: tuple[str, ...] = field(default=())
    figures: tuple[str, ...] = field(default=())  # the numbers with counters it holds, as written
    novel: bool = False  # it says something started (導入, 開始, 新たに…)


def figures_in(text: str, cues: Cues | None = None) -> tuple[str, ...]:
    """The numbers written with a counter in a text ('約7.5倍' → '7.5倍'), in order."""
    cues = cues or load_cues()
    return tuple(m.group(0) for m in cues.figure.finditer(nfkc(text)))


def read_sentence(project: Project, passage, as_of_fy: int, cues: Cues) -> Highlight | None:
    """Score one passage; None when it holds no cue or stands in a column that is not news."""
    column_weight = cues.columns.get(passage.kind, 0.0)
    if column_weight <= 0:
        return None
    text = nfkc(passage.text)
    good = [w for w in cues.highlight if w in text]
    bad = [w for w in cues.concern if w in text]
    figures = figures_in(passage.text, cues)
    if not good and not bad and (not figures or passage.kind == "next_steps"):
        return None  # a figure alone in 今後の取組 is a plan (「2園で試行実施する」), not news
    good_score = sum(cues.highlight[w] for w in good)
    bad_score = sum(cues.concern[w] for w in bad)
    if passage.fy is None:
        year_weight = cues.years["undated"]
    else:
        year_weight = cues.years["as_of"] if passage.fy >= as_of_fy else cues.years["older"]
    # A figure is what a reader quotes (「講座を2回実施」 is news with no cue word); a second figure (「22か所
    # に設置となり…2倍」) says more, a third adds little.
    said = cues.figure_weight * min(len(set(figures)), cues.max_figures)
    score = (good_score + bad_score + said) * column_weight * year_weight
    if score < cues.min_score:
        return None
    # Ties go to the concern (a delay must not be missed); a sentence with figures and no cue is news.
    tone = Tone.CONCERN if bad and bad_score >= good_score else Tone.HIGHLIGHT
    return Highlight(
        project.id,
        passage.label,
        passage.kind,
        passage.fy,
        passage.row,
        passage.text,
        tone,
        round(score, 3),
        tuple(good + bad),
        figures,
        any(w in text for w in cues.novelty),
    )


def highlights(
    report: Report,
    project_ids: Iterable[str] | None = None,
    tone: Tone | None = None,
    limit: int | None = None,
) -> list[Highlight]:
    """The news sentences of the given projects (default: all), best first.

    A sentence repeated in a later column (a next-year report copies last year's text) is kept once,
    in its latest year. Ties keep the report's order, so the result is stable.
    """
    # Pure in the report, and asked for on every brief: kept on the report object, so a new report
    # (the next year's, swapped in while serving) starts with none.
    cache = report.__dict__.setdefault("_highlights", {})
    key = (tuple(project_ids) if project_ids is not None else None, tone, limit)
    if key not in cache:
        cache[key] = _highlights(report, key[0], tone, limit)
    return list(cache[key])


def _highlights(
    report: Report, project_ids: Iterable[str] | None, tone: Tone | None, limit: int | None
) -> list[Highlight]:
    cues = load_cues()
    wanted = set(project_ids) if project_ids is not None else None
    found: dict[tuple[str, str], Highlight] = {}
    order = 0
    ranked: list[tuple[float, int, Highlight]] = []
    for project in report.projects:
        if wanted is not None and project.id not in wanted:
            continue
        for passage in project_passages(project):
            h = read_sentence(project, passage, report.as_of_fy, cues)
            if h is None or (tone is not None and h.tone != tone):
                continue
            key = (h.project_id, _core(h.text))
            seen = found.get(key)
            if seen is not None and (seen.fy or 0) >= (h.fy or 0):
                continue
            found[key] = h
            order += 1
            ranked.append((-h.score, order, h))
    keep = set(map(id, found.values()))
    out = [h for _, _, h in sorted(ranked, key=lambda t: (t[0], t[1])) if id(h) in keep]
    return out[:limit] if limit else out


def this_year_first(found: list[Highlight], as_of_fy: int) -> list[Highlight]:
    """The as-of year's (and undated) news first, earlier years' after it, each part in rank order."""
    return [h for h in found if h.fy is None or h.fy >= as_of_fy] + [h for h in found if h.fy and h.fy < as_of_fy]


def _core(text: str) -> str:
    """A sentence without a trailing parenthetical, so 「…実施(令和8年度も継続)」 matches 「…実施」."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", nfkc(text)).rstrip("。 ")


@dataclass(frozen=True)
class IndicatorNews:
    """The indicators of the as-of year, split by whether the actual reached the plan."""

    fy: int
    above: list[IndicatorStatus]  # actual ≥ plan
    below: list[IndicatorStatus]  # actual < plan


def indicator_news(report: Report, project_ids: Iterable[str] | None = None) -> IndicatorNews:
    """Every indicator with a plan and an actual in the as-of year, above or below its target."""
    wanted = set(project_ids) if project_ids is not None else None
    above, below = [], []
    for project in report.projects:
        if wanted is not None and project.id not in wanted:
            continue
        for ind in project.indicators:
            s = status(project, ind, report.as_of_fy)
            if s is None or s.achievement is None:
                continue
            (below if s.below else above).append(s)
    return IndicatorNews(report.as_of_fy, above, below)
