"""Slack's native data blocks as data: the `table` of target vs actual per year, and the
`data_visualization` line chart of an indicator over the years. Templates put them in cards
(bot/templates/_indicator_table.json.j2, _indicator_chart.json.j2); the limits are Slack's, checked
by tests for every project and indicator of the report."""

from __future__ import annotations

from knowledge.compose import figure
from knowledge.figures import achievement
from knowledge.model import Indicator, Project
from knowledge.text import fy_label, parse_number

MAX_TABLE_ROWS = 100
MAX_TABLE_CELLS = 20
MAX_CHART_TITLE = 50
MAX_CHART_SERIES = 6
MAX_CHART_LABEL = 20  # a category or series name
TABLE_HEADER = ("指標", "年度", "目標", "実績", "達成率")
TABLE_ALIGN = ("left", "left", "right", "right", "right")
SAME = "〃"  # the indicator named on its first row only, as Japanese tables do


def cell(text: str) -> dict:
    """A table cell of plain text."""
    return {"type": "raw_text", "text": text or "—"}


def percent(rate: float | None) -> str:
    """'133.8%', or '—' when there is no achievement to show."""
    return "—" if rate is None else f"{rate:g}%"


def indicator_rows(indicators: list[Indicator], focus_fy: int | None = None) -> list[list[str]]:
    """The rows (without header) of target vs actual per year for the indicators, ▶ on the asked year."""
    rows = []
    for ind in indicators:
        for i, v in enumerate(ind.values):
            mark = "▶ " if v.fy == focus_fy else ""
            name = f"{ind.kind} {ind.name}" if i == 0 else SAME
            rows.append([name, mark + fy_label(v.fy), figure(v.plan, ind.unit), figure(v.actual, ind.unit),
                         percent(achievement(v.plan, v.actual))])  # fmt: skip
    return rows


def table_block(indicators: list[Indicator], focus_fy: int | None = None) -> dict | None:
    """One table of target, actual and achievement per year; None when there is nothing to show.
    Rows past Slack's 100 are left off (no report comes near: six indicators of four years)."""
    rows = indicator_rows(indicators, focus_fy)
    if not rows:
        return None
    rows = [list(TABLE_HEADER), *rows][:MAX_TABLE_ROWS]
    return {
        "type": "table",
        "column_settings": [{"align": a} for a in TABLE_ALIGN],
        "rows": [[cell(text) for text in row[:MAX_TABLE_CELLS]] for row in rows],
    }


PROJECT_HEADER = ("番号", "事業名", "区分", "進捗", "出典")


def project_table(projects: list[Project]) -> dict | None:
    """A list of projects as one table: id, name, 重点/新規, grade and where it is in the report."""
    if not projects:
        return None
    rows = [list(PROJECT_HEADER)]
    for p in projects[: MAX_TABLE_ROWS - 1]:
        flags = "・".join(f for f, on in (("重点", p.is_key), ("新規", p.is_new)) if on)
        rows.append([p.id, p.name, flags, p.grade, f"p.{p.page} · {p.sheet}"])
    return {"type": "table", "column_settings": [{"is_wrapped": True}] * 2,
            "rows": [[cell(text) for text in row] for row in rows]}  # fmt: skip


def _number(x: float) -> int | float:
    return int(x) if x.is_integer() else x


def chart_block(ind: Indicator, project_id: str = "") -> dict | None:
    """A line chart of an indicator's target and actual over the years that have both; None when fewer
    than two years do (a line needs two points)."""
    years = [(v, parse_number(v.plan), parse_number(v.actual)) for v in ind.values]
    years = [(v, p, a) for v, p, a in years if p is not None and a is not None]
    if len(years) < 2:
        return None
    categories = [fy_label(v.fy)[:MAX_CHART_LABEL] for v, _, _ in years]
    series = [
        {"name": "目標", "data": [{"label": c, "value": _number(p)} for c, (_, p, _) in zip(categories, years)]},
        {"name": "実績", "data": [{"label": c, "value": _number(a)} for c, (_, _, a) in zip(categories, years)]},
    ]
    title = f"{project_id} {ind.name}".strip()
    title = title if len(title) <= MAX_CHART_TITLE else title[: MAX_CHART_TITLE - 1] + "…"
    unit = ind.unit or "値"
    return {
        "type": "data_visualization",
        "title": title,
        "chart": {
            "type": "line",
            "series": series[:MAX_CHART_SERIES],
            "axis_config": {"categories": categories, "x_label": "年度", "y_label": unit[:MAX_CHART_TITLE]},
        },
    }


def chart_text(ind: Indicator) -> str:
    """What a chart shows, in words: for clients that do not draw it, screen readers and the terminal."""
    years = "、".join(
        f"{fy_label(v.fy)} 目標{figure(v.plan, ind.unit)}・実績{figure(v.actual, ind.unit)}"
        for v in ind.values
        if v.plan or v.actual
    )
    return f"{ind.name}: {years}"
