"""Words of a question: a morphological analyzer (SudachiPy, core dictionary, mode C) reads a question
into words with their part of speech and normalized form.

Character bigrams are right for *finding* text in the report, wrong for *reading* a question: a run of
characters crosses word boundaries (a verb glued to a noun, a prefix to the next word) and cannot tell
what a question is about from how it is asked. Parts of speech can: nouns, proper nouns and unknown
words carry the topic; verbs of asking, auxiliaries, particles, adverbs and honorific prefixes do not.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from knowledge.text import to_hiragana


class Pos(StrEnum):
    """Coarse parts of speech: what a reader of questions needs to tell apart."""

    NOUN = "noun"
    ADVERBIAL = "adverbial"  # a noun used as an adverb (結局, 今回, 全部, 最近): when or how, never what
    PROPER = "proper"  # a name: a place, a library, an organisation
    NUMBER = "number"
    PRONOUN = "pronoun"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    VERB = "verb"
    ADJECTIVE = "adjective"
    ADVERB = "adverb"
    PARTICLE = "particle"
    CONJUNCTIVE = "conjunctive"  # a particle that ends a clause: ので, けど, のに, から (「…なので、」)
    AUXILIARY = "auxiliary"
    SYMBOL = "symbol"
    LATIN = "latin"  # a word in Latin letters (Wi-Fi, ebook), kept whole
    OTHER = "other"


# Sudachi's first-level tags (and the second level for nouns) mapped onto the coarse ones.
_POS = {
    "名詞": Pos.NOUN,
    "代名詞": Pos.PRONOUN,
    "接頭辞": Pos.PREFIX,
    "接尾辞": Pos.SUFFIX,
    "動詞": Pos.VERB,
    "形容詞": Pos.ADJECTIVE,
    "形状詞": Pos.ADJECTIVE,
    "副詞": Pos.ADVERB,
    "連体詞": Pos.ADVERB,
    "接続詞": Pos.ADVERB,
    "感動詞": Pos.ADVERB,
    "助詞": Pos.PARTICLE,
    "助動詞": Pos.AUXILIARY,
    "補助記号": Pos.SYMBOL,
    "記号": Pos.SYMBOL,
    "空白": Pos.SYMBOL,
}
# Conjunctive particles that close a clause of background (「課長に頼まれたので、」); て, ば, ながら link
# verbs inside one clause and do not.
_CLAUSE_ENDS = frozenset({"ので", "のに", "けど", "けれど", "けれども", "が", "から", "し"})
# Nouns that carry a topic; the rest (the bound nouns こと, もの, ため…) are grammar.
TOPICAL = frozenset({Pos.NOUN, Pos.PROPER, Pos.LATIN})


@dataclass(frozen=True)
class Word:
    """One word of a text: as written, its coarse part of speech, its normalized form, where it starts."""

    surface: str
    pos: Pos
    lemma: str
    start: int
    inner: tuple[int, ...] = ()  # where the shorter words inside it start (目標達成 → 目標|達成)
    verbal: bool = False  # a noun that takes する (整理, 説明, 増設): with する after it, it is a verb
    volitional: bool = False  # a verb in its volitional form (増やそう, しよう): with と思う, an intention

    @property
    def end(self) -> int:
        return self.start + len(self.surface)


_local = threading.local()  # a Sudachi tokenizer is not to be shared between threads


@cache
def _dictionary():
    from sudachipy import Dictionary  # imported on first use: the CLI's help needs no dictionary

    return Dictionary(dict="core")


def _tokenizer():
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        d = _dictionary()
        make = getattr(d, "tokenizer", None) or d.create  # sudachipy 0.7 renamed create() to tokenizer()
        tok = _local.tokenizer = make(mode=SplitMode.C)
    return tok


def warm() -> None:
    """Load the dictionary now (a server does this at start, not on the first question)."""
    _tokenizer()


@lru_cache(maxsize=4096)
def analyze(text: str) -> tuple[Word, ...]:
    """The words of an already normalized text, in order, with their offsets into it."""
    from sudachipy import SplitMode

    out: list[Word] = []
    for m in _tokenizer().tokenize(text):
        surface = m.surface()
        if not surface.strip():
            continue
        tags = m.part_of_speech()
        pos = _POS.get(tags[0], Pos.OTHER)
        if pos is Pos.NOUN:
            if tags[1] == "固有名詞":
                pos = Pos.PROPER
            elif tags[1] == "数詞":
                pos = Pos.NUMBER
            elif tags[1] == "助動詞語幹":
                pos = Pos.AUXILIARY
            elif tags[2] == "副詞可能":
                pos = Pos.ADVERBIAL
        if pos is Pos.PARTICLE and tags[1] == "接続助詞" and surface in _CLAUSE_ENDS:
            pos = Pos.CONJUNCTIVE
        elif surface in ("たら", "なら", "れば") and pos in (Pos.AUXILIARY, Pos.PARTICLE):
            pos = Pos.CONJUNCTIVE  # 「返信が遅れたら」: a condition is background, not what is asked
        elif surface == "で" and pos is Pos.AUXILIARY and out and out[-1].surface == "の":
            pos = Pos.CONJUNCTIVE  # 「入れるので」 read as の|で is still ので
        if surface.isascii() and any(c.isalpha() for c in surface):
            pos = Pos.LATIN
        lemma = m.normalized_form() if pos is not Pos.LATIN else surface
        units = m.split(SplitMode.A)
        inner = tuple(u.begin() for u in units)[1:] if len(units) > 1 else ()
        volitional = tags[5].startswith("意志推量形")
        out.append(Word(surface, pos, lemma, m.begin(), inner, tags[2] == "サ変可能", volitional))
    return tuple(out)


def reading(text: str) -> str:
    """How a text is read, in hiragana: 「しらべ学習」 and 「調べ学習」 are both しらべがくしゅう."""
    return to_hiragana("".join(m.reading_form() for m in _tokenizer().tokenize(text) if m.surface().strip()))


def units(text: str) -> list[str]:
    """The shortest words of a text (the analyzer's A units: ボランティア|養成|講座), for telling whether
    a compound's parts are said where its whole is not."""
    out = []
    for w in analyze(text):
        bounds = [w.start, *w.inner, w.end]
        out += [text[a:b] for a, b in itertools.pairwise(bounds)]
    return out
