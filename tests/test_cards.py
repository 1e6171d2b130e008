"""Every card renders to valid Block Kit within Slack's limits, and nothing typed can ping or link."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from bot.cards import bar, esc, figure, render, to_terminal

# Slack's limits, written out here rather than imported from the code under test.
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_BUDGET = 14_000  # Slack rejects messages past roughly 11–13k characters of block text


def check_slack_limits(messages):
    for m in messages:
        assert m.text and len(m.blocks) <= BLOCKS_PER_MESSAGE
        assert len(json.dumps(m.blocks, ensure_ascii=False)) <= MESSAGE_TEXT_BUDGET
        for block in m.blocks:
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


@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
def test_every_project_card_is_valid_block_kit(kb, compact):
    for p in kb.report.projects:
        messages = render(kb.project_card(p.id), compact=compact)
        check_slack_limits(messages)
        text = all_text(messages)
        assert p.name in text and f"p.{p.page}" in text and p.sheet in text and "令和7年度末時点" in text


@pytest.mark.parametrize(
    "question",
    ["重点事業", "全事業の一覧", "c評価の事業", "目標を下回っている指標は？", "所蔵資料数の推移", "全体のまとめ", "使い方",
     "今日の天気は？", "会議室の予約", "ボランティア", "9-(9)-⑨"],
)  # fmt: skip
def test_every_kind_of_answer_renders_within_slack_limits(kb, question):
    check_slack_limits(render(kb.answer(question)))


def test_the_key_project_card_shows_grade_targets_actuals_and_source(kb):
    text = all_text(render(kb.answer("電子書籍の進捗は？")))
    for fact in ["進捗 a", "後期3年間の目標を上回って達成する見込みである。", "電子書籍貸出数", "目標 35,000件",
                 "実績 46,843件", "133.8%", "目標 10,000冊", "出典: 計画書 p.48 · 別紙2-1 · 令和7年度末時点",
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
    first = {key: next(i for i, s in enumerate(sections) if s.startswith(key)) for key in ("*今後の取組*", "*取組目標")}
    assert first["*今後の取組*"] < first["*取組目標"]


def test_the_list_of_all_projects_fits_one_message(kb):
    messages = render(kb.answer("全事業の一覧"))
    assert len(messages) == 1 and all_text(messages).count("`") == 2 * 43


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
    assert bar(94.4) == "█████████░" and bar(150) == "██████████" and bar(None) == ""
