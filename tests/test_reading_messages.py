"""Reading whole messages the way staff write them: the story around a question, several questions in one
message, a topic said in the sentence before, a year that dates the asker's own doings, words spelled
half in kana. Each case is answered over the real report; the tables guard the mechanisms, not phrasings.
"""

from __future__ import annotations

import pytest

from knowledge.questions import parse_question

AS_OF = 2025
OPENING = 250


def opening(answer) -> str:
    return answer.direct[:OPENING]


# -- several questions in one message --------------------------------------------------------------

SEVERAL = [
    # a later sentence asks a second thing of the same project
    ("電子書籍の貸出数は？それと所蔵タイトル数の目標は？", ["46,843件", "9,000冊"]),
    # a connective inside one sentence opens the second question
    ("所蔵資料数の令和7年度の実績と計画の差、それから減った理由もお願いします", ["8,052冊", "除籍"]),
    # two question words split one sentence into two questions
    ("ブックポストはいま何か所あって、令和6年度には何台増やした？", ["22か所", "6台"]),
]


@pytest.mark.parametrize(("question", "facts"), SEVERAL)
def test_each_question_of_a_message_is_answered(kb, question, facts):
    direct = kb.answer(question).direct
    assert all(f in direct for f in facts), direct


def test_a_second_answer_adds_the_projects_it_speaks_of_to_the_card(kb):
    a = kb.answer("企業連携ではどんな業種と組んだ？あと大使館との連携は今年何をした？")
    ids = [p.id for p in a.projects]
    assert "4-(2)-⑥" in ids and "4-(2)-⑤" in ids


def test_a_message_with_one_question_is_answered_once(kb):
    a = kb.answer("電子書籍の貸出数は？")
    assert a.direct.count("46,843") == 1


# -- the story around the question ------------------------------------------------------------------

STORY = [
    # a year that dates the asker's own doings is not the year asked
    ("絵本貸出定期便の登録者数は？去年の係会で紹介した件です", "1,711人"),
    # a topic said in the sentence before goes on into a question that marks none of its own
    ("ブックポストの件で確認です。いま区内に何か所？", "22か所"),
    # a question of generic words asks whether the report holds what was said before
    ("区内全館の来館者数を知りたいです。報告書に載っていますか？", "記載はありません"),
    # a sentence before the one that asks, that asks nothing itself, is the story
    ("いま打合せ中。電子書籍の貸出数、今年度の実績だけ教えて", "46,843"),
    # a reason said on the side that names a meeting never refuses
    ("来週の館長会で電子書籍の話をするので、進捗を一言で", "46,843"),
    # what the asker was told (passive) is the story, the topic is the rest
    ("議員に指摘されたのですが、調べる学習コンクールの私立校の応募は課題になってますか？", "私立"),
]


@pytest.mark.parametrize(("question", "fact"), STORY)
def test_the_story_around_a_question_never_becomes_its_topic_or_its_year(kb, question, fact):
    assert fact in opening(kb.answer(question))


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("去年の課内会議で出た話ですが、電子書籍の貸出数は？", None),
        ("去年の貸出数は？", 2024),
        ("2024年度のコンクール応募作品数", 2024),
    ],
)
def test_a_year_before_a_word_of_the_askers_story_dates_the_story(kb, text, fy):
    assert kb.read(text).fy == fy


# -- words typed another way ------------------------------------------------------------------------


def test_a_name_typed_half_in_kana_is_searched_as_the_report_spells_it(kb):
    assert "調べ学習" in kb.read("しらべ学習の講座は何回？").search


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("調べ学習の講座回数は？", "68回"),  # a measure word whose parts one indicator's name holds
        ("宅配の電子申請件数、令和6年度と比べて？", "150件"),  # 件数 is counted in 件, not in 倍
        ("読書支援の講座は23区で何位？", "順位"),  # a rank the report never gives
    ],
)
def test_a_measure_word_picks_the_figure_counted_in_its_unit(kb, question, fact):
    assert fact in opening(kb.answer(question))


