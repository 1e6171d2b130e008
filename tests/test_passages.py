"""Every sheet cell is split into sentences and bullets that are substrings of the cell, and indexed."""

from __future__ import annotations

import pytest

from knowledge.passages import project_passages, split_text


@pytest.mark.parametrize(
    ("cell", "passages"),
    [
        (
            "区内22か所に設置となり2倍となった。利用数の推移を把握する。",
            ["区内22か所に設置となり2倍となった。", "利用数の推移を把握する。"],
        ),
        ("・教養講座を実施 ・展示棚を設置", ["教養講座を実施", "展示棚を設置"]),
        ("-", []),
    ],
)
def test_cells_split_into_sentences_and_bullets(cell, passages):
    assert split_text(cell) == passages


def test_every_passage_is_verbatim_from_its_cell(report):
    for project in report.projects:
        cells = [e.text for e in project.entries]
        for p in project_passages(project):
            assert any(p.text in cell for cell in cells), p


def test_passages_are_indexed_with_project_column_and_year(kb):
    ranked = [f.passage for f in kb.passages.rank(["ブックポスト", "増設"], ["1-(3)-①"])]
    r6 = next(p for p in ranked if p.fy == 2024)
    assert (r6.project_id, r6.kind, r6.label) == ("1-(3)-①", "actual", "実績(令和6年度)")
    assert r6.text == "利用者の利便性向上のため、区有施設にブックポストを6台増設した。"
    assert {p.project_id for p in ranked} == {"1-(3)-①"}
    assert kb.passages.holding("さわる絵本") == {"4-(1)-④"}
