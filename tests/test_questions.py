"""The question reader turns every spelling staff use into the same structured question."""

from __future__ import annotations

import pytest

from knowledge.questions import expand_synonyms, parse_question

AS_OF = 2025


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("3-(1)-①", ["3-(1)-①"]),
        ("3-1-1", ["3-(1)-①"]),
        ("３－（１）－①", ["3-(1)-①"]),
        ("３ー１ー１の進捗", ["3-(1)-①"]),
        ("3(1)①", ["3-(1)-①"]),
        ("事業3-1-1", ["3-(1)-①"]),
        ("3‐1‐①", ["3-(1)-①"]),
        ("<@U123ABC> 2-1-2 は？", ["2-(1)-②"]),
        ("2025年度の実績", []),
        ("1,368,052冊", []),
    ],
)
def test_project_ids_are_read_in_every_spelling(text, ids):
    assert parse_question(text, AS_OF).project_ids == ids


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("令和7年度の実績", 2025),
        ("R6の実績", 2024),
        ("r5", 2023),
        ("2024年度", 2024),
        ("今年度の実績", 2025),
        ("昨年度", 2024),
        ("来年度の目標", 2026),
        ("令和元年度", 2019),
    ],
)
def test_fiscal_years_are_read_relative_to_the_reports_as_of(text, fy):
    assert parse_question(text, AS_OF).fy == fy


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("進捗がaの事業は？", "grades", ["a"]),
        ("a評価", "grades", ["a"]),
        ("評価がbの事業", "grades", ["b"]),
        ("重点事業", "key", True),
        ("新規の事業", "new", True),
        ("基本目標3の事業", "goals", [3]),
        ("施策1-(3)", "policy", "1-(3)"),
        ("施策3-2", "policy", "3-(2)"),
        ("計画書49ページ", "page", 49),
        ("p.53", "page", 53),
        ("別紙2-1", "sheet", "別紙2-1"),
        ("参考資料-3", "sheet", "参考資料-3"),
        ("参考資料3の事業", "sheet", "参考資料-3"),
        ("全体のまとめ", "summary", True),
        ("使い方", "help", True),
        ("", "help", True),
    ],
)
def test_structured_words_are_read_by_rules(text, field, value):
    assert getattr(parse_question(text, AS_OF), field) == value


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("電子書籍の実績", {"actual"}),
        ("所蔵資料数の推移", {"trend"}),
        ("調べ学習講座の達成率", {"achievement"}),
        ("目標を下回っている指標は？", {"plan", "below"}),
        ("未達の指標", {"below"}),
        ("上回っている指標", {"above"}),
        ("ブックスタートの今後の取組", {"next_steps"}),
        ("宅配の課題", {"issues"}),
    ],
)
def test_indicator_and_part_words_are_read(text, parts):
    assert parse_question(text, AS_OF).parts == parts


@pytest.mark.parametrize(
    ("text", "search"),
    [
        ("電子書籍の進捗を教えてください", "電子書籍"),
        ("ｽﾏｰﾄﾌｫﾝ", "スマートフォン"),
        ("<@U123> ブックポストはどうなってる？", "ブックポスト"),
        ("<https://example.com|ブックポスト>", "ブックポスト"),
        ("おはよう", "おはよう"),
        ("進捗は？", ""),
    ],
)
def test_politeness_and_slack_markup_are_not_searched(text, search):
    assert parse_question(text, AS_OF).search == search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("電子本", "電子書籍"),
        ("ebook", "電子書籍"),
        ("スマホ", "スマートフォン"),
        ("リファレンス", "レファレンス"),
        ("蔵書", "所蔵資料"),
        ("子供の本", "子ども"),
        ("こども", "児童"),  # two steps: こども → 子ども → 児童
    ],
)
def test_staff_vocabulary_expands_to_the_reports_words(text, expected):
    assert expected in expand_synonyms(text)


def test_latin_synonyms_match_whole_words_only():
    assert "SNS" not in expand_synonyms("online")
    assert "SNS" in expand_synonyms("x で発信")
