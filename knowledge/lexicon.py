"""The lexicon of question cues (data/lexicon.toml): which words say what a question asks for.

A cue claims a stretch of the question only at word boundaries, so a cue never matches inside another
word (「どれ」 is not read inside 「ドレスコード」); the longest phrase claims first (「今後の取組」 before
「取組」), and among phrases of one length the record that comes first in the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from knowledge.text import normalize, to_hiragana
from knowledge.words import Pos, Word

LEXICON = Path(__file__).parent / "data" / "lexicon.toml"
FIELDS = ("part", "ask", "direction", "rank", "flag", "level", "frame", "english")
_STEMS = frozenset({Pos.VERB, Pos.ADJECTIVE, Pos.AUXILIARY})  # a cue may end inside these (下回 in 下回っ)


@dataclass(frozen=True)
class Cue:
    """One meaning and the words that say it."""

    field: str
    value: str
    phrases: tuple[str, ...]  # folded, longest first
    lemmas: frozenset[str]
    followed_by: tuple[str, ...] = ()  # the cue counts only before one of these (folded)
    also_part: str = ""  # a part it names too (「計画より」: compared with the plan)
    nouns_only: bool = False  # said only as a noun (「遅れが出ている」, not the verb of 「返信が遅れて」)
    not_before: tuple[str, ...] = ()  # the cue does not count before one of these (「なんでしたっけ」: 何 + でした)


@dataclass(frozen=True)
class Claim:
    """A stretch of the question a cue explains."""

    cue: Cue
    start: int
    end: int
    said: str


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and the record."""


@cache
def cues(path: Path = LEXICON) -> tuple[Cue, ...]:
    """The lexicon's records in file order, loaded once per process."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    out = []
    for n, record in enumerate(data.get("cue", []), 1):
        if record.get("field") not in FIELDS or not record.get("value"):
            raise LexiconError(f"{path}: cue {n} needs a field (one of {', '.join(FIELDS)}) and a value")
        # longest first, then as written in the file: the same order in every process (a set's order is not)
        written = list(dict.fromkeys(fold(p) for p in record.get("phrases", [])))
        phrases = sorted(written, key=len, reverse=True)
        after = tuple(fold(w) for w in record.get("followed_by", []))
        lemmas = frozenset(record.get("lemmas", []))
        out.append(
            Cue(
                record["field"],
                record["value"],
                tuple(phrases),
                lemmas,
                after,
                record.get("also_part", ""),
                record.get("pos") == "noun",
                tuple(fold(w) for w in record.get("not_before", [])),
            )
        )
    return tuple(out)


@cache
def rank_ends(path: Path = LEXICON) -> dict[str, tuple[str, ...]]:
    """The stems that name which end a superlative asks for: {"low": (...), "high": (...)}."""
    with open(path, "rb") as f:
        ends = tomllib.load(f).get("rank_ends", {})
    return {end: tuple(fold(w) for w in ends.get(end, [])) for end in ("low", "high")}


@cache
def measure_suffixes(path: Path = LEXICON) -> tuple[str, ...]:
    """Noun endings that name a measured quantity (満足度, 貸出数)."""
    with open(path, "rb") as f:
        return tuple(tomllib.load(f).get("measures", {}).get("suffixes", []))


@cache
def framing_verbs(path: Path = LEXICON) -> frozenset[str]:
    """Verbs whose に/から complement is the answer's use or audience (使う, 説明, 聞く…)."""
    with open(path, "rb") as f:
        return frozenset(tomllib.load(f).get("framing", {}).get("verbs", []))


@cache
def _by_length() -> tuple[tuple[str, Cue], ...]:
    """Every phrase with its cue, longest first; among equals, in file order."""
    pairs = [(phrase, n, cue) for n, cue in enumerate(cues()) for phrase in cue.phrases]
    return tuple((phrase, cue) for phrase, _, cue in sorted(pairs, key=lambda t: (-len(t[0]), t[1])))


def fold(text: str) -> str:
    """How cues and questions are compared: normalized, katakana as hiragana (one character for one)."""
    return to_hiragana(normalize(text))


def claim(folded: str, words: tuple[Word, ...], taken: list[bool], joined: frozenset[int] = frozenset()) -> list[Claim]:
    """The cues found in a folded question, given its words; `taken` marks characters already read
    (by the structured rules) and is updated with what the cues claim. `joined`: positions where a
    noun runs on into the next as a term the report writes (情報|発信): no word about the asking ends there."""
    inner = {i for w in words for i in w.inner}  # a compound's own words count too (目標|達成)
    starts = {w.start for w in words} | inner
    ends = {w.end for w in words} | inner
    stem_ends = {i + 1 for w in words if w.pos in _STEMS for i in range(w.start, w.end)}
    out = []
    whole_starts = {w.start for w in words}
    whole_ends = {w.end for w in words}
    noun_starts = {w.start for w in words if w.pos in (Pos.NOUN, Pos.PROPER)}
    for phrase, cue in _by_length():
        # Words about the asking are whole words: 「情報」 is frame, the 情報 of 「情報交換会」 is not.
        s_ok, e_ok = (whole_starts, whole_ends) if cue.field == "frame" else (starts, ends)
        at = folded.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            bounded = at in s_ok and (end in e_ok or end in stem_ends) and (not cue.nouns_only or at in noun_starts)
            bounded = bounded and not (cue.field == "frame" and end in joined)
            followed = not cue.followed_by or folded[end:].lstrip().startswith(cue.followed_by)
            followed = followed and not (cue.not_before and folded[end:].startswith(cue.not_before))
            if bounded and followed and not any(taken[at:end]):
                taken[at:end] = [True] * (end - at)
                out.append(Claim(cue, at, end, phrase))
            at = folded.find(phrase, at + 1)
    for cue in cues():
        for w in words:
            if w.lemma in cue.lemmas and not any(taken[w.start : w.end]):
                taken[w.start : w.end] = [True] * (w.end - w.start)
                out.append(Claim(cue, w.start, w.end, w.surface))
    return sorted(out, key=lambda c: c.start)
