"""Read a staff question: structured rules first (ids, grades, flags, years, indicator words), then
what is left is the text to search (DESIGN.md §3).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from knowledge.text import CIRCLED, REIWA_OFFSET, id_form_aligned, int_to_circled, normalize, to_hiragana

VOCABULARY = Path(__file__).parent / "data" / "vocabulary.toml"
MAX_QUESTION = 500  # characters read from a question; the rest cannot change the answer

_C = f"[{CIRCLED}]"
_NUM = rf"(?:{_C}|\d{{1,2}})"
# Project ids in every spelling: 3-(1)-①, 3-1-1, 3(1)①, 3-1①, 事業3-1-1 (after NFKC and dash folding).
_PROJECT_IDS = [
    re.compile(rf"(?<![\d.,])([1-9])\s*-?\s*\(\s*(\d{{1,2}})\s*\)\s*-?\s*({_NUM})(?![\d,.%])"),
    re.compile(rf"(?<![\d.,\-])([1-9])\s*-\s*(\d{{1,2}})\s*-\s*({_NUM})(?![\d,.%\-])"),
    re.compile(rf"(?<![\d.,\-])([1-9])\s*-?\s*(\d)\s*-?\s*({_C})"),
]
_POLICY = [
    re.compile(r"施策\s*([1-9])\s*-?\s*\(?\s*(\d{1,2})\s*\)?"),
    re.compile(r"(?<![\d.,\-])([1-9])\s*-?\s*\(\s*(\d{1,2})\s*\)(?!\s*-?\s*[\d" + CIRCLED + "])"),
]
_GOAL = re.compile(r"(?:基本)?目標\s*([1-9])(?![\d,.%])")
_GRADE = [
    re.compile(r"(?<![a-z])([abc])\s*(?:評価|判定|ランク|区分|の事業|事業)"),
    re.compile(r"(?:進捗状況|進捗|評価|判定|区分|ランク)\s*(?:が|は|=|:|の)?\s*([abc])(?![a-z])"),
]
_PAGE = [
    re.compile(r"(?:計画書の?)?\s*(?<![a-z])p\.?\s*(\d{1,3})(?!\d)"),
    re.compile(r"(?:計画書の?)?\s*(\d{1,3})\s*(?:ページ|頁)"),
]
_SHEET = [
    (re.compile(r"別紙\s*2\s*-\s*(\d)"), "別紙2-{}"),
    (re.compile(r"参考資料\s*-?\s*(\d)"), "参考資料-{}"),
]
_YEARS = [
    (re.compile(r"令和\s*(\d{1,2}|元)\s*(?:年度|年)?"), "reiwa"),
    (re.compile(r"(?<![a-z])r\s*(\d{1,2})(?:\s*年度)?(?!\d)"), "reiwa"),
    (re.compile(r"(20\d{2})\s*年度?"), "western"),
    (re.compile(r"一昨年度|一昨年"), -2),
    (re.compile(r"昨年度|前年度|去年度|昨年|去年"), -1),
    (re.compile(r"今年度|本年度|当年度|今年"), 0),
    (re.compile(r"来年度|次年度|来年"), 1),
]
# Words that ask for one part of a card; order matters where one contains another.
_PARTS = [
    ("achievement", re.compile(r"達成率|達成度|達成状況|何\s*%|何パーセント")),
    ("below", re.compile(r"下回|未達|届いていない|届かない|到達していない|不足|遅れ|足りない|低い|悪い")),
    ("above", re.compile(r"上回|超え|超過|達成している|達成した|良い|好調")),
    ("trend", re.compile(r"推移|経年|変化|トレンド|年ごと|各年|毎年|グラフ")),
    ("actual", re.compile(r"実績|結果|実際")),
    ("plan", re.compile(r"年次計画|目標値|目標|計画値|計画")),
    ("next_steps", re.compile(r"今後の取組|今後|次の取組|これから|予定|方針")),
    ("issues", re.compile(r"課題|問題点|改善")),
    ("evaluation", re.compile(r"評価")),
    ("reason", re.compile(r"理由")),
]
_KEY = re.compile(r"重点")
_NEW = re.compile(r"新規|新しい事業")
_SUMMARY = re.compile(r"まとめ|全体|総括|サマリ|ダイジェスト|概況|一覧表|振り返り|概要")
_LIST = re.compile(r"一覧|全事業|全ての事業|すべての事業|全部|リスト|どんな事業|何がある|どれがある")
_HELP = re.compile(r"使い方|ヘルプ|help|何ができる|なにができる|何を聞け|聞き方|コマンド|how to")
_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>|<(?:https?|mailto):[^>]*>")


@dataclass
class Question:
    """What a question asks, as far as rules can tell; `search` is the text left to look up."""

    raw: str
    project_ids: list[str] = field(default_factory=list)
    goal: int | None = None
    policy: str | None = None
    grades: list[str] = field(default_factory=list)
    key: bool = False
    new: bool = False
    page: int | None = None
    sheet: str | None = None
    fy: int | None = None
    fy_said: str = ""  # the year as the person wrote it, for replies
    parts: set[str] = field(default_factory=set)
    summary: bool = False
    all_projects: bool = False
    help: bool = False
    search: str = ""

    @property
    def has_filter(self) -> bool:
        return bool(self.goal or self.policy or self.grades or self.key or self.new or self.page or self.sheet)


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms and filler phrases from vocabulary.toml, normalized the way questions are."""

    synonyms: dict[str, tuple[str, ...]]
    fillers: tuple[str, ...]


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """Load the vocabulary file once per process."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    synonyms = {_fold(k): tuple(v) for k, v in data.get("synonyms", {}).items()}
    fillers = tuple(sorted({_fold(p) for p in data.get("fillers", {}).get("phrases", [])}, key=len, reverse=True))
    return Vocabulary(synonyms, fillers)


def _fold(text: str) -> str:
    return to_hiragana(normalize(text))


def clean(raw: str) -> str:
    """Slack markup out, length capped: mentions dropped, links reduced to their label."""
    text = raw[: MAX_QUESTION * 2]
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    text = _MENTION.sub(" ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text[:MAX_QUESTION]


def parse_question(raw: str, as_of_fy: int) -> Question:
    """Read a question into a Question. `as_of_fy` anchors 今年度/昨年度 to the report's as-of."""
    q = Question(raw=raw)
    text = normalize(clean(raw))

    def take(pattern: re.Pattern, handle, ids: bool = False) -> None:
        # Ids are read with ー as a dash (３ー１ー１); words keep it (サービス). Blanking a match with
        # as many spaces keeps both spellings aligned.
        nonlocal text
        source = id_form_aligned(text) if ids else text
        for m in list(pattern.finditer(source)):
            handle(m)
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]

    for pattern in _PROJECT_IDS:
        take(pattern, lambda m: q.project_ids.append(_project_id(m)), ids=True)
    for pattern in _POLICY:
        take(pattern, lambda m: setattr(q, "policy", f"{m.group(1)}-({int(m.group(2))})"), ids=True)
    for pattern, fmt in _SHEET:
        take(pattern, lambda m, fmt=fmt: setattr(q, "sheet", fmt.format(m.group(1))))
    take(_GOAL, lambda m: setattr(q, "goal", int(m.group(1))))
    for pattern in _GRADE:
        take(pattern, lambda m: q.grades.append(m.group(1)) if m.group(1) not in q.grades else None)
    for pattern in _PAGE:
        take(pattern, lambda m: setattr(q, "page", int(m.group(1))))
    for pattern, kind in _YEARS:
        take(pattern, lambda m, kind=kind: _set_year(q, m, kind, as_of_fy))
    for name, pattern in _PARTS:
        take(pattern, lambda m, name=name: q.parts.add(name))
    for flag, pattern in (("key", _KEY), ("new", _NEW), ("summary", _SUMMARY), ("all_projects", _LIST)):
        take(pattern, lambda m, flag=flag: setattr(q, flag, True))
    take(_HELP, lambda m: setattr(q, "help", True))
    q.search = _strip_fillers(text)
    if not q.search and not _has_structure(q) and not q.raw.strip():
        q.help = True
    return q


