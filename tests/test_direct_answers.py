"""Every reply opens with a direct answer to what was asked: the figure with its unit, はい/いいえ with
the figures, the change between two years, the count, the sentence quoted from the sheet, or
「記載はありません」 (docs/design.md §3–4). Checked over the real report and next year's variant.
"""

from __future__ import annotations

import re

import pytest

OPENING = 250  # characters of the answer a person reads first (what a reader sees before scrolling)


def opens_with(answer, *facts: str) -> bool:
    opening = answer.direct[:OPENING]
    return all(f in opening for f in facts)


FACTS_FROM_SHEETS = [
    ("ブックポストは区内に何か所ある？", "1-(3)-①", ["22か所です", "区内22か所に設置となり"]),
    ("ブックポストは令和6年度に何台増設した？", "1-(3)-①", ["6台です", "実績(令和6年度)"]),
    ("絵本貸出定期便の登録者数は？", "2-(1)-②", ["1,711人です"]),
    ("宅配の電子申請は月に何件？", "3-(1)-③", ["月に150件程度です"]),
    ("宅配サービスの電子申請、令和6年度は月何件？", "3-(1)-③", ["月に20件程度です"]),
    ("カードレス化はいつから？", "1-(3)-③", ["5月より", "実績(令和6年度)"]),
    ("レファレンスのホームページ受付はいつから？", "3-(2)-②", ["5月から"]),
    ("港南図書館の改修はなぜ延期？", "3-(1)-⑥", ["入札手続き中止により工事が延期"]),
    ("電子書籍の利用意向率は？", "3-(1)-①", ["69.1%です"]),
    ("外国語のおはなし会は何語でやっている？", "2-(2)-①", ["英語です"]),
    ("企業連携ではどんな業種と組んだ？", "4-(2)-⑥", ["飲食業、交通機関、広告代理店"]),
    ("中高生書評合戦ではどんな工夫をした？", "2-(1)-⑤", ["入門講座"]),
    ("業界紙は何冊置いている？", "3-(2)-①", ["約250冊です"]),
    ("パスファインダーはいくつ作った？", "3-(2)-②", ["9つです"]),
    ("ボランティア育成の講座は何回？", "4-(3)-①", ["2回です"]),
    ("カードレス化は始まった？", "1-(3)-③", ["はい。", "カードレス化に対応"]),
]


@pytest.mark.parametrize(("question", "project", "facts"), FACTS_FROM_SHEETS)
def test_a_fact_inside_a_sheet_is_answered_with_the_sentence_it_comes_from(kb, question, project, facts):
    answer = kb.answer(question)
    assert answer.project_ids[:1] == [project]
    assert opens_with(answer, *facts), answer.direct


PARTS_OF_A_SHEET = [
    ("ボランティア育成の今後の取組は？", "4-(3)-①", "ボランティアの技術向上のための講座を実施する。"),
    ("絵本貸出定期便の今後は？", "2-(1)-②", "対象年齢の引き上げの検討を行う。"),
    ("ブックスタートの今後の取組", "2-(1)-①", "引き続き、周知先の拡充を図りつつ、柔軟な対応を行う。"),
    ("電子書籍の課題は？", "3-(1)-①", "利用意向率は69.1%"),
    ("郷土・行政資料の充実の評価は？", "1-(1)-②", "郷土歴史館や地域と連携した取組を実施した。"),
    ("ブックポストの今後", "1-(3)-①", "利用数の推移を把握した上で、新規施設の開設等に応じて増設を検討する。"),
    ("宅配サービスの課題", "3-(1)-③", "電子申請件数が約7.5倍となり、増加した。"),
]


@pytest.mark.parametrize(("question", "project", "quoted"), PARTS_OF_A_SHEET)
def test_a_part_of_a_sheet_is_quoted_in_full(kb, question, project, quoted):
    answer = kb.answer(question)
    assert answer.project_ids == [project] and opens_with(answer, quoted), answer.direct


FIGURES = [
    ("令和5年度の電子書籍所蔵タイトル数は？", ["令和5年度", "6,691冊", "7,500冊", "89.2%"]),
    ("調べ学習講座の令和6年度の実績", ["89回"]),
    ("所蔵資料数の令和7年度の目標は？", ["目標は1,360,000冊", "1,368,052冊"]),
    ("応募作品数の達成率は？", ["103.6%"]),
    ("FY2025の電子書籍貸出数", ["令和7年度", "46,843件"]),
    (
        "応募作品数の推移",
        ["令和5年度 982作品", "令和6年度 1,653作品", "令和7年度 1,398作品", "令和8年度 目標 1,500作品"],
    ),
    ("蔵書満足度は何%？", ["77%", "88%"]),
]


@pytest.mark.parametrize(("question", "facts"), FIGURES)
def test_a_figure_is_answered_with_its_unit_year_target_and_achievement(kb, question, facts):
    assert opens_with(kb.answer(question), *facts), kb.answer(question).direct


