"""planbot's facts as plain JSON-able data with their source, for tools (the MCP server) to return.

Pure functions over the knowledge base: no Slack, no MCP. Every fact names where in the report it
comes from (report, as-of, page, sheet), so whoever phrases the answer can cite it.
"""

from __future__ import annotations

from knowledge.answer import Answer, KnowledgeBase
from knowledge.figures import achievement
from knowledge.model import ENTRY_KINDS, Indicator, Project, Report
from knowledge.text import fy_label


def report_source(report: Report) -> dict:
    """The report itself: title, as-of and plan period."""
    return {"report": report.title, "as_of": report.as_of, "plan_period": report.plan_period}


def project_source(project: Project, report: Report) -> dict:
    """Where a project's facts are: the plan's page and the report's sheet."""
    return {**report_source(report), "plan_page": project.page, "sheet": project.sheet}


def indicator_facts(ind: Indicator) -> dict:
    """An indicator with its plan, actual and achievement (%) for every year it has."""
    return {
        "kind": ind.kind,
        "name": ind.name,
        "unit": ind.unit,
        "years": [
            {
                "fy": v.year_label,
                "plan": v.plan,
                "actual": v.actual,
                "achievement_percent": achievement(v.plan, v.actual),
            }
            for v in ind.values
        ],
        "evaluation": ind.evaluation,
    }


def project_brief(p: Project, kb: KnowledgeBase) -> dict:
    """One line's worth of a project: id, name, grade, flags, policy and goal."""
    return {
        "id": p.id,
        "name": p.name,
        "grade": p.grade,
        "grade_meaning": kb.grades.get(p.grade, ""),
        "key_project": p.is_key,
        "new_project": p.is_new,
        "policy": p.policy_id,
        "goal": p.goal,
        "department": p.department,
    }


def project_status(kb: KnowledgeBase, project_id: str) -> dict:
    """A project's status: grade, indicators by year, and what its sheet says, with the source.
    An id the report does not have gets `found: false` and the closest projects."""
    answer = kb.project_card(project_id)
    if answer.intent != "project" or not answer.projects:
        return not_found(answer)
    p = answer.projects[0]
    return {
        "found": True,
        **project_brief(p, kb),
        "indicators": [indicator_facts(i) for i in p.indicators],
        "texts": [
            {"part": ENTRY_KINDS[e.kind], "year": fy_label(e.fy) if e.fy else "", "text": e.text} for e in p.entries
        ],
        "status": answer.direct,
        "source": project_source(p, kb.report),
    }


def indicator_values(kb: KnowledgeBase, query: str = "") -> dict:
    """Indicators by year — of the project (id or words) asked about, or all of them for an empty query."""
    report = kb.report
    if query.strip():
        answer = kb.answer(query)
        projects = [p for p in answer.projects if p.indicators]
    else:
        projects = [p for p in report.projects if p.indicators]
    return {
        "query": query,
        "projects": [
            {
                "id": p.id,
                "name": p.name,
                "indicators": [indicator_facts(i) for i in p.indicators],
                "source": project_source(p, report),
            }
            for p in projects
        ],
        "note": "" if projects else "該当する指標はありません。指標があるのは重点事業です。",
        "source": {**report_source(report), "sheet": "別紙2（重点事業の進捗管理票）"},
    }


def list_projects(
    kb: KnowledgeBase,
    goal: int | None = None,
    policy: str = "",
    grade: str = "",
    key_only: bool = False,
    new_only: bool = False,
) -> dict:
    """The projects matching every filter given (none: all 43), with the source."""

    def keep(p: Project) -> bool:
        return (
            (goal is None or p.goal == goal)
            and (not policy or p.policy_id == policy)
            and (not grade or p.grade == grade)
            and (not key_only or p.is_key)
            and (not new_only or p.is_new)
        )

    chosen = [project_brief(p, kb) for p in kb.report.projects if keep(p)]
    filters = {"goal": goal, "policy": policy, "grade": grade, "key_only": key_only, "new_only": new_only}
    return {"filters": filters, "count": len(chosen), "projects": chosen, "source": report_source(kb.report)}


def plan_summary(kb: KnowledgeBase) -> dict:
    """The plan at a glance: goals, grade counts, and each indicator's latest status."""
    report = kb.report
    answer = kb.summary()
    return {
        "summary": answer.direct,
        "goals": [
            {"number": g.number, "title": g.title, "projects": sum(p.goal == g.number for p in report.projects)}
            for g in report.goals
        ],
        "grades": [{"grade": g.code, "meaning": g.meaning, "projects": g.count} for g in report.grades],
        "indicators": [
            {
                "project": s.project.id,
                "name": s.indicator.name,
                "unit": s.indicator.unit,
                "fy": s.value.year_label,
                "plan": s.value.plan,
                "actual": s.value.actual,
                "achievement_percent": s.achievement,
                "below_target": s.below,
            }
            for s in answer.indicators
        ],
        "source": report_source(report),
    }


def not_found(answer: Answer) -> dict:
    """What to say when the report has no such project: the direct answer and the closest ones."""
    return {
        "found": False,
        "answer": answer.direct,
        "candidates": [{"id": p.id, "name": p.name} for p in (answer.candidates or answer.projects)],
        "source": report_source(answer.report),
    }
