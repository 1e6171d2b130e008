"""Lists and counts: the projects a question's filters select, what the list is called, and
「いくつ」 answered for projects, policies, goals or indicators."""

from __future__ import annotations

from dataclasses import replace

from knowledge import compose
from knowledge.model import Project, Report
from knowledge.questions import Question


def filtered(report: Report, q: Question) -> list[Project]:
    """The projects a question's filters select: AND across kinds, OR within a kind (「aとb」「重点と新規」)."""
    out = []
    for p in report.projects:
        if q.goals and p.goal not in q.goals:
            continue
        if q.policy and p.policy_id != q.policy:
            continue
        if q.grades and p.grade not in q.grades:
            continue
        if (q.key or q.new) and not ((q.key and p.is_key) or (q.new and p.is_new)):
            continue  # 「重点事業と新規事業」: either flag
        if q.page and p.page != q.page:
            continue
        if q.sheet and not (p.sheet == q.sheet or p.sheet.startswith(q.sheet + "-")):  # 別紙2: 2-1, 2-2…
            continue
        if q.scope and p.id not in q.scope:
            continue
        if p.id in q.exclude:  # 「ほかに新規の事業は？」: not the ones just shown
            continue
        out.append(p)
    return out


def title(q: Question, total: int) -> str:
    """What a filtered list is of: 「基本目標1・2の事業」「重点または新規の事業」「そのうちa評価の事業」."""
    parts = []
    if q.goals:
        parts.append("・".join(f"基本目標{g}" for g in q.goals))
    if q.policy:
        parts.append(f"施策{q.policy}")
    flags = [name for name, on in (("重点", q.key), ("新規", q.new)) if on]
    if flags:
        parts.append("または".join(flags))
    if q.grades:
        parts.append("・".join(q.grades) + "評価")
    if q.page:
        parts.append(f"計画書{q.page}ページ")
    if q.sheet:
        parts.append(q.sheet)
    title = ("・".join(parts) + "の事業") if parts else f"全{total}事業"
    if q.exclude:
        title = f"ほかの{title}"
    return f"そのうち{title}" if q.scope else title


def count(report: Report, q: Question, title: str, projects: list[Project]) -> str:
    """「いくつ」: how many projects, policies, goals or indicators (per goal when several are named);
    each of several counts asked in one question (「事業数・基本目標の数・施策の数」)."""
    if len(dict.fromkeys(q.counts)) > 1:
        return "".join(_count(report, replace(q, count_of=kind), title, projects) for kind in dict.fromkeys(q.counts))
    return _count(report, q, title, projects)


def _count(report: Report, q: Question, title: str, projects: list[Project]) -> str:
    goals = q.goals or [g.number for g in report.goals]
    if q.count_of == "policies":
        n = sum(1 for p in report.policies if p.goal in goals)
        where = "・".join(f"基本目標{g}" for g in q.goals) + "の" if q.goals else "計画の"
        return f"{where}施策は{n}です。"
    if q.count_of == "goals":
        names = "、".join(f"基本目標{g.number}「{g.title}」" for g in report.goals)
        return f"基本目標は{len(report.goals)}つです: {names}。"
    if q.count_of == "indicators":
        inds = [i for p in projects for i in p.indicators]
        owners = sum(1 for p in projects if p.indicators)
        where = f"{title}の" if q.has_filter else ""
        return f"{where}指標は{len(inds)}です（重点事業{owners}件の取組目標・成果指標）。"
    if len(q.goals) > 1:
        per = [(f"基本目標{g}", f"{sum(1 for p in projects if p.goal == g)}事業") for g in q.goals]
        return compose.count_sentence(title, f"{len(projects)}事業", per)
    if not q.has_filter and not q.scope:  # the whole plan: the report's own heading says it
        return f"計画に掲載している事業は{len(projects)}事業です（{report.as_of}時点）。"
    return compose.count_sentence(title, f"{len(projects)}事業")
