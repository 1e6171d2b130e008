"""Pull the span that answers out of a quoted passage: 「区内22か所に設置」 → 「22か所」 (docs/design.md §4).

Every span is a substring of the passage, so what the bot says is what the report says.
"""

from __future__ import annotations

import re

from knowledge.text import nfkc

_NUMBER = r"[0-9０-９][0-9０-９,，.．]*"
# Words that qualify a figure and belong in the span: 「約250冊」「月に150件程度」「1.5倍以上」.
_BEFORE = r"(?:月に|年に|年間|毎月|計|約|合計|全)?"
_AFTER = r"(?:程度|以上|以下|未満|余り|超|前後)?"
_WHEN = re.compile(
    r"(?:令和\s*\d+\s*年度?の?)?\d{1,2}月(?:\d{1,2}日)?(?:から|より|以降)?|令和\s*\d+\s*年度(?:から|より|以降)?"
)
_LANGUAGE = re.compile(r"[ァ-ヶー一-龥]{1,6}語")
_NOT_LANGUAGE = ("外国語", "言語", "単語", "用語", "標語", "物語")
_PLACE = re.compile(
    r"[ァ-ヶー一-龥A-Za-z()（）]{1,20}?(?:図書館|館|施設|センター|プラザ|区有施設|学校|幼稚園|保育園|病院)"
)
_PARTNER = re.compile(r"([^、。・\s]{2,}(?:、[^、。・\s]{2,})*)と(?:連携|協力|共催|共同)")
_NOT_PLACES = (
    "他館",
    "各館",
    "全館",
    "当館",
    "両館",
    "本館",
    "同館",
    "来館",
    "開館",
    "閉館",
    "図書館",
    "区立図書館",
    "施設",
)
_CAUSE = re.compile(r"^(.{2,}?(?:により|によって|のため|ため|ことから|結果))")
# Counter words the report writes after a figure (for 「…の数は？」 with no counter word).
_COUNTERS = "|".join(
    ["か所", "カ所", "ヶ所", "箇所", "作品", "タイトル", "ポイント", "パーセント", "種類", "団体", "か月", "%", "％"]
    + list("つ冊件人名回台館校園倍点種社部枚歳割")
)
_ANY_FIGURE = re.compile(rf"{_BEFORE}{_NUMBER}\s*(?:{_COUNTERS}){_AFTER}")


def figure_span(text: str, unit: str) -> str:
    """The first figure in the text written with this unit (「22か所」 for か所), or ''."""
    units = _unit_spellings(unit)
    pattern = re.compile(rf"{_BEFORE}{_NUMBER}\s*(?:{'|'.join(map(re.escape, units))}){_AFTER}")
    m = pattern.search(text)
    return m.group(0) if m else ""


def any_figure(text: str, after: str = "") -> str:
    """The first figure (number and the unit word after it) in the text, after a phrase if given."""
    start = 0
    if after:
        at = nfkc(text).find(nfkc(after))
        start = at + len(after) if at >= 0 else 0
    m = _ANY_FIGURE.search(text, start) or _ANY_FIGURE.search(text)
    return m.group(0) if m else ""


def when_span(text: str) -> str:
    """A month or year the text dates something by (「5月から」), or ''."""
    m = _WHEN.search(text)
    return m.group(0) if m else ""


def language_span(text: str) -> str:
    """A language the text names (「英語」), or ''."""
    for m in _LANGUAGE.finditer(text):
        if not m.group(0).endswith(_NOT_LANGUAGE):
            return m.group(0)
    return ""


def place_span(text: str) -> str:
    """A library or facility the text names (not 「他館」「各館」), or a partner it works with
    (「EU(駐日欧州連合)、シンガポールと連携」), or where something went (「地域のイベントへ」), or ''."""
    for m in _PLACE.finditer(text):
        place = m.group(0).lstrip("(（")
        if place not in _NOT_PLACES:
            return place
    m = _PARTNER.search(text)
    if m:
        return m.group(1)
    went = [d for d in _DESTINATION.findall(text) if d not in _NOT_PLACES]  # not 「他館への導入」
    return went[0] if went else ""


# 「地域のイベントへリサイクル本の提供」: where a thing went, said with へ
_DESTINATION = re.compile(r"([一-龥ァ-ヶー]{2,12}(?:の[一-龥ァ-ヶー]{2,10})?)へ")


def cause_span(text: str) -> str:
    """The clause that gives a cause (「…入札手続き中止により」), or ''."""
    m = _CAUSE.search(text)
    return m.group(1) if m else ""


def _unit_spellings(unit: str) -> tuple[str, ...]:
    if unit in ("か所", "カ所", "ヶ所", "箇所", "ケ所"):
        return ("か所", "カ所", "ヶ所", "箇所", "ケ所")
    if unit in ("%", "パーセント"):
        return ("%", "％", "パーセント")
    if unit in ("人", "名"):
        return ("人", "名")
    if unit in ("個", "つ", "種類", "種"):  # 「何個？」「何種類？」 are answered by 「9つ」
        return ("個", "つ", "種類", "種")
    return (unit,)


_FREQUENCY = re.compile(r"毎(?:月|週|年|日)|(?:月|週|年)に?\s*\d+\s*回|年\d+回|定期的|随時|常時")


def frequency_span(text: str) -> str:
    """How often the text says something is done (「毎月」「年2回」), or ''."""
    m = _FREQUENCY.search(text)
    return m.group(0) if m else ""
