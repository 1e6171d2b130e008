"""Briefs: any scope, any length, any audience, over this year's report and next year's; every figure is
the report's (checked against the model's values), every quote verbatim, every line with its source."""

from __future__ import annotations

import re

import pytest

from knowledge.brief import Audience, BriefError, Focus, Length, brief, goals_brief, scope_of
from knowledge.figures import status
from knowledge.highlights import highlights
from knowledge.text import fy_label, nfkc, parse_number

SCOPES = ["3-(1)-①", "2-(1)-②", "重点", "基本目標3", "全体"]
LENGTHS = [(Length.ONE, None), (Length.LINES, 3), (Length.BULLETS, None)]
AUDIENCES = list(Audience)

_ID = re.compile(r"[1-9]-\([1-9]\)-[①-⑳]|[1-9]-\([1-9]\)")
_YEAR = re.compile(r"令和\d+年度")
_GOAL = re.compile(r"基本目標\d")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module", params=["this year", "next year"])
def any_report(request, indexed, kb_next):
    return indexed if request.param == "this year" else kb_next.report


def numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in _NUMBER.findall(nfkc(text))}


def allowed(report, line, scope_ids) -> set[float]:
    """Every number the line may state, taken from the model at the places its sources name."""
    out = set().union(*(numbers(g.meaning) for g in report.grades))
    for src in line.sources:
        if src.project_id:
            p = report.project(src.project_id)
            for ind in p.indicators:
                if src.column == f"{ind.kind} {ind.name}":
                    for v in ind.values:
                        out |= {parse_number(v.plan), parse_number(v.actual)}
                    s = status(p, ind, src.fy)
                    out |= {s.achievement, abs(s.change) if s.change is not None else None}
            out |= set().union(*(numbers(e.text) for e in p.entries if e.label == src.column))
        else:  # the scope as a whole: counts of its projects, their grades and indicators
            projects = [report.project(i) for i in scope_ids]
            out |= {len(projects), sum(p.is_new for p in projects), sum(bool(p.grade) for p in projects)}
            out |= {sum(p.grade == g.code for p in projects) for g in report.grades}
            statuses = [
                s
                for p in projects
                for ind in p.indicators
                for s in [status(p, ind, report.as_of_fy)]
                if s is not None and s.achievement is not None
            ]
            out |= {len(statuses), sum(s.below for s in statuses), sum(not s.below for s in statuses)}
            out |= {s.achievement for s in statuses}
    return out - {None}


def stated(text: str) -> set[float]:
    """The numbers a line states, without the ids, years and goal numbers that name places."""
    for pattern in (_ID, _YEAR, _GOAL):
        text = pattern.sub(" ", nfkc(text))
    return numbers(text)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize(("style", "lines"), LENGTHS)
@pytest.mark.parametrize("scope", SCOPES)
def test_a_brief_states_only_the_reports_figures_and_quotes(any_report, scope, style, lines, audience):
    b = brief(any_report, scope, lines=lines, style=style, audience=audience)
    assert b.lines
    for line in b.lines:
        assert line.sources and all(s.project_id in ("", *b.scope.ids) for s in line.sources)
        assert stated(line.text) <= allowed(any_report, line, b.scope.ids), line.text
        if line.quote:
            p = any_report.project(line.project_id)
            assert any(line.quote in e.text for e in p.entries if e.label == line.column), line.quote


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize(
    ("style", "lines", "most"), [(Length.ONE, None, 1), (Length.LINES, 3, 3), (Length.BULLETS, None, 6)]
)
@pytest.mark.parametrize("scope", SCOPES)
def test_a_brief_has_the_length_asked(any_report, scope, style, lines, most, audience):
    b = brief(any_report, scope, lines=lines, style=style, audience=audience)
    assert 1 <= len(b.lines) <= most
    if style is Length.LINES and scope != "2-(1)-②":
        assert len(b.lines) == most  # every scope but a small sheet has enough to say


