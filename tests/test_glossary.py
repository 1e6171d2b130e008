"""The plan's vocabulary: the report's own definitions where it has them, its structure where it has none."""

from __future__ import annotations

import pytest

from knowledge.glossary import asked_terms, explain, glossary, term


@pytest.fixture(scope="module", params=["this year", "next year"])
def any_report(request, indexed, kb_next):
    return indexed if request.param == "this year" else kb_next.report


def test_the_grade_legend_is_the_reports_own(any_report):
    t = term(any_report, "grades")
    assert t.defined
    for g in any_report.grades:
        assert any(line.startswith(f"{g.code}：{g.meaning}") for line in t.lines)
        if g.count is not None:
            assert f"{g.code}：{g.meaning}（{g.count}事業）" in t.lines


@pytest.mark.parametrize(("key", "flag"), [("key", "is_key"), ("new", "is_new")])
def test_key_and_new_are_explained_by_which_projects_carry_the_mark_and_no_more(any_report, key, flag):
    t = term(any_report, key)
    assert not t.defined and "定義していません" in t.lines[0]
    marked = [p for p in any_report.projects if getattr(p, flag)]
    text = "".join(t.lines)
    assert f"{len(marked)}事業" in text and all(p.id in text for p in marked)


def test_sheet_notes_are_quoted_verbatim(any_report):
    t = term(any_report, "sheets")
    notes = [line for line in t.lines if line in any_report.notes]
    assert any("別紙2" in n for n in notes) and any("参考資料" in n for n in notes)


def test_indicator_rows_are_named_from_the_sheets(any_report):
    text = "".join(term(any_report, "indicators").lines)
    for p in any_report.projects:
        for ind in p.indicators:
            assert ind.name in text


def test_the_plan_period_is_the_reports(any_report):
    assert any_report.plan_period in term(any_report, "period").lines[0]


def test_every_term_is_explained(indexed):
    assert {t.key for t in glossary(indexed)} == {"grades", "key", "new", "indicators", "sheets", "period"}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("aとは？", ["grades"]),
        ("進捗状況の区分の意味は", ["grades"]),
        ("重点事業とは何ですか", ["key"]),
        ("新規って何", ["new"]),
        ("取組目標と成果指標の違い", ["indicators"]),
        ("別紙2と参考資料の違いは", ["sheets"]),
        ("計画期間は", ["period"]),
        ("この報告は何年度末時点？", ["period"]),
        ("進捗a/b/cの内訳", ["grades"]),
        ("電子書籍の進捗は？", []),
    ],
)
def test_which_term_a_text_asks_about(indexed, text, keys):
    assert asked_terms(text) == keys
    assert [t.key for t in explain(indexed, text)] == keys
