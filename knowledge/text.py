"""Text helpers shared by the report parser and the question reader.

Both sides must normalize the same way, or a search term never meets the text it names.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
REIWA_OFFSET = 2018  # 令和N年度 is fiscal year 2018 + N

# Every dash a person or a PDF export may type where an id wants "-".
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－─━"})
# ー is a long vowel in words (サービス) but people type it as a dash in ids (３ー１ー１).
_ID_DASHES = str.maketrans({c: "-" for c in "ーｰ"})
# A placeholder in the Private Use Area survives NFKC, so ① is not folded into 1.
_PUA = 0xE000
_PROTECT = str.maketrans({c: chr(_PUA + i) for i, c in enumerate(CIRCLED)})
_UNPROTECT = str.maketrans({chr(_PUA + i): c for i, c in enumerate(CIRCLED)})


def circled_to_int(marker: str) -> int:
    """Return the number a circled digit stands for (① → 1)."""
    return CIRCLED.index(marker) + 1


def int_to_circled(n: int) -> str:
    """Return the circled digit for n (1 → ①)."""
    return CIRCLED[n - 1]


def nfkc(text: str) -> str:
    """NFKC that keeps circled numbers as they are (plain NFKC turns ①② into 12)."""
    return unicodedata.normalize("NFKC", text.translate(_PROTECT)).translate(_UNPROTECT)


def is_japanese(ch: str) -> bool:
    """True for kana, kanji and the full-width punctuation that sits between them."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x9FFF  # kanji
        or 0xF900 <= code <= 0xFAFF
        or 0xFF01 <= code <= 0xFF60  # full-width forms
        or ch in "～"
    )


_WRAP_SPACE = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")


def unwrap(text: str) -> str:
    """Remove the spaces a PDF line wrap left inside Japanese words.

    「図書文化 財課」 → 「図書文化財課」, but a space before 「・」 is a list-item boundary and stays.
    Spaces next to Latin letters or digits are kept, since they may be real.
    """

    def fix(m: re.Match) -> str:
        before = text[m.start() - 1]
        after = text[m.end()]
        if after == "・":
            return " "
        if is_japanese(before) and (is_japanese(after) or after.isdigit()):
            return ""
        if before.isdigit() and is_japanese(after):
            return ""
        return m.group(0)

    return _WRAP_SPACE.sub(fix, text).strip()


def squash(text: str) -> str:
    """Drop every space: for comparing header labels that the export split at random."""
    return re.sub(r"\s+", "", nfkc(text))


def normalize(text: str) -> str:
    """Normalize for matching: NFKC (circled numbers kept), lower case, one space, one dash."""
    text = nfkc(text).lower().translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


_KATA_TO_HIRA = str.maketrans({chr(k): chr(k - 0x60) for k in range(0x30A1, 0x30F7)})


def id_form_aligned(normalized: str) -> str:
    """An already normalized text with ー read as a dash too, character for character, for id rules."""
    return normalized.translate(_ID_DASHES)


def to_hiragana(text: str) -> str:
    """Fold katakana to hiragana (ブックポスト → ぶっくぽすと); the long-vowel mark stays."""
    return text.translate(_KATA_TO_HIRA)


_REIWA = re.compile(r"令和\s*(\d+|元)\s*年度")


def reiwa_to_fy(label: str) -> int | None:
    """Return the fiscal year of a 令和N年度 label (令和7年度 → 2025), or None."""
    m = _REIWA.search(nfkc(label))
    if not m:
        return None
    n = 1 if m.group(1) == "元" else int(m.group(1))
    return REIWA_OFFSET + n


def fy_label(fy: int) -> str:
    """Return the report's label for a fiscal year (2025 → 令和7年度)."""
    return f"令和{fy - REIWA_OFFSET}年度"


_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")


def parse_number(raw: str) -> float | None:
    """Parse a published figure such as '1,368,052' or '77%' into a number; None if it is not one."""
    s = nfkc(raw).strip().removesuffix("%").strip()
    if not _NUMBER.match(s):
        return None
    return float(s.replace(",", ""))


def bigrams(text: str) -> list[str]:
    """Character bigrams of the normalized text, one per position, spaces excluded.

    A one-character text yields itself, so 「本」 can still be searched.
    """
    chars = [c for c in normalize(text) if not c.isspace()]
    if len(chars) == 1:
        return chars
    return [a + b for a, b in itertools.pairwise(chars)]


def search_terms(text: str) -> list[str]:
    """The bigrams a text is indexed and searched by: normalized, kana folded, no punctuation."""
    folded = to_hiragana(normalize(text))
    runs = re.findall(r"(?:[^\W_]|ー)+", folded)  # ー is a letter here, not punctuation
    terms: list[str] = []
    for run in runs:
        terms.extend(bigrams(run))
    return terms