YES_NO = [
    ("電子書籍所蔵タイトル数は目標を達成した？", ["いいえ。", "8,548冊", "9,000冊"]),
    ("電子書籍の貸出は目標に届いた？", ["はい。", "46,843件", "35,000件"]),
    ("電子書籍の貸出は増えた？", ["はい。", "45,267件から1,576件増えました"]),
    ("満足度は下がってる？", ["はい。", "78%から1ポイント減りました"]),
    ("調べ学習講座の開催回数は増えた？", ["いいえ。", "89回から21回減りました"]),
    ("調べ学習講座の回数は前の年より多い？", ["いいえ。", "89回から21回減りました"]),
    ("所蔵資料数は増えてる？", ["いいえ。", "14,428冊減りました"]),
]


@pytest.mark.parametrize(("question", "facts"), YES_NO)
def test_yes_no_is_judged_from_the_numbers(kb, question, facts):
    assert opens_with(kb.answer(question), *facts), kb.answer(question).direct


COMPARISONS = [
    # 「去年」 is the year before the as-of year: the as-of year is compared with it.
    ("去年と比べて電子書籍の貸出はどれくらい増えた？", ["46,843件", "45,267件", "1,576件増えました"]),
    ("所蔵資料数は前年度から何冊減った？", ["14,428冊減りました"]),
    ("調べ学習講座の開催回数は去年より何回減った？", ["21回減りました"]),
    ("令和5年度と令和7年度の所蔵資料数を比べると？", ["令和5年度の1,333,888冊から34,164冊増えました"]),
    ("令和5年度から令和7年度で応募作品数はどう変わった？", ["令和5年度の982作品から416作品増えました"]),
    ("電子書籍貸出数は2年前と比べてどれくらい増えた？", ["令和5年度の24,190件から22,653件増えました"]),
    (
        "令和6年度の電子書籍貸出数は前年度からどれくらい増えた？",
        ["令和6年度の電子書籍貸出数は45,267件", "21,077件増えました"],
    ),
]


@pytest.mark.parametrize(("question", "facts"), COMPARISONS)
def test_comparisons_read_the_right_years(kb, question, facts):
    assert opens_with(kb.answer(question), *facts), kb.answer(question).direct


ACROSS_INDICATORS = [
    ("一番達成率が高い指標は？", ["電子書籍貸出数", "133.8%"]),
    ("目標を一番大きく上回った指標は？", ["電子書籍貸出数"]),
    ("一番達成率が低い指標は？", ["蔵書に満足している利用者の割合", "87.5%"]),
    ("前年度から悪化した指標は？", ["4件", "所蔵資料数", "調べ学習講座開催回数"]),
    ("前年度より改善した指標は？", ["2件", "電子書籍所蔵タイトル数", "電子書籍貸出数"]),
    ("100%を超えた指標は？", ["3件", "所蔵資料数", "電子書籍貸出数", "応募作品数"]),
    ("達成率90%未満の指標", ["1件", "蔵書に満足している利用者の割合"]),
    ("達成率80%以上の指標", ["80%以上の指標は6件"]),
    ("最も実績が伸びた指標は？", ["電子書籍所蔵タイトル数", "+8.4%"]),
    ("目標を下回っている指標は？", ["3件", "蔵書に満足", "電子書籍所蔵タイトル数", "調べ学習講座開催回数"]),
    ("重点事業のうち目標を下回っているのは？", ["3件", "蔵書に満足"]),
]


@pytest.mark.parametrize(("question", "facts"), ACROSS_INDICATORS)
def test_rankings_changes_and_thresholds_are_computed(kb, question, facts):
    answer = kb.answer(question)
    assert answer.intent == "indicator" and opens_with(answer, *facts), answer.direct


COUNTS = [
    ("施策はいくつ？", "施策は11です"),
    ("基本目標はいくつ？", "基本目標は4つです"),
    ("基本目標3の事業はいくつ？", "12事業"),
    ("基本目標1と2の事業数", "基本目標1は9事業、基本目標2は10事業で、合わせて19事業です"),
    ("重点事業はいくつ？", "3事業"),
    ("指標はいくつ？", "指標は6です"),
    ("目標を下回った指標の数", "目標を下回っている指標は3件です"),
]


@pytest.mark.parametrize(("question", "opening"), COUNTS)
def test_counts_are_answered_with_the_number(kb, question, opening):
    assert opens_with(kb.answer(question), opening), kb.answer(question).direct


TOPICS = [
    ("電子書籍とブックスタートの進捗", ["3-(1)-①", "2-(1)-①"]),
    ("ブックスタートと絵本貸出定期便の進捗", ["2-(1)-①", "2-(1)-②"]),
    ("電子書籍、調べ学習、蔵書の進捗", ["3-(1)-①", "4-(1)-②", "1-(1)-④"]),
]


