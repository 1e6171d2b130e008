"""The progress report as typed data: what the parser produces and the index stores."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.text import fy_label

# What each kind of narrative entry is called on a card, in the report's own words.
ENTRY_KINDS = {
    "description": "事業・取組の内容",
    "plan": "計画に記載している事業・取組の内容",
    "actual": "実績",
    "reason": "実績が計画と異なる理由",
    "evaluation": "評価",
    "issues": "事業の課題や改善が必要な事項",
    "next_steps": "今後の取組",
}


@dataclass(frozen=True)
class Grade:
    """One grade of the legend (a/b/c/－), its meaning and how many key projects have it."""

    code: str
    meaning: str
    count: int | None = None  # None: the count table leaves the cell blank


@dataclass(frozen=True)
class Goal:
    """A basic goal (基本目標N)."""

    number: int
    title: str


@dataclass(frozen=True)
class Policy:
    """A policy (施策) under a goal; its id is written `1-(3)`."""

    goal: int
    number: int
    name: str

    @property
    def id(self) -> str:
        return f"{self.goal}-({self.number})"


@dataclass(frozen=True)
class IndicatorValue:
    """One fiscal year of an indicator: plan and actual exactly as published ('' when empty)."""

    fy: int
    plan: str = ""
    actual: str = ""

    @property
    def year_label(self) -> str:
        return fy_label(self.fy)


@dataclass
class Indicator:
    """A row of a key-project sheet: 取組目標 or 成果指標N, with its yearly plan and actual."""

    project_id: str
    kind: str  # 取組目標 / 成果指標①…
    position: int  # order on the sheet, from 1
    name: str
    unit: str
    values: list[IndicatorValue] = field(default_factory=list)
    evaluation: str = ""
    source_line: int = 0

    @property
    def id(self) -> str:
        return f"{self.project_id}/{self.kind}"


@dataclass(frozen=True)
class Entry:
    """A piece of narrative text about a project (plan content, a year's actual, next steps…)."""

    project_id: str
    kind: str  # a key of ENTRY_KINDS
    text: str
    label: str  # the column header it stood under, as published (spaces from wraps removed)
    fy: int | None = None
    row: int = 1  # projects with two rows on their sheet have row 2 entries too
    indicator: str = ""  # the indicator id an evaluation is about, if any
    source_line: int = 0


@dataclass
class Project:
    """One of the 43 projects (事業), as the project list (別紙1) and its sheet describe it."""

    id: str  # as written in the report: 3-(1)-①
    goal: int
    policy: int
    number: int
    name: str
    page: int
    is_key: bool  # 重点
    is_new: bool  # 新規
    department: str
    sheet: str  # 別紙2-1, 参考資料-3…
    aliases: list[str] = field(default_factory=list)
    grade: str = ""  # key projects only
    indicators: list[Indicator] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    source_line: int = 0

    @property
    def policy_id(self) -> str:
        return f"{self.goal}-({self.policy})"

    @property
    def marker(self) -> str:
        return self.id.rsplit("-", 1)[1]


@dataclass
class Report:
    """The whole progress report."""

    title: str
    plan_period: str  # 令和3年度～令和8年度
    plan_start_fy: int
    plan_end_fy: int
    as_of: str  # 令和7年度末
    as_of_fy: int
    project_count: int  # as the report states it
    grades: list[Grade]
    goals: list[Goal]
    policies: list[Policy]
    projects: list[Project]
    source_name: str = ""
    source_sha256: str = ""
    notes: list[str] = field(default_factory=list)  # the report's own prose lines, kept in order
    warnings: list[str] = field(default_factory=list)  # "file:line: what could not be placed"

    def project(self, project_id: str) -> Project:
        """Return the project with this id (KeyError if there is none)."""
        for p in self.projects:
            if p.id == project_id:
                return p
        raise KeyError(project_id)