@pytest.mark.parametrize("scope", SCOPES)
def test_an_answer_for_the_assembly_is_full_polite_sentences_with_year_and_unit_and_no_emoji(any_report, scope):
    b = brief(any_report, scope, lines=3, audience=Audience.ANSWER)
    for line in b.lines:
        assert line.text.endswith("。") and re.search(r"(です|ます)(（[^）]*）)?。$", line.text), line.text
        assert not re.search(r"[\U0001F000-\U0001FFFF]|:[a-z_]+:", line.text)
        if line.figures:
            assert "令和" in line.text, line.text  # every figure has its year
        if line.kind in ("indicator", "headline") and line.figures:
            assert fy_label(line.fy if line.kind == "indicator" else line.sources[-1].fy) in line.text
            assert not _ID.search(line.text)  # the assembly hears names, not the sheet's numbering
    assert "\n・" not in b.plain()  # one paragraph, ready to read out


def test_figures_come_first(indexed):
    b = brief(indexed, "3-(1)-①", lines=3)
    assert b.lines[0].figures and b.lines[0].kind == "headline"
    assert [line.kind for line in b.lines[:2]] == ["headline", "indicator"]


def test_a_one_line_brief_of_the_plan_has_its_counts_and_indicators(indexed):
    [line] = brief(indexed, "全体", style=Length.ONE).lines
    keyed = [p for p in indexed.projects if p.grade]
    assert f"{len(indexed.projects)}事業" in line.text and f"重点{len(keyed)}事業" in line.text
    assert {s.column for s in line.sources} >= {"進捗状況別事業数一覧", "重点事業の指標"}


def test_a_brief_of_the_key_projects_gives_each_its_grade_and_lead_figure(any_report):
    b = brief(any_report, "重点", lines=3, audience=Audience.MEETING)
    keyed = [p for p in any_report.projects if p.is_key]
    assert [line.project_id for line in b.lines] == [p.id for p in keyed]
    for line, p in zip(b.lines, keyed):
        assert f"進捗{p.grade}" in line.text


def test_figures_only_keeps_the_lines_with_figures(indexed):
    b = brief(indexed, "全体", style=Length.FIGURES)
    assert all(line.figures for line in b.lines)


@pytest.mark.parametrize(
    ("focus", "kinds"), [(Focus.HIGHLIGHTS, {"indicator", "highlight"}), (Focus.CONCERNS, {"indicator", "concern"})]
)
def test_a_brief_of_highlights_or_concerns_tells_only_that_side(any_report, focus, kinds):
    b = brief(any_report, "全体", style=Length.BULLETS, focus=focus)
    assert {line.kind for line in b.lines} <= kinds


def test_a_brief_of_what_is_new_quotes_only_sentences_that_say_something_started(any_report):
    b = brief(any_report, "全体", style=Length.BULLETS, focus=Focus.NEW)
    assert b.lines and all(line.kind in ("highlight", "concern") for line in b.lines)
    assert any("EBSCO" in line.text for line in b.lines)


def test_the_key_projects_grades_name_their_projects(indexed):
    [line] = brief(indexed, "重点", style=Length.ONE).lines
    for p in indexed.projects:
        assert (p.name in line.text) == p.is_key


def test_the_plain_text_is_ready_to_paste(indexed):
    b = brief(indexed, "基本目標2", lines=3, audience=Audience.REPORT)
    text = b.plain()
    assert text.startswith("【報告用】基本目標2") and indexed.as_of in text
    for line in b.lines:
        assert f"・{line.text}" in text


def test_the_brief_as_data_names_each_lines_source(indexed):
    data = brief(indexed, "3-(1)-①", lines=3).as_dict()
    assert data["lines"][0]["project_id"] == "3-(1)-①" and data["lines"][0]["column"] == "進捗状況"
    assert all({"text", "project_id", "column", "fy", "sources"} <= set(line) for line in data["lines"])


@pytest.mark.parametrize(
    ("spec", "kind", "ids"),
    [
        ("全体", "all", 43),
        ("重点", "key", 3),
        ("新規", "new", 2),
        ("基本目標3", "goal", 12),
        ("施策3-(1)", "policy", 6),
        ("3-(1)-①", "project", 1),
        ("電子書籍サービスの活用", "project", 1),
        ("ブックポスト", "project", 1),
        ("3-(1)-①,2-(1)-②", "projects", 2),
    ],
)
def test_a_scope_is_read_from_what_a_person_types(indexed, spec, kind, ids):
    scope = scope_of(indexed, spec)
    assert scope.kind == kind and len(scope.ids) == ids


@pytest.mark.parametrize("spec", ["基本目標9", "施策9-(1)", "xyz"])
def test_a_scope_that_names_nothing_is_refused_with_what_can_be_named(indexed, spec):
    with pytest.raises(BriefError):
        scope_of(indexed, spec)


