"""Follow-ups borrow the conversation's topic; a new topic switches; nothing leaks between conversations."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.conversation import Conversations
from bot.state import StateStore


@pytest.fixture
def talk(kb, tmp_path):
    store = StateStore(tmp_path / "state.db")
    conversations = Conversations(kb, store)
    yield conversations
    store.close()


def run(talk, key, turns):
    return [talk.ask(key, q) for q in turns]


TALKS = [
    # (turns, what the last answer is about, what it opens with)
    (["電子書籍の進捗は？", "去年は？"], ["3-(1)-①"], ["45,267件", "7,885冊"]),
    (["電子書籍の進捗は？", "令和5年度は？"], ["3-(1)-①"], ["24,190件", "6,691冊"]),
    (["宅配サービス", "課題は？"], ["3-(1)-③"], ["約7.5倍"]),
    (["ブックポストの状況", "今後は？"], ["1-(3)-①"], ["増設を検討する"]),
    (["調べ学習の支援", "目標は何回？"], ["4-(1)-②"], ["72回"]),
    (["調べ学習の支援", "コンクールの応募作品数は？", "目標は？"], ["4-(1)-②"], ["1,350作品"]),
    (["港南図書館の改修", "理由は？"], ["3-(1)-⑥"], ["入札手続き中止"]),
    (["重点事業は？", "そのうちa評価は？"], ["3-(1)-①", "4-(1)-②"], ["2事業"]),
    (["あらゆる人の学びを支える資料の収集", "その満足度の実績は？"], ["1-(1)-④"], ["77%"]),
    (["電子書籍の進捗", "じゃあ1-(1)-④は？", "去年は？"], ["1-(1)-④"], ["1,382,480冊"]),
    (["電子書籍", "ブックスタートは？", "今後の取組は？"], ["2-(1)-①"], ["周知先の拡充"]),
    (["電子書籍の進捗は？", "ところで予算は？"], [], ["記載はありません"]),
    (["ブックポスト", "今日の天気は？", "今後は？"], ["1-(3)-①"], ["増設を検討"]),
    (["調べ学習", "講座の回数は？"], ["4-(1)-②"], ["68回"]),
    (["調べ学習の支援", "応募作品数は？", "一番多かったのはいつ？"], ["4-(1)-②"], ["令和6年度の1,653作品"]),
    (["絵本貸出定期便の登録者数は？", "始まったのはいつ？"], ["2-(1)-②"], ["6月より"]),
    (["ブックポスト", "何台増えた？"], ["1-(3)-①"], ["2台です"]),  # the latest year, when none is named
    # A word of the topic's own sheet keeps the topic; most of another project's name switches.
    (["絵本貸出定期便", "対象は？"], ["2-(1)-②"], ["対象年齢"]),
    (["国際理解の取組", "大使館との連携は？"], ["4-(2)-⑤"], []),
    # A brief reshaped keeps its topic; a list narrowed to one is about that one.
    (["ブックスタートの状況をまとめて", "もっと短く一言で"], ["2-(1)-①"], []),
    (["重点事業を一覧で", "それを数字入りの箇条書きで"], ["1-(1)-④", "3-(1)-①", "4-(1)-②"], ["46,843件"]),
    (["重点事業は？", "そのうちb評価のものを詳しく"], ["1-(1)-④"], ["進捗 b"]),
    # The rest of a list, by setting aside what the words name or the one in hand; the same thing asked.
    (["新規事業はどれ？", "ICTじゃない方の今後は？"], ["2-(1)-②"], ["対象年齢"]),
    (["新規事業はどれ？", "ICTの方の課題は？", "もう一つの方は？"], ["2-(1)-②"], ["1,711人"]),
    # The whole list in hand: 「もう一つ」 is the rest of the part of the plan it was picked from.
    (["重点事業のうちa評価の事業は？", "もう一つのほうは？"], ["1-(1)-④"], ["進捗 b"]),
    (
        ["施策「社会教育施設等との連携の推進」の①と②は？", "残りの事業は？"],
        ["4-(2)-③", "4-(2)-④", "4-(2)-⑤", "4-(2)-⑥"],
        [],
    ),
    # A count in a counter of what the topic's sheet counts continues it (「増設台数」: 増設, in 台).
    (["ブックポストの状況", "令和6年度の増設台数は？"], ["1-(3)-①"], ["6台"]),
]


@pytest.mark.parametrize(("turns", "projects", "facts"), TALKS)
def test_a_follow_up_is_answered_about_the_conversations_topic(talk, turns, projects, facts):
    last = run(talk, "t", turns)[-1]
    assert last.project_ids == projects
    assert all(f in last.direct[:250] for f in facts), last.direct


def test_a_list_follow_up_stays_within_the_list(talk):
    *_, last = run(talk, "t", ["重点事業は？", "その中で目標を下回っている指標は？"])
    names = [s.indicator.name for s in last.indicators]
    assert names == ["蔵書に満足している利用者の割合", "電子書籍所蔵タイトル数", "調べ学習講座開催回数"]


def test_a_follow_up_in_another_conversation_borrows_nothing(talk):
    talk.ask("thread-1", "電子書籍の進捗は？")
    assert talk.ask("thread-2", "去年は？").project_ids == []
    assert talk.ask("dm:D-other-person", "今後は？").project_ids == []
    assert talk.ask("thread-1", "去年は？").project_ids == ["3-(1)-①"]


def test_the_cli_continues_a_conversation_across_calls(tmp_path, db_path):
    env = {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(tmp_path / "state.db"), "PATH": ""}
    planbot = [sys.executable, "-m", "bot.cli", "ask", "--json", "--thread", "meeting"]
    batch = tmp_path / "turns.txt"
    batch.write_text("電子書籍の進捗は？\n令和5年度は？\n", encoding="utf-8")
    out = subprocess.run([*planbot, "--batch", str(batch)], env=env, capture_output=True, text=True, check=True)
    first, second = [json.loads(line) for line in out.stdout.splitlines()]
    assert first["projects"] == second["projects"] == ["3-(1)-①"] and "24,190件" in second["answer"]
    later = subprocess.run([*planbot, "今後は？"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(later.stdout)["projects"] == ["3-(1)-①"]
    alone = subprocess.run([*planbot[:-2], "今後は？"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(alone.stdout)["projects"] == []


def test_a_follow_up_reshaping_the_last_answer_keeps_the_column_it_asked_for(talk):
    *_, last = run(talk, "t", ["宅配サービスの状況", "今後の取組は？", "それを答弁用に"])
    assert last.project_ids == ["3-(1)-③"] and last.brief is not None
    assert last.brief.lines and last.brief.lines[0].kind == "next_steps"


def test_others_of_a_group_after_one_of_them_are_the_rest_of_that_group(talk):
    *_, last = run(talk, "t", ["絵本貸出定期便の登録者数は？", "ほかに新規の事業は？"])
    new = [p.id for p in talk.kb.report.projects if p.is_new and p.id != "2-(1)-②"]
    assert last.project_ids == new
