"""Parts of the plan a brief can be about: a project, several, a goal, a policy, 重点, 新規, the whole plan.

Resolved from what a person types on the command line (「基本目標3」「施策3-(1)」「重点」「電子書籍」); the
group words (重点, 新規, 全体…) are data in data/brief.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from knowledge.errors import PlanbotError
from knowledge.model import Project, Report
from knowledge.text import nfkc, normalize

LEXICON = Path(__file__).parent / "data" / "brief.toml"


class BriefError(PlanbotError):
    """A scope that names nothing in the report; the message says what can be named."""


@dataclass(frozen=True)
class Scope:
    """A part of the plan: its kind, the projects in it (report order) and how to name it."""

    kind: str  # project, projects, goal, policy, key, new, all
    ids: tuple[str, ...]
    label: str


@cache
def group_words(path: Path = LEXICON) -> dict[str, str]:
    """The words that name a group of projects (重点 → key, 新規 → new, 全体 → all)."""
    with open(path, "rb") as f:
        return tomllib.load(f)["scope"]


def scope_of(report: Report, spec: str | list[str] | tuple[str, ...] | Scope | None) -> Scope:
    """A scope from what a person typed: 全体, 重点, 新規, 基本目標N, 施策N-(N), a project id or name,
    or several ids (a list, or one string split by commas). Raises BriefError for what names nothing."""
    if isinstance(spec, Scope):
        return spec
    if spec is None:
        return _all(report)
    if isinstance(spec, list | tuple):
        return projects_scope(report, list(spec))
    text = nfkc(spec).strip()
    groups = group_words()
    if not text or groups.get(text) == "all" or text.lower() == "all":
        return _all(report)
    if groups.get(text) == "key" or text in ("重点事業",):
        ids = tuple(p.id for p in report.projects if p.is_key)
        return Scope("key", ids, "重点事業")
    if groups.get(text) == "new" or text in ("新規事業",):
        ids = tuple(p.id for p in report.projects if p.is_new)
        return Scope("new", ids, "新規事業")
    goal = _goal_number(text)
    if goal is not None:
        return goal_scope(report, goal)
    policy = _policy_id(text)
    if policy is not None:
        return policy_scope(report, policy)
    if "," in text or "、" in text:
        return projects_scope(report, [s.strip() for s in text.replace("、", ",").split(",") if s.strip()])
    return projects_scope(report, [text])


def _all(report: Report) -> Scope:
    return Scope("all", tuple(p.id for p in report.projects), "計画全体")


def goal_scope(report: Report, number: int) -> Scope:
    """The projects of 基本目標N."""
    goal = next((g for g in report.goals if g.number == number), None)
    if goal is None:
        raise BriefError(f"基本目標{number}はありません（基本目標1～{len(report.goals)}）。")
    ids = tuple(p.id for p in report.projects if p.goal == number)
    return Scope("goal", ids, f"基本目標{number} {goal.title}")


def policy_scope(report: Report, policy_id: str) -> Scope:
    """The projects of 施策N-(N)."""
    policy = next((p for p in report.policies if p.id == policy_id), None)
    if policy is None:
        raise BriefError(f"施策{policy_id}はありません（例: 施策3-(1)）。")
    ids = tuple(p.id for p in report.projects if p.policy_id == policy_id)
    return Scope("policy", ids, f"施策{policy.id} {policy.name}")


def projects_scope(report: Report, specs: list[str]) -> Scope:
    """One or more projects by id or name; the label names them."""
    found = list({p.id: p for p in (find_project(report, s) for s in specs)}.values())
    if len(found) == 1:
        p = found[0]
        return Scope("project", (p.id,), f"{p.id} {p.name}")
    return Scope("projects", tuple(p.id for p in found), "・".join(p.name for p in found))


def find_project(report: Report, spec: str) -> Project:
    """A project by its id (3-(1)-①), its name or alias (or part of one), or the closest name."""
    text = nfkc(spec).strip()
    for p in report.projects:
        if p.id == text:
            return p
    key = _fold(text)
    if not key:
        raise BriefError("事業番号 (例: 3-(1)-①) か事業名を指定してください。")
    named = [p for p in report.projects if any(key in _fold(n) for n in [p.name, *p.aliases])]
    if named:
        return named[0]
    # A word of the sheets (ブックポスト, 港南): the project whose sheet says it most often.
    said = [(sum(_fold(e.text).count(key) for e in p.entries), -i, p) for i, p in enumerate(report.projects)]
    count, _, p = max(said, key=lambda t: t[:2])
    if count:
        return p
    choices = {p.id: _fold(" ".join([p.name, *p.aliases])) for p in report.projects}
    best = process.extractOne(key, choices, scorer=fuzz.partial_ratio, score_cutoff=85)
    if best is None:
        raise BriefError(
            f"「{spec}」に当たる事業が見つかりません。事業番号 (例: 3-(1)-①)、事業名、"
            "基本目標N、施策N-(N)、重点、新規、全体 のどれかを指定してください。"
        )
    return report.project(best[2])


def _fold(text: str) -> str:
    return normalize(text).replace(" ", "")


def _goal_number(text: str) -> int | None:
    for head in ("基本目標", "目標", "goal"):
        rest = text.lower().removeprefix(head.lower())
        if rest != text.lower() and rest.strip().isdigit():
            return int(rest.strip())
    return None


def _policy_id(text: str) -> str | None:
    body = text.removeprefix("施策").strip().replace("(", "-").replace(")", "").replace("--", "-")
    if text.startswith("施策") and body:
        parts = [x for x in body.split("-") if x]
        if len(parts) == 2 and all(x.isdigit() for x in parts):
            return f"{parts[0]}-({parts[1]})"
    return None
