"""Romaji typed on a keyboard without a Japanese input method (「denshi shoseki」) read as hiragana.

Only words that convert completely (every letter part of a syllable) are converted, so English words
and abbreviations (sns, line, help) stay as they are.
"""

from __future__ import annotations

import re

_VOWELS = {"a": 0, "i": 1, "u": 2, "e": 3, "o": 4}
_ROWS = {
    "": "あいうえお",
    "k": "かきくけこ",
    "g": "がぎぐげご",
    "s": "さしすせそ",
    "z": "ざじずぜぞ",
    "t": "たちつてと",
    "d": "だぢづでど",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "m": "まみむめも",
    "y": "や い ゆ え よ".replace(" ", ""),
    "r": "らりるれろ",
    "w": "わうぃうぇを",
}
_SPECIAL = {
    "shi": "し",
    "chi": "ち",
    "tsu": "つ",
    "fu": "ふ",
    "ji": "じ",
    "si": "し",
    "ti": "ち",
    "tu": "つ",
    "hu": "ふ",
    "zi": "じ",
    "wa": "わ",
    "wo": "を",
    "ye": "いぇ",
    "wi": "うぃ",
    "we": "うぇ",
    "va": "ゔぁ",
}
_YOON = {
    "ky": "き",
    "gy": "ぎ",
    "sh": "し",
    "sy": "し",
    "j": "じ",
    "jy": "じ",
    "zy": "じ",
    "ch": "ち",
    "cy": "ち",
    "ty": "ち",
    "dy": "ぢ",
    "ny": "に",
    "hy": "ひ",
    "by": "び",
    "py": "ぴ",
    "my": "み",
    "ry": "り",
}
_SMALL = {"a": "ゃ", "u": "ゅ", "o": "ょ", "e": "ぇ"}
_WORD = re.compile(r"[a-z]+")
_PARTICLES = {"no", "wa", "ga", "wo", "ni", "de", "to", "he", "ya", "mo"}


def word_to_kana(word: str) -> str | None:
    """Hiragana for one lower-case romaji word, or None if any letter is not part of a syllable."""
    out = []
    i = 0
    while i < len(word):
        rest = word[i:]
        if len(rest) >= 2 and rest[0] == rest[1] and rest[0] not in "aiueon":
            out.append("っ")  # a doubled consonant: kitte → きって
            i += 1
            continue
        if rest[0] == "n" and (len(rest) == 1 or rest[1] not in "aiueoy"):
            out.append("ん")
            i += 2 if rest.startswith("nn") else 1
            continue
        for size in (3, 2):
            if rest[:size] in _SPECIAL:
                out.append(_SPECIAL[rest[:size]])
                i += size
                break
        else:
            for size in (2, 1):
                head = rest[:size]
                if head in _YOON and len(rest) > size and rest[size] in _SMALL:
                    out.append(_YOON[head] + _SMALL[rest[size]])
                    i += size + 1
                    break
            else:
                consonant = "" if rest[0] in _VOWELS else rest[0]
                vowel = rest[len(consonant) : len(consonant) + 1]
                if consonant not in _ROWS or vowel not in _VOWELS or (consonant == "y" and vowel in "ie"):
                    return None
                out.append(_ROWS[consonant][_VOWELS[vowel]])
                i += len(consonant) + 1
    return "".join(out)


def romaji_to_kana(text: str, keep: set[str] = frozenset()) -> str:
    """Convert romaji words in a (lower-case) text to hiragana; consecutive words are joined.

    Words in `keep` (the vocabulary's own Latin words: sns, ya…) and words that do not convert
    completely stay as they are.
    """

    def convert(m: re.Match) -> str:
        word = m.group(0)
        if word in keep or len(word) < 2:
            return word
        kana = word_to_kana(word)
        if kana is None:
            return word
        return f"\t{kana}\t" if word in _PARTICLES else kana

    converted = _WORD.sub(convert, text)
    if converted == text:
        return text
    # 「denshi shoseki」: words a romaji writer separated are one word in Japanese; particles stay apart.
    joined = re.sub(r"(?<=[ぁ-ゖ]) (?=[ぁ-ゖ])", "", converted)
    return re.sub(r"\s*\t\s*", " ", joined).strip()
