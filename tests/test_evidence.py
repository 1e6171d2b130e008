"""Whether the report holds what was asked is decided from the question's content words."""

from __future__ import annotations

import pytest

from knowledge.evidence import content_words, covered, fold, mentions_generic, shown_words
from knowledge.text import search_terms


@pytest.mark.parametrize(
    ("search", "words"),
    [
        # the reader's topic words, as it joins them
        ("移動図書館", ["移動"]),
        ("図書館 予算", ["予算"]),
        ("電子書籍 貸出", ["電子書籍", "貸出"]),
        ("電子書籍とブックスタート", ["電子書籍", "ブックスタート"]),
        ("子ども 読み聞かせスペース", ["子ども", "読み聞かせスペース"]),
        ("こんにちは", []),
    ],
)
def test_content_words_leave_out_the_reports_generic_words(search, words):
    assert content_words(search) == words


def test_a_word_is_covered_by_its_text_its_vocabulary_or_most_of_its_bigrams():
    text = "電子書籍貸出数は指標を上回っている"
    bag = set(search_terms(text))
    assert covered("電子書籍", fold(text), bag)
    assert covered("電子本貸出", fold(text), bag)  # 電子本 is staff vocabulary for 電子書籍
    assert covered("電子書跡", fold(text), bag)  # a typo: most bigrams are there
    assert not covered("予算", fold(text), bag)


def test_missing_words_are_shown_as_typed():
    assert shown_words(["移動"], "移動図書館はある") == ["移動図書館"]
    assert mentions_generic("移動図書館") and not mentions_generic("ランチ")
