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
