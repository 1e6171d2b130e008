"""Does the report hold what was asked? Decided from evidence, not from a search score (docs/design.md §4):
the question's content words must be covered by the matched text.
"""

from __future__ import annotations

import re

from knowledge.questions import vocabulary
from knowledge.text import normalize, search_terms, to_hiragana
from knowledge.words import Pos, analyze

_COUNTING = frozenset("数率額費者量")
# A counter and 数 said as a word of its own (「蔵書の冊数」「講座の回数」) names only how the noun before it is
# counted, not a topic; inside a compound (貸出冊数) it stays part of what is asked.
_BARE_COUNT = re.compile(r"[冊件人回台館校園個点名]数")  # 来館者数, 利用率: the suffix changes what is counted

# Endings that give a verbal noun's state (「公開済み」「検討中」): held when the noun is.
_ASPECT = ("済み", "済", "中")
# Runs of kanji, katakana, Latin letters and digits: what carries a topic in Japanese text.
_RUN = re.compile(r"[一-龥々〆ヵヶァ-ヴーa-z0-9]+")
_SHARE = 2 / 3  # a word is covered when this share of its bigrams is in the text (PDF wraps, typos)


def fold(text: str) -> str:
    """Text folded for comparing: normalized, katakana as hiragana, no spaces."""
    return to_hiragana(normalize(text)).replace(" ", "")


def mentions_generic(search: str) -> bool:
    """True when the text uses one of the report's generic words (図書館, 事業…): it is about the plan."""
    text = normalize(search)
    return any(g in text for g in vocabulary().generic)


def content_words(search: str) -> list[str]:
    """The words of a question that name what it is about: its topic words (the reader joins them
    with spaces, and 「と」 between two topics), less the report's generic words (図書館, 事業…),
    which say nothing about which fact is meant."""
    words = []
    for item in re.split(r"\s+|(?<=[^\sぁ-ゖ])と(?=[^\sぁ-ゖ])", normalize(search)):
        if re.fullmatch(r"[ぁ-ゖー]*", item) or _BARE_COUNT.fullmatch(item):
            continue  # a word all in hiragana is too weak to say what is asked (おすすめ, こと)
        rest = item
        for generic in vocabulary().generic:
            rest = rest.replace(generic, " ")
        pieces = rest.split()
        for piece in pieces:
            if len(piece) >= 2 and not piece[0].isdigit() and piece not in vocabulary().generic and piece not in words:
                words.append(piece)
    return words


def covered(word: str, folded_text: str, bag: set[str]) -> bool:
    """True when the text holds the word (or the word with staff vocabulary put in the report's
    terms: 電子本貸出 → 電子書籍貸出), or most of its bigrams (PDF wraps, typos), or each of its own
    words of two characters or more (「定期瓶」: 定期 is held; one stray character is a typo)."""
    counted = word.endswith(tuple(_COUNTING)) and len(word) > 2
    aspect = next((a for a in _ASPECT if word.endswith(a) and len(word) > len(a) + 1), "")
    if aspect and covered(word[: -len(aspect)], folded_text, bag):
        return True  # 「公開済み」「検討中」: the state of a thing the text holds
    for form in forms(word):
        if form in folded_text:
            return True
        if counted:  # 来館者数: a count is held when what it counts is (応募数 → 応募), not by its bigrams
            stem = form[:-1]
            if len(stem) >= 2 and stem in folded_text:
                return True
            continue
        grams = set(search_terms(form))
        if grams and len(grams & bag) / len(grams) >= _SHARE:
            return True
    parts = []
    for w in analyze(normalize(word)):  # 来館|者|数: a counting suffix belongs to the word before it
        if parts and (w.pos is Pos.SUFFIX or w.surface in _COUNTING):
            parts[-1] += w.surface
        else:
            parts.append(w.surface)
    strong = [p for p in parts if len(p) >= 2]
    # A stray one-character word is a typo (定期瓶); a count is held when each word of it is
    # (コンクール|応募|作品数), never by bigrams alone (来館者数).
    if len(parts) > 1 and strong and (len(strong) < len(parts) or counted):
        return all(covered(p, folded_text, bag) for p in strong)
    return False


def forms(word: str) -> list[str]:
    """The word folded, and with any staff vocabulary in it put in the report's terms."""
    folded = fold(word)
    forms = [folded]
    for key, values in vocabulary().synonyms.items():
        if key in folded:
            forms += [folded.replace(key, fold(v)) for v in values]
    return forms


def uncovered(words: list[str], folded_text: str, bag: set[str]) -> list[str]:
    """The words the text does not hold."""
    return [w for w in words if not covered(w, folded_text, bag)]


def shown_words(words: list[str], search: str) -> list[str]:
    """The words as the person wrote them, for saying what the report lacks (移動 → 移動図書館)."""
    runs = _RUN.findall(normalize(search))
    return list(dict.fromkeys(next((r for r in runs if w in r), w) for w in words))