@pytest.mark.parametrize(
    ("text", "grades"),
    [
        ("重点でa評価じゃない事業は？", ["b", "c"]),
        ("a以外の事業", ["b", "c"]),
        ("bのほうの課題は？", ["b"]),
        ("進捗区分の内訳を教えて", ["a", "b", "c"]),
        ("aとbの事業", ["a", "b"]),
    ],
)
def test_grades_are_read_with_their_negation_and_as_a_breakdown(text, grades):
    assert sorted(parse_question(text, AS_OF).grades) == grades


@pytest.mark.parametrize(
    ("text", "counted"),
    [("基本目標4つの名前は？", []), ("基本目標4の事業は？", [4])],
)
def test_a_count_after_a_goal_is_a_count_not_its_number(text, counted):
    assert parse_question(text, AS_OF).goals == counted


def test_a_plan_of_a_later_year_on_a_sheet_without_figures_is_its_next_steps(kb):
    a = kb.answer("幼稚園への支援、来年度はどうする？")
    assert "2園で試行実施" in opening(a)


def test_a_part_of_the_plan_asked_for_a_column_is_its_brief(kb):
    a = kb.answer("基本目標1の課題は？")
    assert a.route == "brief" and "77%" in opening(a)


def test_the_plan_wide_next_steps_put_what_starts_first(kb):
    a = kb.answer("来年度に新しく始めることは？")
    assert "音楽配信サービスの導入" in a.direct


def test_a_group_of_projects_about_a_word_is_every_sheet_that_uses_it(kb):
    a = kb.answer("ボランティア関係の事業はどうなってる？")
    assert {"4-(3)-①", "4-(3)-②"} <= {p.id for p in a.projects}


def test_a_key_projects_targets_for_a_year_are_listed(kb):
    a = kb.answer("重点事業の令和8年度の目標値は？")
    assert all(f in a.direct for f in ("1,375,000冊", "90%", "10,000冊", "40,000件", "74回", "1,500作品"))


@pytest.mark.parametrize(
    ("text", "first", "later"),
    [
        # the story before the asking sentence is never split, whatever connective it holds
        ("昨日、それから会議で電子書籍の話が出た。電子書籍の進捗は？", None, []),
        # 「それぞれ」 after a connective asks one question of all of them
        ("a・b・c、あと「－」ってそれぞれどういう意味？", None, []),
        # a connective inside the asking sentence: the first question ends before it
        (
            "所蔵資料数の実績と計画の差、それから減った理由も教えて",
            "所蔵資料数の実績と計画の差",
            ["減った理由も教えて"],
        ),
    ],
)
def test_a_message_is_split_into_its_questions_only_where_it_asks(kb, text, first, later):
    from knowledge.grammar import split_asks

    q = kb.read(text)
    assert split_asks(q.plain, q.words) == (first, later)


def test_a_thanks_before_a_question_gives_its_place_to_the_question(kb):
    a = kb.answer("ありがとう、それから電子書籍の進捗は？")
    assert a.route != "help" and "46,843" in opening(a)


# -- spans of years, counts and distances -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trend", "fy"),
    [
        ("所蔵資料数を令和5年度から令和7年度まで並べて", True, None),  # a span's ends
        ("応募作品数、ここ3年分の実績は？", True, None),  # a run of years counted back
        ("後期3年間の目標は？", False, None),  # the plan's own period is no run of years
        ("所蔵資料数は令和5年度から令和7年度までで何冊増えた？", False, 2025),  # the change between the ends
    ],
)
def test_a_span_of_years_asks_each_years_figures_unless_it_asks_the_change(text, trend, fy):
    q = parse_question(text, AS_OF)
    assert ("trend" in q.parts) is trend and q.fy == fy


def test_a_count_asked_of_a_shortfall_is_the_distance_from_the_target(kb):
    a = kb.answer("コンクールじゃない方、調べ学習講座は目標より何回少なかった？")
    assert "4回下回" in opening(a)


def test_the_policies_are_counted_per_goal_when_asked_so(kb):
    a = kb.answer("施策の数を基本目標ごとに教えて")
    assert "施策は11" in opening(a) and "基本目標1 3施策" in opening(a)


def test_the_projects_below_target_are_counted_as_projects(kb):
    a = kb.answer("目標に届いていない事業はいくつ？")
    assert "3事業" in opening(a)


