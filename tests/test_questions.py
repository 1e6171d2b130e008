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
        ("おはよう", ""),
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


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("ブックポストは何か所？", "unit", "か所"),
        ("何台増設した", "unit", "台"),
        ("いつから？", "asks", {"when"}),
        ("なぜ延期？", "asks", {"reason"}),
        ("何語で？", "asks", {"language"}),
        ("どんな工夫", "asks", {"describe"}),
        ("施策はいくつ？", "count_of", "policies"),
        ("基本目標1と2の事業数", "goals", [1, 2]),
        ("bかcの事業", "grades", ["b", "c"]),
        ("電子書籍の目標2倍は達成？", "goals", []),  # 目標 followed by a figure is a target, not a goal
        ("目標3の事業", "goals", [3]),
        ("FY2025の実績", "fy", 2025),
        ("100%を超えた指標", "threshold", ("over", 100.0, "超え")),
        ("達成率90%未満", "threshold", ("under", 90.0, "未満")),
        ("一番達成率が高い", "rank", "high"),
        ("目標を一番大きく下回った", "rank", "low"),
        ("前年度から悪化した", "direction", "down"),
        ("増えた？", "direction", "up"),
        ("目標を達成した？", "yesno", True),
        ("何冊増えた？", "yesno", False),
    ],
)
def test_what_kind_of_answer_is_wanted_is_read_by_rules(text, field, value):
    q = parse_question(text, AS_OF)
    got = getattr(q, field)
    assert (got & value if isinstance(value, set) else got) == value


@pytest.mark.parametrize(
    ("text", "fy", "base"),
    [
        ("去年と比べて電子書籍の貸出はどれくらい増えた？", None, 2024),  # the as-of year against 去年
        ("所蔵資料数は前年度から何冊減った？", None, 2024),
        ("令和6年度は前年度からどれくらい増えた？", 2024, 2023),
        ("令和5年度と令和7年度を比べると", 2025, 2023),
        ("去年の貸出数", 2024, None),
    ],
)
def test_the_base_of_a_comparison_is_not_the_year_asked(text, fy, base):
    q = parse_question(text, AS_OF)
    assert (q.fy, q.fy_base) == (fy, base)


def test_romaji_and_listed_topics_become_searchable_text():
    romaji = parse_question("denshi shoseki no shinchoku", AS_OF)
    assert (romaji.search, romaji.kana) == ("", "でんししょせき")  # kana the analyzer cannot cut: searched whole
    assert parse_question("電子書籍、調べ学習、蔵書の進捗", AS_OF).search == "電子書籍と調べ学習と蔵書"
