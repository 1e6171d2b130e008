"""Reading a question by words: parts of speech, cues from the lexicon, topic words and phrases."""

import pytest

from knowledge.lexicon import cues
from knowledge.questions import Ask, Level, Part, parse_question
from knowledge.words import Pos, analyze

AS_OF = 2025


@pytest.mark.parametrize(
    ("text", "surface", "pos"),
    [
        ("返却ポストの数", "返却", Pos.NOUN),
        ("Wi-Fiは使える？", "Wi-Fi", Pos.LATIN),
        ("新宿区の蔵書", "新宿区", Pos.PROPER),
        ("増えましたか", "増え", Pos.VERB),
        ("ざっくり教えて", "ざっくり", Pos.ADVERB),
    ],
)
def test_the_analyzer_gives_each_word_its_part_of_speech(text, surface, pos):
    words = {w.surface: w.pos for w in analyze(text)}
    assert words[surface] is pos


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # how the question is asked never becomes its topic
        ("係長に頼まれたので、宅配サービスの数字だけざっくり", "宅配サービス"),
        ("お忙しいところ恐縮ですが、ブックスタートの現状をご教示ください", "ブックスタート"),
        # a cue is never read inside another word
        ("ドレスコードはありますか", "ドレスコード"),
        # adjacent nouns are one topic word; a verb is not part of it
        ("子どもに本を読んであげる会", "子ども 本 会"),
        # English words are read as the Japanese they stand for
        ("ebook loans", "電子書籍 貸出"),
    ],
)
def test_only_the_words_of_the_topic_are_searched(text, topic):
    assert parse_question(text, AS_OF).search == topic


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("渋谷区の電子書籍貸出数は？", "渋谷区の電子書籍貸出数"),
        ("図書館の駐車場の台数", "図書館の駐車場の台数"),
    ],
)
def test_noun_phrases_are_kept_as_written_for_naming_what_is_missing(text, phrase):
    assert phrase in parse_question(text, AS_OF).phrases


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("目標までの残りはあとどのくらい？", "asks", Ask.GAP),
        ("3年前の何倍になった？", "asks", Ask.RATIO),
        ("この計画の期間を知りたい", "asks", Ask.PERIOD),
        ("担当している部署は？", "levels", Level.DEPARTMENT),
        ("計画書のどのページ？", "levels", Level.PAGE),
        ("基本目標を並べて", "levels", Level.GOAL),
        ("今後の取組を教えて", "parts", Part.NEXT_STEPS),
        ("目標達成してる？", "parts", Part.ABOVE),
        ("どのくらいの頻度で開催？", "asks", Ask.FREQUENCY),
        ("最終的な目標値は？", "asks", Ask.FINAL),
    ],
)
def test_cue_words_set_what_the_question_asks(text, field, value):
    assert value in getattr(parse_question(text, AS_OF), field)


@pytest.mark.parametrize(
    ("text", "rank"),
    [("一番うまくいっている指標", "high"), ("いちばん苦戦している指標", "low"), ("最も遠い指標はどれ", "low")],
)
def test_a_ranking_knows_which_end_is_asked(text, rank):
    assert parse_question(text, AS_OF).rank == rank


def test_a_title_is_the_audience_only_before_a_particle_of_asking():
    asked_for = parse_question("課長から宅配の件を聞かれた", AS_OF)
    asked_about = parse_question("課長は誰？", AS_OF)
    assert "課長" not in asked_for.search and "課長" in asked_about.search


def test_a_definition_is_asked_at_the_end_of_a_question_only():
    assert Ask.LEGEND in parse_question("成果指標って何ですか？", AS_OF).asks
    assert Ask.LEGEND not in parse_question("施策2-(1)の事業ってなにがある？", AS_OF).asks


def test_every_cue_of_the_lexicon_has_a_known_meaning():
    for cue in cues():
        if cue.field == "part":
            Part(cue.value)
        elif cue.field == "ask":
            Ask(cue.value)
        elif cue.field == "level":
            Level(cue.value)
        assert cue.phrases or cue.lemmas


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("結局ブックスタートはどうなった？", "結局"),
        ("今回の報告で伸びた指標", "今回"),
        ("最近の電子書籍の動き", "最近"),
    ],
)
def test_a_noun_used_as_an_adverb_tells_when_or_how_and_is_never_the_topic(text, surface):
    q = parse_question(text, AS_OF)
    assert {w.surface: w.pos for w in q.words}[surface] is Pos.ADVERBIAL
    assert surface not in q.search


@pytest.mark.parametrize(
    ("text", "framing", "topic"),
    [
        # a noun that takes する, used as the request's verb
        ("宅配サービスの数字を整理してほしい", "整理", "宅配サービス"),
        ("ブックスタートについて解説をお願い", "解説", "ブックスタート"),
        # the に/から complement of a verb of using or telling: what the answer is for, who it is for
        ("電子書籍の数字を月報のコラムに使いたい", "コラム", "電子書籍"),
        ("教育委員に電子書籍について説明したい", "教育委員", "電子書籍"),
        ("宅配サービスの数字、月報に使えそうなものを", "月報", "宅配サービス"),
        ("議長から聞かれた件、ブックポストについて", "議長", "ブックポスト"),
        ("絵本貸出定期便のことを正直に話したい", "正直", "絵本貸出定期便"),
    ],
)
def test_words_about_the_asking_are_never_searched_nor_said_to_be_missing(text, framing, topic):
    q = parse_question(text, AS_OF)
    assert q.search == topic
    # about the asking, or (an adverb: 正直に) not a topic word at all
    assert q.in_background(framing) or not any(framing in t.text for t in q.terms)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("幼児に絵本を届ける取組", "幼児"),  # handing something over is the topic
        ("中高生に本を紹介する取組は？", "中高生"),  # a verb of telling that names what a project does
        ("区報に載せた事業は？", "区報"),
        ("所蔵資料数について教えていただけますか", "所蔵資料数"),  # について names the topic
    ],
)
def test_a_recipient_is_the_topic_unless_the_asker_is_the_one_telling(text, topic):
    q = parse_question(text, AS_OF)
    assert topic in q.search and not q.in_background(topic)


