"""The plan's structure and its terms: the plan period and as-of, goals and their policies, the
indicators, what the project list says of a project (department, plan page, number), and every project
whose sheet uses a term (三田図書館, 大使館…). Pure reads of the report; each returns the direct answer.
"""

from __future__ import annotations

from knowledge import compose, figures
from knowledge.model import Project, Report
from knowledge.questions import Level, Question
from knowledge.text import fy_label

MAX_NAMED = 12  # projects named in one sentence; the card lists them all


def period(report: Report) -> str:
    """「計画期間は？」: the plan period and the as-of of this report."""
    span = f"{fy_label(report.plan_start_fy)}〜{fy_label(report.plan_end_fy)}"
    years = report.plan_end_fy - report.plan_start_fy + 1
    return f"計画期間は{span}の{years}年間です（{later_years(report)}）。この報告は{report.as_of}時点の進捗です。"


def counts(report: Report, counted: list[str]) -> str:
    """「事業数と基本目標の数」: the plan's counts asked, in the order asked ('' for none)."""
    said = {
        "projects": f"事業は{len(report.projects)}事業",
        "goals": f"基本目標は{len(report.goals)}つ",
        "policies": f"施策は{len(report.policies)}",
        "indicators": f"指標は{sum(len(p.indicators) for p in report.projects)}件",
    }
    parts = [said[c] for c in dict.fromkeys(counted) if c in said]
    return "、".join(parts) + "です。" if parts else ""


def later_years(report: Report) -> str:
    """The years the sheets head 後期3年間: the plan's last three (the grades measure against them)."""
    return f"後期3年間は計画期間の最後の3年度、{fy_label(report.plan_end_fy - 2)}〜{fy_label(report.plan_end_fy)}"


def as_of(report: Report) -> str:
    """「何年度末時点？」: the as-of of this report."""
    span = f"{fy_label(report.plan_start_fy)}〜{fy_label(report.plan_end_fy)}"
    return f"この報告は{report.as_of}時点の進捗です（計画期間 {span}）。"


def goals(report: Report) -> str:
    """The basic goals with their titles and counts of policies and projects."""
    parts = [
        f"基本目標{g.number}「{g.title}」（施策{_count(report.policies, g.number)}・"
        f"{sum(1 for p in report.projects if p.goal == g.number)}事業）"
        for g in report.goals
    ]
    return f"基本目標は{len(report.goals)}つです: " + "、".join(parts) + "。"


def goal(report: Report, number: int) -> str:
    """One goal: its title, its policies by name, and how many projects it has."""
    g = next((g for g in report.goals if g.number == number), None)
    if g is None:
        return compose.missing(f"基本目標{number}") + f"（基本目標は1〜{len(report.goals)}です）"
    policies = [p for p in report.policies if p.goal == number]
    names = "、".join(f"{p.id}「{p.name}」" for p in policies)
    n = sum(1 for p in report.projects if p.goal == number)
    return f"基本目標{number}は「{g.title}」です。施策は{len(policies)}つ（{names}）で、{n}事業です。"


def policies(report: Report, goal_numbers: list[int]) -> str:
    """The policies of the named goals (all when none is named), by name."""
    chosen = [p for p in report.policies if not goal_numbers or p.goal in goal_numbers]
    where = "・".join(f"基本目標{g}" for g in goal_numbers) + "の" if goal_numbers else "計画の"
    names = "、".join(f"{p.id}「{p.name}」" for p in chosen)
    return f"{where}施策は{len(chosen)}つです: {names}。"


def policy_of(report: Report, project: Project) -> str:
    """Which goal and policy a project belongs to."""
    pol = next(p for p in report.policies if p.id == project.policy_id)
    g = next(g for g in report.goals if g.number == project.goal)
    return (
        f"{compose.project_title(project)}は、基本目標{g.number}「{g.title}」の"
        f"施策{pol.id}「{pol.name}」に入っています。"
    )


def indicators(report: Report) -> str:
    """Every indicator with its latest actual against target."""
    lines = []
    year = ""
    for p in report.projects:
        for ind in p.indicators:
            s = figures.status(p, ind)
            if s is not None:
                rate = f"達成率{s.achievement:.1f}%" if s.achievement is not None else "達成率なし"
                lines.append(f"{ind.name} {compose.figure(s.value.actual, ind.unit)}（{rate}）")
                year = fy_label(s.value.fy)
    owners = sum(1 for p in report.projects if p.indicators)
    n = sum(len(p.indicators) for p in report.projects)
    return f"指標は{n}つです（重点事業{owners}件の取組目標・成果指標、{year}の実績）: " + "、".join(lines) + "。"


def listing(report: Report, project: Project, level: Level) -> str:
    """What the project list says of a project: its department, plan page or number."""
    title = compose.project_title(project)
    if level is Level.DEPARTMENT:
        return f"{title}の担当課は{project.department}です。"
    if level is Level.PAGE:
        return f"{title}は計画書{project.page}ページに掲載されています（{project.sheet}）。"
    return f"{project.name}の事業番号は{project.id}です。"


def departments(report: Report, projects: list[Project]) -> str:
    """The departments in charge of the projects, with how many each."""
    counts: dict[str, int] = {}
    for p in projects:
        counts[p.department] = counts.get(p.department, 0) + 1
    if len(counts) == 1:
        ((dept, n),) = counts.items()
        return f"担当課は{dept}です（{n}事業すべて）。"
    return "担当課は " + "、".join(f"{d}（{n}事業）" for d, n in counts.items()) + " です。"


def with_term(term: str, projects: list[Project]) -> str:
    """The projects whose sheet uses a term."""
    names = "、".join(compose.project_title(p) for p in projects[:MAX_NAMED])
    more = f" ほか{len(projects) - MAX_NAMED}事業" if len(projects) > MAX_NAMED else ""
    return f"「{term}」が出てくる事業は{len(projects)}事業です: {names}{more}。"


def asks_structure(q: Question) -> bool:
    """True when a question asks about the plan's structure rather than a project's progress."""
    return bool(q.asks & {"period", "as_of"} or q.levels - {Level.PROJECT, Level.INDICATOR})


def _count(policies, goal_number: int) -> int:
    return sum(1 for p in policies if p.goal == goal_number)