def _project_id(m: re.Match) -> str:
    number = m.group(3)
    marker = number if number in CIRCLED else (int_to_circled(int(number)) if 0 < int(number) <= 20 else "?")
    return f"{int(m.group(1))}-({int(m.group(2))})-{marker}"


def _set_year(q: Question, m: re.Match, kind, as_of_fy: int) -> None:
    if q.fy is not None:
        return  # the first year named is the one asked about
    if kind == "reiwa":
        n = 1 if m.group(1) == "元" else int(m.group(1))
        q.fy = REIWA_OFFSET + n
    elif kind == "western":
        q.fy = int(m.group(1))
    else:
        q.fy = as_of_fy + kind
    q.fy_said = m.group(0).strip()


def _has_structure(q: Question) -> bool:
    return bool(q.project_ids or q.has_filter or q.fy or q.parts or q.summary or q.all_projects or q.help)


def _strip_fillers(text: str) -> str:
    """Remove filler phrases, matching kana-folded but keeping the question's own script.

    The script matters later: a katakana or kanji bigram is stronger evidence than a hiragana one.
    """
    chars = list(text)
    folded = to_hiragana(text)  # one character for one, so positions line up
    for phrase in vocabulary().fillers:
        for m in re.finditer(re.escape(phrase), folded):
            chars[m.start() : m.end()] = [" "] * (m.end() - m.start())
        folded = folded.replace(phrase, " " * len(phrase))
    # What is left of punctuation and lone particles carries no topic.
    rest = re.sub(r"[\s\W_]+", " ", "".join(chars)).strip()
    rest = re.sub(r"(?<=\S)[のはがをにでとへや](?= |$)", "", rest)  # a particle left dangling by a cut
    return "" if re.fullmatch(r"[ぁ-ゖー ]{0,2}", rest) else rest


def expand_synonyms(search: str) -> list[str]:
    """The search text plus the report's words for any staff vocabulary in it."""
    out = [search]
    seen = {search}
    for text in out:  # grows as it goes: 子供 → 子ども → 児童, bounded by the vocabulary's size
        for key, values in vocabulary().synonyms.items():
            if key.isascii() and key.isalpha():
                found = re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", _fold(text))
            else:
                found = key in _fold(text)
            for value in values if found else ():
                if value not in seen:
                    seen.add(value)
                    out.append(value)
    return out
