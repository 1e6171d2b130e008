"""How a question was read and answered, for maintainers (`planbot ask --explain`)."""

from __future__ import annotations

from knowledge.routes import ROUTES


def explain(answer) -> str:
    """The reading (words, cues, topic words, years), the route that answered and why."""
    q = answer.reading
    if q is None:
        return f"route: {answer.route}"
    words = " ".join(f"{w.surface}/{w.pos.value}" for w in q.words)
    cues = ", ".join(f"{c.said}→{c.cue.field}:{c.cue.value}" for c in q.claims) or "-"
    why = next((r.why for r in ROUTES if r.name == answer.route), "")
    lines = [
        f"words:    {words}",
        f"cues:     {cues}",
        f"topic:    {q.search or '-'}" + (f"  (as written: {'・'.join(q.phrases)})" if q.phrases else ""),
        f"asks:     parts={sorted(q.parts) or '-'} asks={sorted(q.asks) or '-'} levels={sorted(q.levels) or '-'}"
        f" rank={q.rank or '-'} direction={q.direction or '-'} yes/no={q.yesno}",
        f"targets:  ids={q.project_ids or '-'} goals={q.goals or '-'} policy={q.policy or '-'} grades={q.grades or '-'}"
        f" key={q.key} new={q.new} scope={q.scope or '-'}",
        f"years:    fy={q.fy} base={q.fy_base} unit={q.unit or '-'}",
        f"route:    {answer.route} — {why}",
        f"answer:   intent={answer.intent} projects={answer.project_ids} candidates={answer.candidate_ids}",
        f"focus:    {sorted(answer.focus) or '-'}",
    ]
    return "\n".join(lines)
