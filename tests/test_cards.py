"""Every card renders to valid Block Kit within Slack's limits, and nothing typed can ping or link."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from bot.cards import bar, esc, figure, render, to_terminal

# Slack's limits, written out here rather than imported from the code under test.
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_BUDGET = 14_000  # Slack rejects messages past roughly 11–13k characters of block text
TABLES_PER_MESSAGE = 1
TABLE_ROWS, TABLE_CELLS = 100, 20
CHART_TITLE, CHART_SERIES, CHART_LABEL = 50, 6, 20
CHART_TYPES = {"line", "bar", "area", "pie"}


def check_table(block):
    rows = block["rows"]
    assert 1 <= len(rows) <= TABLE_ROWS and len(block.get("column_settings", [])) <= TABLE_CELLS
    assert len({len(r) for r in rows}) == 1 and len(rows[0]) <= TABLE_CELLS  # every row as wide as the header
    assert all(c["type"] == "raw_text" and c["text"] for r in rows for c in r)


def check_chart(block):
    chart = block["chart"]
    assert 0 < len(block["title"]) <= CHART_TITLE and chart["type"] in CHART_TYPES
    categories = chart["axis_config"]["categories"]
    assert 1 <= len(chart["series"]) <= CHART_SERIES and len({s["name"] for s in chart["series"]}) == len(
        chart["series"]
    )
    assert all(len(c) <= CHART_LABEL for c in categories)
    for series in chart["series"]:
        assert [p["label"] for p in series["data"]] == categories  # one point per category, in order
        assert all(isinstance(p["value"], int | float) for p in series["data"])


NATIVE_DATA = {"table": check_table, "data_visualization": check_chart}


def check_slack_limits(messages):
    for m in messages:
        assert m.text and len(m.blocks) <= BLOCKS_PER_MESSAGE
        assert len(json.dumps(m.blocks, ensure_ascii=False)) <= MESSAGE_TEXT_BUDGET
        assert sum(b["type"] == "table" for b in m.blocks) <= TABLES_PER_MESSAGE
        for block in m.blocks:
            # Slack's data blocks are checked here (older slack_sdk releases have no classes for them).
            if block["type"] in NATIVE_DATA:
                NATIVE_DATA[block["type"]](block)
            else:
                assert Block.parse(block).to_dict() == block  # slack_sdk validates field limits on to_dict()
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "actions":
                assert len(block["elements"]) <= 25
                assert len({e["action_id"] for e in block["elements"]}) == len(block["elements"])


def all_text(messages) -> str:
    return json.dumps([m.blocks for m in messages], ensure_ascii=False) + " ".join(m.text for m in messages)


@pytest.mark.parametrize("report", ["kb", "kb_next"], ids=["this year", "next year"])
@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
def test_every_project_card_is_valid_block_kit(request, report, compact):
    kb = request.getfixturevalue(report)
    for p in kb.report.projects:
        messages = render(kb.project_card(p.id), compact=compact)
        check_slack_limits(messages)
        text = all_text(messages)
        assert p.name in text and f"p.{p.page}" in text and p.sheet in text and f"{kb.report.as_of}時点" in text
        assert any(b["type"] == "table" for m in messages for b in m.blocks) == bool(p.indicators)


@pytest.mark.parametrize("report", ["kb", "kb_next"], ids=["this year", "next year"])
def test_every_indicators_trend_has_its_table_and_a_chart_within_slacks_limits(request, report):
    kb = request.getfixturevalue(report)
    for p in kb.report.projects:
        if not p.indicators:
            continue
        messages = render(kb.trend(p.id))
        check_slack_limits(messages)
        charts = [b for m in messages for b in m.blocks if b["type"] == "data_visualization"]
        assert [c["title"] for c in charts] == [f"{p.id} {i.name}" for i in p.indicators]
        assert [s["name"] for s in charts[0]["chart"]["series"]] == ["目標", "実績"]


@pytest.mark.parametrize(
    ("question", "rows"),
    [("電子書籍の進捗は？", 9), ("目標を下回っている指標は？", 13), ("所蔵資料数の推移", 5)],
)
def test_target_vs_actual_is_one_table_with_a_row_per_year(kb, question, rows):
    [table] = [b for m in render(kb.answer(question)) for b in m.blocks if b["type"] == "table"]
    cells = [[c["text"] for c in row] for row in table["rows"]]
    assert cells[0] == ["指標", "年度", "目標", "実績", "達成率"] and len(cells) == rows


@pytest.mark.parametrize(
    "question",
    ["重点事業", "全事業の一覧", "c評価の事業", "目標を下回っている指標は？", "所蔵資料数の推移", "全体のまとめ", "使い方",
     "今日の天気は？", "会議室の予約", "ボランティア", "9-(9)-⑨"],
)  # fmt: skip
def test_every_kind_of_answer_renders_within_slack_limits(kb, question):
    check_slack_limits(render(kb.answer(question)))


def test_the_key_project_card_shows_grade_targets_actuals_and_source(kb):
    text = all_text(render(kb.answer("電子書籍の進捗は？")))
    for fact in ["進捗 a", "後期3年間の目標を上回って達成する見込みである。", "電子書籍貸出数", '"35,000件"',
                 '"46,843件"', "133.8%", '"10,000冊"', "出典: 計画書 p.48 · 別紙2-1 · 令和7年度末時点",
                 "事業の課題や改善が必要な事項"]:  # fmt: skip
        assert fact in text, fact


def test_a_narrative_project_card_shows_actuals_per_year_evaluation_and_next_steps(kb):
    text = all_text(render(kb.answer("ブックポスト")))
    for fact in ["実績(令和6年度)", "区有施設にブックポストを6台増設した。", "実績(令和7年度)", "令和7年度の評価と事業の課題",
                 "今後の取組", "区内22か所に設置となり", "参考資料-1"]:  # fmt: skip
        assert fact in text, fact


def test_a_question_about_one_part_leads_with_it(kb):
    blocks = render(kb.answer("調べ学習の今後の取組"))[0].blocks
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    first = {key: next(i for i, s in enumerate(sections) if s.startswith(key)) for key in ("*今後の取組*", "*指標*")}
    assert first["*今後の取組*"] < first["*指標*"]


def test_the_list_of_all_projects_fits_one_message(kb):
    messages = render(kb.answer("全事業の一覧"))
    [table] = [b for b in messages[0].blocks if b["type"] == "table"]
    assert len(messages) == 1 and [r[0]["text"] for r in table["rows"][1:]] == [p.id for p in kb.report.projects]


def test_the_summary_has_the_count_the_grades_and_what_is_behind(kb):
    text = all_text(render(kb.answer("全体のまとめ")))
    assert "43事業" in text and "a* 2事業" in text and "目標を下回っている指標* 3件" in text


@pytest.mark.parametrize(
    "question", ["<!channel> 電子書籍", "<!here> 会議室", "<@U123> <https://evil.example|押して> 天気", "a & b <c>"]
)
def test_text_a_person_typed_cannot_ping_or_link(kb, question):
    text = all_text(render(kb.answer(question)))
    for raw in ["<!channel>", "<!here>", "<https://", "<@U123>", "<c>"]:
        assert raw not in text


def test_a_5000_character_question_is_echoed_short(kb):
    messages = render(kb.answer("天気" * 2500))
    check_slack_limits(messages)
    assert len(all_text(messages)) < 3000


def test_terminal_rendering_is_readable(kb):
    out = to_terminal(render(kb.answer("電子書籍の進捗は？")))
    answer, card = out.split("\n\n■ ", 1)
    assert (
        answer
        == "3-(1)-① 電子書籍サービスの活用は進捗 a（後期3年間の目標を上回って達成する見込みである）です（令和7年度末時点）。"
        "令和7年度の電子書籍貸出数は46,843件です（目標 35,000件、達成率 133.8%）。"
    )
    assert card.startswith("3-(1)-① 電子書籍サービスの活用")
    assert "*" not in out and "&lt;" not in out


@pytest.mark.parametrize(
    ("raw", "unit", "shown"),
    [("1,368,052", "冊", "1,368,052冊"), ("77%", "%", "77%"), ("", "件", "—"), ("68", "", "68")],
)
def test_figures_keep_their_units(raw, unit, shown):
    assert figure(raw, unit) == shown


def test_small_helpers():
    assert esc("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert bar(94.4) == "█████████░" and bar(100) == "██████████" and bar(150) == "██████████▶" and bar(None) == ""


@pytest.mark.parametrize(
    ("rate", "bar_shown"),
    [(95.0, "█████████░"), (99.9, "█████████░"), (100.0, "██████████"), (133.8, "██████████▶"), (0, "░░░░░░░░░░")],
)
def test_the_terminal_bar_tells_95_percent_from_100_and_from_134(rate, bar_shown):
    assert bar(rate) == bar_shown


def test_the_terminal_shows_tables_with_bars_emoji_not_shortcodes_and_no_dead_buttons(kb):
    out = to_terminal(render(kb.answer("電子書籍の進捗は？")))
    assert "🟢 進捗 a" in out and ":large_green_circle:" not in out
    assert "46,843件  133.8%  ██████████▶" in out and "8,548冊     95%  █████████░" in out
    assert "[詳細]" not in out and "詳細" not in out.split("出典")[-1]


def test_the_terminal_keeps_did_you_mean_projects_as_text(kb):
    answer = kb.answer("ボランティア")
    out = to_terminal(render(answer))
    assert answer.candidate_ids and all(c in out for c in answer.candidate_ids)


def test_in_modals_and_home_the_data_blocks_become_text_with_the_same_figures(kb):
    from bot.cards import for_views

    blocks = [b for m in render(kb.trend("3-(1)-①")) for b in m.blocks]
    shown = for_views(blocks)
    assert {b["type"] for b in shown}.isdisjoint({"table", "data_visualization"}) and len(shown) == len(blocks)
    text = json.dumps(shown, ensure_ascii=False)
    assert "46,843件" in text and "133.8%" in text and "実績: 24,190 → 45,267 → 46,843" in text
    for block in shown:
        assert Block.parse(block).to_dict() == block
