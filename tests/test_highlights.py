"""Highlights and concerns: the sheets' news sentences, found by cue words, ranked, quoted verbatim."""

from __future__ import annotations

import pytest

from knowledge.figures import status
from knowledge.highlights import Tone, figures_in, highlights, indicator_news, load_cues, this_year_first

# News the report holds, as phrases of its own sentences, and whether each is good news or a concern.
NEWS = [
    ("電子申請件数が約7.5倍", Tone.HIGHLIGHT),
    ("1.5倍以上増加", Tone.HIGHLIGHT),
    ("区内22か所に設置", Tone.HIGHLIGHT),
    ("EBSCO", Tone.HIGHLIGHT),
    ("工事が延期", Tone.CONCERN),
    ("工事延期となった", Tone.CONCERN),
    ("前年度から横ばい", Tone.CONCERN),
]


@pytest.fixture(scope="module", params=["this year", "next year"])
def any_report(request, indexed, kb_next):
    return indexed if request.param == "this year" else kb_next.report


@pytest.mark.parametrize(("phrase", "tone"), NEWS)
def test_the_years_news_is_found_in_both_reports_with_its_tone(any_report, phrase, tone):
    found = [h for h in highlights(any_report) if phrase in h.text]
    assert found, phrase
    assert found[0].tone is tone


def test_every_highlight_is_a_verbatim_sentence_of_the_cell_it_names(any_report):
    for h in highlights(any_report):
        project = any_report.project(h.project_id)
        cells = [e.text for e in project.entries if e.label == h.column and e.row == h.row]
        assert any(h.text in cell for cell in cells), h


def test_highlights_are_ranked_best_first_and_the_plan_text_is_never_news(any_report):
    found = highlights(any_report)
    assert [h.score for h in found] == sorted((h.score for h in found), reverse=True)
    assert {h.kind for h in found}.isdisjoint({"plan", "description"})


def test_a_number_with_a_change_ranks_above_a_bare_cue(indexed):
    top = highlights(indexed, tone=Tone.HIGHLIGHT, limit=5)
    assert all(h.figures for h in top)


def test_figures_are_numbers_written_with_a_counter():
    assert figures_in("区内22か所に設置となり令和5年度と比較し2倍となった。") == ("22か所", "2倍")
    assert figures_in("4月より、電子雑誌閲覧サービスの開始") == ()


def test_a_sentence_repeated_next_year_is_kept_once_in_its_latest_year(kb_next):
    report = kb_next.report
    postponed = [h for h in highlights(report) if "工事が延期" in h.text]
    assert len(postponed) == 1 and postponed[0].fy == report.as_of_fy


def test_this_year_comes_before_earlier_years(indexed):
    ordered = this_year_first(highlights(indexed), indexed.as_of_fy)
    years = [0 if h.fy is None or h.fy >= indexed.as_of_fy else 1 for h in ordered]
    assert years == sorted(years)


def test_highlights_of_some_projects_only(indexed):
    assert {h.project_id for h in highlights(indexed, ["3-(1)-⑥"])} == {"3-(1)-⑥"}


def test_indicators_above_and_below_target_in_the_as_of_year(any_report):
    news = indicator_news(any_report)
    expected = {
        (p.id, ind.kind): s.below
        for p in any_report.projects
        for ind in p.indicators
        for s in [status(p, ind, any_report.as_of_fy)]
        if s is not None and s.achievement is not None
    }
    got = {(s.project.id, s.indicator.kind): False for s in news.above}
    got |= {(s.project.id, s.indicator.kind): True for s in news.below}
    assert got == expected and news.fy == any_report.as_of_fy


def test_a_figure_alone_makes_a_sentence_news_and_good_news_without_a_concern(any_report):
    from knowledge.passages import project_passages

    cues = load_cues()
    checked = 0
    for p in any_report.projects:
        for psg in project_passages(p):
            plain = not any(w in psg.text for w in (*cues.highlight, *cues.concern))
            if plain and figures_in(psg.text) and psg.fy == any_report.as_of_fy and cues.columns.get(psg.kind, 0) > 0:
                found = [h for h in highlights(any_report, [p.id]) if h.text == psg.text]
                assert found and found[0].tone is Tone.HIGHLIGHT, psg.text
                checked += 1
    assert checked  # the report has such sentences (「講座を2回実施した」)


def test_two_figures_say_more_than_one(indexed):
    # 「区内22か所に設置となり…2倍となった」 outranks the same project's 「ブックポストを2台増設」.
    [top] = highlights(indexed, ["1-(3)-①"], limit=1)
    assert len(set(top.figures)) >= 2
