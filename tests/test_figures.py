"""Changes, rankings and thresholds are computed from the published figures."""

from __future__ import annotations

from knowledge import figures


def indicator(kb, project_id, name):
    p = kb.by_id[project_id]
    return p, next(i for i in p.indicators if i.name == name)


def test_a_change_is_the_difference_of_the_two_years_actuals(kb):
    p, ind = indicator(kb, "3-(1)-①", "電子書籍貸出数")
    c = figures.change(p, ind, 2024, 2025)
    assert (c.before.actual, c.after.actual, c.delta, c.percent) == ("45,267", "46,843", 1576, 3.5)
    assert figures.change(p, ind, 2025, 2026) is None  # 令和8年度 has no actual yet


def test_rankings_and_thresholds_use_the_achievement(kb):
    statuses = [s for p in kb.report.projects for s in kb.statuses(p)]
    assert figures.ranked(statuses)[0].indicator.name == "電子書籍貸出数"
    assert figures.ranked(statuses, low=True)[0].achievement == 87.5
    assert len(figures.crossing(statuses, "over", 100)) == 3
    assert [s.achievement for s in figures.crossing(statuses, "under", 90)] == [87.5]


def test_achievement_is_one_decimal_of_actual_over_plan():
    assert figures.achievement("72", "68") == 94.4
    assert figures.achievement("", "68") is None and figures.achievement("0", "1") is None