@pytest.mark.parametrize("goal", [1, 3, 4])
def test_a_goal_with_one_key_project_is_told_by_all_that_projects_figures(any_report, goal):
    b = brief(any_report, f"基本目標{goal}", style=Length.ONE)
    [key] = [p for p in any_report.projects if p.goal == goal and p.grade]
    [line] = b.lines
    for ind in key.indicators:
        s = status(key, ind, any_report.as_of_fy)
        if s is not None and s.value.actual:
            assert s.value.actual in line.text, ind.name  # as the index holds it, with its unit after


def test_the_whole_plans_brief_is_about_the_projects_its_lines_speak_of(indexed):
    b = brief(indexed, "全体", lines=3, audience=Audience.ANSWER)
    spoken = {s.project_id for line in b.lines for s in line.sources if s.project_id}
    assert set(b.project_ids) == spoken
    assert {p.id for p in indexed.projects if p.is_key} <= spoken  # the grades it counts are theirs


@pytest.mark.parametrize("focus", [Focus.ALL, Focus.HIGHLIGHTS, Focus.CONCERNS])
def test_a_brief_of_several_projects_never_quotes_a_sentence_restating_a_figure_it_states(any_report, focus):
    b = brief(any_report, "全体", style=Length.BULLETS, focus=focus)
    stated = {st for line in b.lines for st in line.states}
    for line in b.lines:
        if line.quote:
            assert not any(pid == line.project_id and name in line.quote for pid, name in stated), line.text


def test_a_part_with_no_news_of_the_kind_asked_says_so_then_gives_its_progress(indexed):
    quiet = next(p for p in indexed.projects if not p.indicators and not highlights(indexed, [p.id]))
    b = brief(indexed, quiet.id, lines=3, focus=Focus.HIGHLIGHTS)
    assert b.lines and b.focus is Focus.ALL
    assert b.text().startswith(b.note) and "はありません" in b.note and quiet.name in b.note


def test_the_plan_goal_by_goal_is_one_line_per_goal_each_with_its_goal_counted(any_report):
    b = goals_brief(any_report, Audience.MEETING)
    assert len(b.lines) == len(any_report.goals)
    for line, g in zip(b.lines, any_report.goals):
        n = sum(1 for p in any_report.projects if p.goal == g.number)
        assert line.text.startswith(f"基本目標{g.number}") and f"{n}事業" in line.text
    assert {p.id for p in any_report.projects if p.is_key} <= set(b.project_ids)


def test_growth_tells_only_what_grew_never_a_sentence_about_an_indicator_that_fell(any_report):
    fell = {
        (p.id, i.name)
        for p in any_report.projects
        for i in p.indicators
        if (s := status(p, i, any_report.as_of_fy)) is not None and s.change is not None and s.change <= 0
    }
    for scope in ("全体", "1-(1)-④", "4-(1)-②"):
        b = brief(any_report, scope, style=Length.BULLETS, focus=Focus.GROWTH)
        for line in b.lines if b.focus is Focus.GROWTH else ():
            assert line.kind in ("indicator", "highlight")
            if line.kind == "indicator":
                [(pid, name)] = line.states
                assert (pid, name) not in fell
            else:
                assert not any(pid == line.project_id and name in line.quote for pid, name in fell), line.text


@pytest.mark.parametrize("kind", ["issues", "next_steps"])
def test_a_projects_brief_asked_for_a_column_leads_with_that_column_verbatim(any_report, kind):
    b = brief(any_report, "4-(1)-②", style=Length.ONE, columns=(kind,))
    [line] = b.lines
    p = any_report.project("4-(1)-②")
    cells = [e.text for e in p.entries if e.kind == kind]
    assert line.quote and any(line.quote in nfkc(c) or line.quote in c for c in cells)


def test_a_sheet_with_no_news_is_told_by_the_sentence_that_says_what_it_was_named_by(indexed):
    quiet = next(p for p in indexed.projects if not p.indicators and not highlights(indexed, [p.id]))
    word = next(w for w in re.findall(r"[ァ-ヶー]{4,}|[一-龥]{3,}", quiet.entries[-1].text) if w)
    b = brief(indexed, [quiet.id, "3-(1)-①"], about=(word,))
    line = next(line for line in b.lines if line.project_id == quiet.id)
    assert word in line.quote