# -- the clause that asks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # a polite predicate and a comma close the clause before the question
        ("移動中すみません、宅配の電子申請は月に何件くらい？", "150件"),
        # 何のX asks the kind; the topic is what the clause before named
        ("EBSCOは資料で見かけたけど何の機能？", "洋書"),
        # a meeting where something came up is no audience: the question is answered, not briefed
        ("パスファインダーが会議で話題になったけど、どういうもの？", "調べ方の手引き"),
        # a name typed all in kana is searched as the report spells it
        ("ぶっくすたーとの今年の実績は？", "ブックスタート"),
    ],
)
def test_the_asking_clause_is_read_past_apologies_stories_and_kana(kb, question, fact):
    assert fact in kb.answer(question).direct


def test_an_unheld_word_said_as_where_the_answer_will_be_pasted_never_refuses(kb):
    a = kb.answer("重点事業の状況、チャットに貼れる感じでまとめて")
    assert a.route == "brief"


def test_lines_for_each_project_give_each_its_figure_and_its_column(kb):
    a = kb.answer("重点の3つについて、成果と課題を各事業2行で")
    for pid in ("1-(1)-④", "3-(1)-①", "4-(1)-②"):
        assert a.direct.count(pid) >= 1 or pid in {p.id for p in a.projects}
    assert sum(line.startswith("・") for line in a.direct.splitlines()) == 6


# -- what the report holds, and what it does not ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # a sum of money: the report gives none
        ("ブックポストの増設にかかった費用は？", "記載はありません"),
        # a count in a counter no sentence of the sheet gives near what is asked
        ("座席予約システムの予約件数を知りたい", "記載はありません"),
        # a counter said as a noun (館の数) is a count in it
        ("専門図書館等連絡会、新しく入った館の数は？", "4館"),
        # a counter and 数 as a word of its own names only how the noun before it is counted
        ("所蔵している本の冊数は令和7年度いくつ？", "1,368,052冊"),
    ],
)
def test_counts_and_sums_are_answered_in_their_unit_or_said_to_be_missing(kb, question, fact):
    assert fact in opening(kb.answer(question))


def test_a_policy_named_by_its_whole_title_is_that_policy(kb):
    a = kb.answer("「社会教育施設等との連携の推進」の事業を挙げて")
    assert a.reading.policy == "4-(2)" and len(a.projects) >= 5


def test_two_years_of_what_started_quote_each_years_own_cell(kb):
    a = kb.answer("多様な方法による資料の提供で、令和6年度と令和7年度にそれぞれ新しく始めたものは？")
    assert "電子雑誌" in a.direct and "EBSCO" in a.direct


def test_a_vague_judgement_found_for_what_was_done_brings_the_years_actual(kb):
    a = kb.answer("ブックスタートは令和7年度に何か工夫したの？")
    assert "柔軟" in a.direct


# -- names written short ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # a katakana word shortened the way staff do is the one report word it shortens
        ("ブクポって今いくつある？", "22か所"),
        # a list sharing one ending in the report (「園・校歌」) holds each word it spells out
        ("校歌の公開は何校分？", "35校"),
    ],
)
def test_names_written_short_find_what_the_report_writes_in_full(kb, question, fact):
    assert fact in opening(kb.answer(question))


def test_one_project_of_a_group_named_by_its_topic_is_briefed_alone(kb):
    a = kb.answer("調べ学習の重点事業を2行でまとめて")
    assert [p.id for p in a.projects] == ["4-(1)-②"]


def test_the_key_projects_final_targets_are_listed_as_figures(kb):
    a = kb.answer("重点3事業の最終年度の目標値を一覧で")
    assert all(f in a.direct for f in ("1,375,000冊", "10,000冊", "1,500作品"))


def test_two_years_of_a_sheet_compared_with_no_word_quote_each_years_actual(kb):
    a = kb.answer("大使館との連携事業は令和6年度と令和7年度でどう違う？")
    assert "シンガポール" in a.direct and "スタンプラリー" in a.direct


# -- a branch, a phrase as the sheet writes it ------------------------------------------------------


def test_a_branch_named_alone_is_what_every_sheet_says_of_it(kb):
    a = kb.answer("赤坂館の取組を教えて")
    assert {"1-(2)-①", "2-(1)-⑦"} <= {p.id for p in a.projects} and a.route == "a term across projects"


