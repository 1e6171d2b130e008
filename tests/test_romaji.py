"""Romaji typed without a Japanese input method is read as hiragana; English words stay as they are."""

from __future__ import annotations

import pytest

from knowledge.romaji import romaji_to_kana, word_to_kana


@pytest.mark.parametrize(
    ("text", "kana"),
    [
        ("denshi shoseki", "でんししょせき"),
        ("bukku posuto", "ぶっくぽすと"),
        ("shirabe gakushuu", "しらべがくしゅう"),
        ("kyouiku", "きょういく"),
        ("honnya", "ほんや"),
        ("tsuchi", "つち"),
        ("sns", "sns"),
        ("help", "help"),
        ("ebook", "ebook"),
    ],
)
def test_romaji_words_are_read_as_hiragana(text, kana):
    assert romaji_to_kana(text) == kana


def test_words_the_vocabulary_knows_are_kept():
    assert romaji_to_kana("ya", keep={"ya"}) == "ya"
    assert word_to_kana("xyz") is None