@pytest.mark.parametrize(
    "text",
    [
        "ボランティア育成で次に何をしようと考えている？",
        "宅配サービスはどうしようと思ってる？",
        "令和8年度は宅配で何をする？",
    ],
)
def test_an_intention_or_a_later_year_asks_for_the_next_steps(text):
    assert Part.NEXT_STEPS in parse_question(text, AS_OF).parts


@pytest.mark.parametrize(
    ("text", "yesno"),
    [
        ("電子書籍の状況をまとめてくれますか", False),
        ("ブックスタートの概要を教えていただけませんか", False),
        ("電子書籍の貸出は目標を達成しましたか？", True),
    ],
)
def test_asking_a_favour_is_a_request_not_a_yes_no_question(text, yesno):
    assert parse_question(text, AS_OF).yesno is yesno


def test_te_form_of_a_verb_keeps_its_te_while_a_nouns_tte_is_its_topic_marker():
    assert "載っ" in [w.surface for w in parse_question("計画に載ってる事業はいくつ？", AS_OF).words]
    assert Ask.COUNT in parse_question("計画に載ってる事業はいくつ？", AS_OF).asks
    assert parse_question("達成率って何？", AS_OF).words[0].surface.startswith("達成")


def test_a_cue_after_a_demonstrative_that_repeats_one_already_said_asks_nothing_new():
    q = parse_question("電子書籍の進捗評価と、その評価の意味", AS_OF)
    assert Part.EVALUATION not in q.parts
    assert Ask.STATUS in q.asks


def test_the_plan_named_by_its_title_is_not_the_plan_column_of_a_sheet():
    assert Part.PLAN not in parse_question("この推進計画の事業はいくつ？", AS_OF).parts
    assert parse_question("この計画っていつまで？", AS_OF).names_plan


def test_a_shape_said_on_the_side_counts_when_the_question_asks_for_a_summary():
    assert parse_question("部長に3行で説明するので、ブックスタートをまとめて", AS_OF).brief
    assert not parse_question("答弁で聞かれるので確認、電子書籍の貸出数は？", AS_OF).brief


def test_the_request_sentence_asks_when_no_sentence_holds_a_question():
    q = parse_question("大使館や専門図書館との連携をまとめてほしい。今年度の実績ベースで", AS_OF)
    assert "大使館" in q.search and "専門図書館" in q.search


def test_toka_joins_topics_as_and_does():
    assert parse_question("ブックポストとか宅配とかの状況", AS_OF).search == "ブックポストと宅配"


@pytest.mark.parametrize(
    ("text", "grades"), [("重点事業のa/b/cの件数", ["a", "b", "c"]), ("a・bの事業は？", ["a", "b"])]
)
def test_grade_letters_joined_are_grades_whatever_follows(text, grades):
    assert parse_question(text, AS_OF).grades == grades


def test_where_the_asker_will_tell_it_is_framing_where_a_project_does_something_is_not():
    held = {"ぶっくすたーと", "ブックスタート"}.__contains__
    told = parse_question("定例会で「ブックスタートの状況は？」と聞かれた", AS_OF, held)
    assert told.in_background("定例会") and "ブックスタート" in told.search
    done = parse_question("ブックスタートで絵本を紹介している？", AS_OF, held)
    assert not done.in_background("ブックスタート")


def test_a_word_the_report_lacks_said_as_how_the_asker_wants_it_never_refuses():
    held = {"でんししょせき", "電子書籍"}.__contains__
    q = parse_question("電子書籍の状況を、答弁の手控えに使える形でまとめてもらえますか", AS_OF, held)
    assert q.in_background("手控え") and q.search == "電子書籍"


def test_a_verb_of_telling_said_as_a_verb_is_what_the_asker_will_do_not_the_topic():
    q = parse_question("遅れている事業を洗い出してほしいです。課内で共有します", AS_OF)
    assert q.in_background("共有") and "共有" not in q.search


def test_a_summary_request_does_not_search_the_sentence_that_tells_why():
    q = parse_question("区の広報に載せたいと言われてます。明るい話題ある？", AS_OF)
    assert q.brief and "広報" not in q.search


def test_a_summary_requests_own_sentence_names_its_topic_before_the_side_clause():
    q = parse_question("宅配サービスの状況、会議資料に入れたいので、まとめてください", AS_OF)
    assert q.search == "宅配サービス" and not q.in_background("宅配サービス")


def test_a_date_is_not_a_topic():
    assert "月" not in parse_question("4月から来る人にブックスタートを説明したい", AS_OF).search


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("英語のおはなし会、どんな工夫をした？", True),
        ("ブックポストは今後どうする？", False),
        ("宅配はどうなりました？", True),
    ],
)
def test_a_question_about_something_done_is_read_in_the_past(text, past):
    assert parse_question(text, AS_OF).past is past
