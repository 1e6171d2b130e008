"""Numbers computed from the indicators, never read from prose (docs/design.md §4): a year's status,
changes between years, rankings, thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.model import Indicator, IndicatorValue, Project
from knowledge.text import parse_number


def achievement(plan: str, actual: str) -> float | None:
    """Actual as a percentage of plan, one decimal (68 of 72 → 94.4); None when either is missing."""
    p, a = parse_number(plan), parse_number(actual)
    if p is None or a is None or p == 0:
        return None
    return round(a / p * 100, 1)


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator in one year: plan, actual, achievement, and the year before."""

    project: Project
    indicator: Indicator
    value: IndicatorValue
    achievement: float | None
    previous: IndicatorValue | None

    @property
    def below(self) -> bool:
        plan, actual = parse_number(self.value.plan), parse_number(self.value.actual)
        return plan is not None and actual is not None and actual < plan

    @property
    def change(self) -> float | None:
        """Actual minus the previous year's actual, in the indicator's unit."""
        if self.previous is None:
            return None
        now, before = parse_number(self.value.actual), parse_number(self.previous.actual)
        return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Change:
    """An indicator's actual in two years and the difference."""

    project: Project
    indicator: Indicator
    before: IndicatorValue
    after: IndicatorValue
    delta: float
    percent: float | None  # the change relative to the earlier year, one decimal


def value_in(indicator: Indicator, fy: int) -> IndicatorValue | None:
    """The indicator's row for a fiscal year, or None when the sheet has no such year."""
    return next((v for v in indicator.values if v.fy == fy), None)


def latest_actual_fy(indicator: Indicator) -> int | None:
    """The latest year with a published actual."""
    return max((v.fy for v in indicator.values if v.actual), default=None)


def status(project: Project, indicator: Indicator, fy: int | None = None) -> IndicatorStatus | None:
    """The indicator in the asked year (default: the latest with an actual); None if it has no such year."""
    year = fy if fy is not None else latest_actual_fy(indicator)
    value = value_in(indicator, year) if year is not None else None
    if value is None:
        return None
    return IndicatorStatus(
        project, indicator, value, achievement(value.plan, value.actual), value_in(indicator, year - 1)
    )


def change(project: Project, indicator: Indicator, base_fy: int, fy: int) -> Change | None:
    """The change of the actual between two years, always from the earlier to the later (a question
    may name them in either order); None when either year has no actual."""
    base_fy, fy = sorted((base_fy, fy))
    before, after = value_in(indicator, base_fy), value_in(indicator, fy)
    if before is None or after is None:
        return None
    a, b = parse_number(after.actual), parse_number(before.actual)
    if a is None or b is None:
        return None
    percent = round((a - b) / b * 100, 1) if b else None
    return Change(project, indicator, before, after, a - b, percent)


def ranked(statuses: list[IndicatorStatus], low: bool = False) -> list[IndicatorStatus]:
    """Statuses by achievement, highest first (lowest first when low); those without one dropped."""
    rated = [s for s in statuses if s.achievement is not None]
    return sorted(rated, key=lambda s: s.achievement if low else -s.achievement)


def crossing(
    statuses: list[IndicatorStatus], side: str, percent: float, inclusive: bool = False
) -> list[IndicatorStatus]:
    """Statuses whose achievement is over (or under) a threshold (以上/以下: inclusive), in sheet order."""
    rated = [s for s in statuses if s.achievement is not None]
    if side == "over":
        return [s for s in rated if s.achievement > percent or (inclusive and s.achievement == percent)]
    return [s for s in rated if s.achievement < percent or (inclusive and s.achievement == percent)]


def moved(changes: list[Change], direction: str) -> list[Change]:
    """Changes that went up (direction 'up') or down ('down')."""
    return [c for c in changes if (c.delta > 0 if direction == "up" else c.delta < 0)]


def lead_indicator(p: Project) -> Indicator | None:
    """The indicator a project's headline states: its first outcome (成果指標) with a figure, else the first."""
    with_value = [i for i in p.indicators if latest_actual_fy(i) is not None]
    outcomes = [i for i in with_value if i.kind.startswith("成果指標")]
    return (outcomes or with_value or [None])[0]