@pytest.mark.parametrize(("question", "projects"), TOPICS)
def test_two_or_three_topics_are_answered_together(kb, question, projects):
    answer = kb.answer(question)
    assert answer.project_ids == projects
    assert [t.project_ids for t in answer.topics] == [[p] for p in projects]
    assert all(p in answer.direct for p in projects)


@pytest.mark.parametrize(
    "question",
    ["郷土歴史館との連携", "大学図書館とのネットワーク", "企業と連携した講座", "外国語資料の収集と活用"],
)
def test_a_with_or_an_and_inside_one_projects_words_is_one_topic(kb, question):
    assert len(kb.answer(question).projects) == 1


OR_FILTERS = [
    ("bかcの事業は？", ["1-(1)-④"]),
    ("aとbの事業", ["1-(1)-④", "3-(1)-①", "4-(1)-②"]),
    ("重点事業と新規事業の一覧", ["1-(1)-④", "1-(3)-③", "2-(1)-②", "3-(1)-①", "4-(1)-②"]),
]


@pytest.mark.parametrize(("question", "projects"), OR_FILTERS)
def test_and_or_in_filters_mean_either(kb, question, projects):
    assert kb.answer(question).project_ids == projects


UNANSWERABLE = [
    ("図書館の予算はいくら？", "「図書館の予算」"),
    ("移動図書館はある？", "「移動図書館」"),
    ("図書館の貸出冊数の合計は？", "「図書館の貸出冊数の合計」"),
    ("電子書籍の予算は？", "「電子書籍の予算」"),
    ("令和4年度の電子書籍貸出数は？", "令和4年度の電子書籍貸出数"),
    ("令和2年度の実績は？", "令和2年度"),
    ("令和9年度の電子書籍貸出数", "令和9年度"),
    ("ブックスタートの令和5年度の実績", "令和5年度"),
]


@pytest.mark.parametrize(("question", "named"), UNANSWERABLE)
def test_what_the_report_does_not_hold_is_said_plainly(kb, question, named):
    answer = kb.answer(question)
    assert "記載はありません" in answer.direct[:OPENING] and named in answer.direct, answer.direct
    assert answer.intent in ("not_found", "project")  # a missing year still shows the project it is about


@pytest.mark.parametrize("question", ["ランチのおすすめ", "おすすめの映画ある？", "館長は誰？"])
def test_chat_gets_the_help_reply_and_no_project(kb, question):
    answer = kb.answer(question)
    assert answer.intent == "help" and answer.project_ids == [] and "記載はありません" in answer.direct


@pytest.mark.parametrize(
    ("question", "project"),
    [
        ("さわる絵本", "4-(1)-④"),
        ("大学図書館とのネットワーク", "4-(2)-①"),
        ("ぶっくぽすと", "1-(3)-①"),
        ("YAコーナー", "2-(1)-⑦"),
        ("denshi shoseki no shinchoku", "3-(1)-①"),
    ],
)
def test_an_exact_phrase_in_a_sheet_outranks_a_word_of_another_name(kb, question, project):
    assert kb.answer(question).project_ids == [project]


def test_a_bare_topic_keeps_its_card_with_a_one_line_status(kb):
    answer = kb.answer("電子書籍")
    assert answer.intent == "project" and answer.project_ids == ["3-(1)-①"]
    assert (
        answer.direct
        == "3-(1)-① 電子書籍サービスの活用は進捗 a（後期3年間の目標を上回って達成する見込みである）です（令和7年度末時点）。"
        "令和7年度の電子書籍貸出数は46,843件です（目標 35,000件、達成率 133.8%）。"
    )


def test_every_answer_has_a_direct_answer(kb):
    for q in ["電子書籍", "重点事業", "全体のまとめ", "使い方", "", "3-(1)-①", "会議室の予約", "9-(9)-⑨"]:
        assert kb.answer(q).direct.strip(), q


def test_quoted_sentences_are_verbatim(kb):
    answer = kb.answer("港南図書館の改修はなぜ延期？")
    quoted = re.search(r"に「(.+)」とあります", answer.direct).group(1)
    cells = [e.text for p in kb.report.projects for e in p.entries]
    assert any(quoted in cell for cell in cells)


NEXT_YEAR = [
    (
        "電子書籍の貸出は去年と比べてどれくらい増えた？",
        ["令和8年度の電子書籍貸出数は48,000件", "令和7年度の46,843件から1,157件増えました"],
    ),
    ("今年度の電子書籍貸出数", ["令和8年度", "48,000件", "40,000件", "120.0%"]),
    ("電子書籍の進捗", ["進捗 b"]),
    ("令和9年度の電子書籍貸出数", ["記載はありません"]),
    ("一番達成率が高い指標は？", ["令和8年度"]),
]


@pytest.mark.parametrize(("question", "facts"), NEXT_YEAR)
def test_next_years_report_is_answered_with_its_own_figures(kb_next, question, facts):
    assert opens_with(kb_next.answer(question), *facts), kb_next.answer(question).direct