def test_the_plan_named_in_a_question_is_no_target(kb):
    a = kb.answer("ビジネス支援って計画のどの事業に出てくる？")
    assert "plan" not in a.reading.parts


def test_a_verbal_noun_as_a_sheet_writes_it_finds_that_sheet(kb):
    a = kb.answer("来館しなくても使えるサービスで今後入れるものは？")
    assert a.projects[0].id == "1-(3)-③"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("計画どおりにいかなかった事業は？", "below"),  # the verb after the cue denied: its opposite
        ("順調に進んでいない取組を挙げて", "below"),
        ("計画どおりに進んだ事業は？", "above"),
    ],
)
def test_a_cue_whose_verb_is_denied_means_its_opposite(text, part):
    assert part in parse_question(text, AS_OF).parts


def test_the_projects_behind_plan_include_the_sheets_delays(kb):
    a = kb.answer("計画どおりにいかなかった事業を全部挙げて")
    assert "3-(1)-⑥" in {p.id for p in a.projects} and "延期" in a.direct


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # where a thing went, in the item of the cell that names it (a bullet of its own)
        ("リサイクル本はどこに出した？", "地域のイベント"),
        # a close runner-up whose sheet says where, when the best's does not
        ("おすすめの本を紹介し合える展示棚はどこの図書館？", "赤坂図書館"),
        # 「全部の」 finds the sentence that says 「全ての」
        ("全部の講座でオンライン申し込みを受け付けたのはいつから？", "全ての講座等"),
        # a sentence that adds a topic with も is a question of its own
        ("パスファインダーはいくつ作った？フィードバック会の頻度も", "毎月"),
    ],
)
def test_the_sentence_and_item_that_answer_are_found(kb, question, fact):
    assert fact in kb.answer(question).direct


def test_a_glossed_word_lists_every_sheet_that_uses_it(kb):
    a = kb.answer("パスファインダーとは？")
    assert {"4-(1)-②", "3-(2)-②"} <= {p.id for p in a.projects}


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # a question quoted inside a sentence does not end it: who asked is the story
        ("館長から「ブックポストはいくつある？」と聞かれました。教えてください", "22か所"),
        # なん before です is the explanatory copula, not a question word
        ("電子書籍の件なんですけど、今年度の貸出数は？", "46,843"),
        # a bare 件数 of a sheet that gives no figure in 件 is said to be missing, named with what it counts
        ("対面朗読の依頼は令和7年度に何件？", "記載はありません"),
        # an unheld word in parentheses is the asker's aside
        ("書評合戦（名前うろ覚えの件）の応募が増えた理由は？", "入門講座"),
        # 「abc」 written together are the grades
        ("重点事業それぞれのabcを一覧で", "b 1事業"),
        # money said plainly: the sheet's 無償
        ("絵本の定期便はお金かかる？", "無償"),
    ],
)
def test_more_of_the_message_read_as_staff_write(kb, question, fact):
    assert fact in kb.answer(question).direct


def test_a_count_of_projects_about_a_word_is_the_term_across_projects(kb):
    a = kb.answer("ボランティア関係の事業って全部でいくつ？")
    assert a.route == "a term across projects" and "4事業" in a.direct


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # a list joined to the next word by の modifies it; a sheet holding all the words beats one holding two
        ("幼稚園・小中学校の園歌校歌は何校分公開した？", "35校"),
        # a counter and a year typed in kana
        ("ぼらんてぃあ育成の講座はことし何かいやった？", "2回"),
        # a partner asked as 相手 is where the sheet names it
        ("大使館連携で令和6年度に組んだ相手は？", "シンガポール"),
        # the state of a thing the report holds (公開済み) is held
        ("区の資料のデジタル化で公開済みのものは？", "3-(1)-②"),
    ],
)
def test_words_and_lists_written_another_way(kb, question, fact):
    a = kb.answer(question)
    assert fact in a.direct or fact in {p.id for p in a.projects}


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("この計画に載っている事業の数は全部で？", "43事業"),  # the plan named, not a target
        ("宅配サービスは計画上は重点の扱いで合ってる？", "いいえ"),  # the asker's understanding, checked by the flags
    ],
)
def test_the_plan_and_the_askers_understanding_are_frames(kb, question, fact):
    assert fact in opening(kb.answer(question))
