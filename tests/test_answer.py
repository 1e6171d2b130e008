"""Questions staff ask, in their own words, get the right answer: a table of question → answer."""

from __future__ import annotations

import pytest

from knowledge.answer import INTENTS

PROJECT = [
    # plain words, synonyms, kana, typos, ids
    ("電子書籍の進捗は？", "3-(1)-①"),
    ("電子本の貸出はどうなってる？", "3-(1)-①"),
    ("eブックの状況を教えてください", "3-(1)-①"),
    ("でんししょせき", "3-(1)-①"),
    ("電子書跡", "3-(1)-①"),
    ("ブックスタト", "2-(1)-①"),
    ("ぶっくすたーと", "2-(1)-①"),
    ("3-1-①の進捗", "3-(1)-①"),
    ("４－（２）－⑥", "4-(2)-⑥"),
    ("蔵書の状況", "1-(1)-④"),
    ("返却ポストを増やした件", "1-(3)-①"),
    ("リファレンスの充実", "3-(2)-②"),
    ("スマホで貸出", "1-(3)-③"),
    ("ｽﾏｰﾄﾌｫﾝ", "1-(3)-③"),
    ("こどもの居場所", "2-(1)-⑦"),
    ("視覚障害者への支援", "3-(1)-④"),
    ("障害のある子どもの読書支援", "4-(1)-④"),
    ("手話おはなし会", "3-(1)-⑥"),
    ("郷土歴史館との連携", "4-(2)-③"),
    ("幼稚園への支援", "4-(2)-②"),
    ("英語のおはなし会", "2-(2)-①"),
    ("シンガポール", "4-(2)-⑤"),
    ("業界紙", "3-(2)-①"),
    ("港南図書館の改修", "3-(1)-⑥"),
    ("福祉施設への団体貸出", "3-(1)-⑤"),
    ("SNSでの発信", "3-(3)-②"),
]


@pytest.mark.parametrize(("question", "project"), PROJECT)
def test_a_question_about_a_project_gets_its_card(kb, question, project):
    answer = kb.answer(question)
    assert (answer.intent, answer.project_ids) == ("project", [project])


LISTS = [
    ("重点事業", ["1-(1)-④", "3-(1)-①", "4-(1)-②"]),
    ("進捗がaの事業は？", ["3-(1)-①", "4-(1)-②"]),
    ("b評価の事業", ["1-(1)-④"]),
    ("c評価の事業は？", []),
    ("新規の事業", ["1-(3)-③", "2-(1)-②"]),
    ("施策2-(2)の事業", ["2-(2)-①", "2-(2)-②"]),
    ("計画書49ページ", ["3-(1)-③", "3-(1)-④", "3-(1)-⑤", "3-(1)-⑥"]),
    ("別紙2-2", ["4-(1)-②"]),
    ("3-1-1と3-1-2", ["3-(1)-①", "3-(1)-②"]),
]


@pytest.mark.parametrize(("question", "projects"), LISTS)
def test_a_filter_gets_a_list_of_exactly_those_projects(kb, question, projects):
    answer = kb.answer(question)
    assert (answer.intent, answer.project_ids) == ("list", projects)


def test_an_empty_list_says_so_plainly(kb):
    assert kb.answer("c評価の事業").note == "c評価の事業はありません。"


def test_every_project_of_a_goal_is_listed(kb):
    assert len(kb.answer("基本目標4の事業").projects) == 12
    assert len(kb.answer("全事業の一覧").projects) == 43


INDICATORS = [
    ("令和7年度の電子書籍貸出数", "3-(1)-①", ["電子書籍貸出数"], 2025, ("35,000", "46,843")),
    ("R6の電子書籍貸出数", "3-(1)-①", ["電子書籍貸出数"], 2024, ("30,000", "45,267")),
    ("令和5年度の所蔵資料数", "1-(1)-④", ["所蔵資料数"], 2023, ("1,330,000", "1,333,888")),
    ("調べ学習講座の達成率", "4-(1)-②", ["調べ学習講座開催回数"], 2025, ("72", "68")),
    ("調べる学習コンクールの応募作品数", "4-(1)-②", ["「港区図書館を使った調べる学習コンクール」応募作品数"], 2025,
     ("1,350", "1,398")),
]  # fmt: skip


@pytest.mark.parametrize(("question", "project", "names", "fy", "figures"), INDICATORS)
def test_a_question_naming_an_indicator_gets_its_figures(kb, question, project, names, fy, figures):
    answer = kb.answer(question)
    assert (answer.intent, answer.project_ids) == ("indicator", [project])
    assert [s.indicator.name for s in answer.indicators] == names
    assert (answer.indicators[0].value.fy, answer.indicators[0].value.plan, answer.indicators[0].value.actual) == (
        fy,
        *figures,
    )


def test_below_target_is_computed_from_the_numbers(kb):
    answer = kb.answer("目標を下回っている指標は？")
    assert [s.indicator.name for s in answer.indicators] == [
        "蔵書に満足している利用者の割合",
        "電子書籍所蔵タイトル数",
        "調べ学習講座開催回数",
    ]
    assert [s.achievement for s in answer.indicators] == [87.5, 95.0, 94.4]
    above = kb.answer("目標を上回っている指標")
    assert {s.indicator.name for s in above.indicators} == {
        "所蔵資料数",
        "電子書籍貸出数",
        "「港区図書館を使った調べる学習コンクール」応募作品数",
    }


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("全体のまとめ", "summary"),
        ("使い方", "help"),
        ("", "help"),
        ("   ", "help"),
        ("今日の天気は？", "help"),  # chat, not a question about the plan: how to ask
        ("おはよう", "help"),
        ("ラーメンのおいしい店", "help"),
        ("会議室の予約", "not_found"),
        ("9-(9)-⑨", "not_found"),
    ],
)
def test_other_questions_get_the_right_kind_of_answer(kb, question, intent):
    answer = kb.answer(question)
    assert answer.intent == intent
    if intent in ("help", "not_found"):
        assert answer.project_ids == []


def test_not_found_offers_close_projects(kb):
    answer = kb.answer("会議室の予約")
    assert answer.candidate_ids == ["1-(3)-②"]


def test_close_runners_up_are_offered_as_candidates(kb):
    answer = kb.answer("ボランティア")
    assert answer.project_ids == ["4-(3)-①"] and "4-(3)-②" in answer.candidate_ids


HOSTILE = [
    "<!channel> 電子書籍",
    "<!here|here> ブックポスト",
    "<https://evil.example|ここをクリック> 電子書籍",
    "電子書籍" * 1250,  # 5,000 characters
    "'; drop table projects; --",
    '"電子" OR 1=1 NEAR(a b) *',
    "📚📚 電子書籍 🎉",
    "\u202e電子書籍\u202c",
    "电子书籍的进展如何",
    "\x00\x01\x02",
    "ー－―‐",
    "(((((",
]


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_questions_are_answered_without_error(kb, question):
    assert kb.answer(question).intent in INTENTS
