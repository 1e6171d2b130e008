"""Read a staff question: structured rules first (ids, grades, flags, years, indicator words), then
what is left is the text to search (DESIGN.md §3).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from knowledge.romaji import romaji_to_kana
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
_OR = r"\s*(?:と|か|や|、|,|・|及び|および|または|or)\s*"  # in filters these mean OR (DESIGN.md §8)
# 「基本目標3」 always; a bare 「目標3」 only where the sentence makes it a goal (「目標2倍」 is a target).
_GOALS = [
    re.compile(rf"基本目標\s*([1-9](?:{_OR}(?:基本目標)?\s*[1-9])*)(?![\d,.%倍])"),
    re.compile(rf"(?<![a-z\d])目標\s*([1-9](?:{_OR}[1-9])*)(?=\s*(?:の|は|で)?\s*(?:事業|施策|一覧|$))"),
]
_GRADE = [
    re.compile(rf"(?<![a-z])([abc](?:\s*(?:評価|判定)?{_OR}[abc])*)\s*(?:評価|判定|ランク|区分|の事業|事業)"),
    re.compile(rf"(?:進捗状況|進捗|評価|判定|区分|ランク)\s*(?:が|は|=|:|の)?\s*([abc](?:{_OR}[abc])*)(?![a-z])"),
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
    (re.compile(r"(?<![a-z])fy\s*'?(20\d{2}|\d{2})(?!\d)"), "western"),
    (re.compile(r"一昨年度|一昨年"), -2),
    (re.compile(r"([1-5])\s*年前"), "ago"),
    (re.compile(r"昨年度|前年度|去年度|前の年度|前の年|前年|昨年|去年"), -1),
    (re.compile(r"今年度|本年度|当年度|今年"), 0),
    (re.compile(r"来年度|次年度|来年"), 1),
]
# Words that ask for one part of a card; order matters where one contains another.
_PARTS = [
    ("achievement", re.compile(r"達成率|達成度|達成状況")),
    ("below", re.compile(r"下回|未達|届いていない|届かない|到達していない|不足|遅れ|足りない|低い|悪い")),
    ("above", re.compile(r"上回|超え|超過|達成|達し|届い|到達|良い|好調")),
    ("trend", re.compile(r"推移|経年|変化|トレンド|年ごと|各年|毎年|グラフ")),
    ("actual", re.compile(r"実績|結果|実際")),
    ("plan", re.compile(r"年次計画|目標値|目標|計画値|計画")),
    ("next_steps", re.compile(r"今後の取組|今後|次の取組|これから|予定|方針")),
    ("issues", re.compile(r"課題|問題点|改善")),
    ("evaluation", re.compile(r"評価")),
    ("reason", re.compile(r"理由")),
]
# What kind of answer is wanted (DESIGN.md §8). Counter words name the unit: 何か所 → か所.
_COUNT = re.compile(
    r"(施策|基本目標|指標|事業)\s*(?:の)?\s*(?:数|総数)?\s*(?:は|が)?\s*(?:全部で|全部|合計で?|全体で|全体)?\s*"
    r"(?:いくつ|幾つ|何個|何件|何こ)|何\s*(施策|指標|事業)|(施策|指標|事業|目標)\s*の?\s*数(?!値)"
)
_COUNTED = {"施策": "policies", "基本目標": "goals", "目標": "goals", "指標": "indicators", "事業": "projects"}
_COUNTER = re.compile(
    r"何\s*(か所|カ所|ヶ所|箇所|ケ所|台|件|人|名|倍|校|園|館|冊|回|作品|点|タイトル|種類|団体|社|部|枚|%|パーセント|割)"
)
_ASKS = [
    ("when", re.compile(r"いつ(?:から|まで|頃|ごろ)?|何月|何年")),
    ("where", re.compile(r"どこ|どの館|どの図書館|どちら|どの施設")),
    ("language", re.compile(r"何語|何か国語|どの言語|どんな言語|何の言語")),
    ("reason", re.compile(r"なぜ|何故|どうして|なんで|原因|理由|わけは")),
    ("describe", re.compile(r"どんな|どのような|どういう|どうやって|どのように|何を|誰|だれ")),
    ("amount", re.compile(r"どれくらい|どれぐらい|どのくらい|どのぐらい|どれだけ|いくら|いくつ|の数(?=は|を|$)")),
    ("compare", re.compile(r"比べ|比較|前年比|前年度比|差は|の差|変わっ|変わり")),
]
_RANK = re.compile(
    r"(?:一番|いちばん|最も|もっとも|最高|最低|最大|最小|トップ|ワースト|ベスト)\s*(?:の)?\s*(?:達成率)?\s*"
    r"(?:が|に|の)?\s*(?:(?:高|低|大き|小さ|多|少な|良|悪)[いくかけ]?)?"
)
_LOW = re.compile(r"低|少な|悪|最低|最小|ワースト|小さ|下回")
_THRESHOLD = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:%|パーセント)\s*(?:を|に|より)?\s*(超え|超|以上|上回|未満|以下|下回|に?届かな|に?満たな)"
)
# A change asked about: its direction (「増えた」「悪化した」), read before 改善 means 課題.
_DIRECTION = [
    ("up", re.compile(r"改善し|良くなっ|好転|伸び|増え|増加|上が|上昇|多く|多い")),
    ("down", re.compile(r"悪化|悪くなっ|減っ|減少|減り|下が|低下|落ち|少なく|少ない")),
]
# A year followed by these is the base of a comparison (「前年度から」「去年と比べて」), not the year asked.
_BASE = re.compile(r"\s*(?:と\s*比|に\s*比|比|から|より)")
_INTERROGATIVE = re.compile(r"何|なに|なん|いつ|どこ|どの|どう|どれ|だれ|誰|なぜ|何故|いくつ|いくら|どんな|どちら")
_YESNO_END = re.compile(r"(?:た|だ|る|い|か|てる|ない|達成|到達|開始|完了|実施)\s*[?？]*\s*$")
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
    goals: list[int] = field(default_factory=list)
    policy: str | None = None
    grades: list[str] = field(default_factory=list)
    key: bool = False
    new: bool = False
    page: int | None = None
    sheet: str | None = None
    fy: int | None = None
    fy_said: str = ""  # the year as the person wrote it, for replies
    fy_base: int | None = None  # the year a comparison is made against (「前年度から」)
    parts: set[str] = field(default_factory=set)
    asks: set[str] = field(default_factory=set)  # answer types: when, where, reason, count, compare…
    unit: str = ""  # the unit a counter word asks for (何か所 → か所)
    count_of: str = ""  # what 「いくつ」 counts: projects, policies, goals, indicators
    rank: str = ""  # "high" or "low" for 一番高い/一番低い
    threshold: tuple[str, float, str] | None = None  # ("over"|"under", 100.0, "超え") for 「100%を超えた」
    direction: str = ""  # "up" or "down" for 増えた/悪化した
    yesno: bool = False
    scope: list[str] = field(default_factory=list)  # a follow-up's projects: what was just shown
    indicator_ids: list[str] = field(default_factory=list)  # a follow-up's indicators, when it names none
    summary: bool = False
    all_projects: bool = False
    help: bool = False
    search: str = ""

    @property
    def has_filter(self) -> bool:
        return bool(self.goals or self.policy or self.grades or self.key or self.new or self.page or self.sheet)


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms and filler phrases from vocabulary.toml, normalized the way questions are."""

    synonyms: dict[str, tuple[str, ...]]
    fillers: tuple[str, ...]
    generic: tuple[str, ...] = ()  # the report's own generic words: no evidence of what is asked


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """Load the vocabulary file once per process."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    synonyms = {_fold(k): tuple(v) for k, v in data.get("synonyms", {}).items()}
    fillers = tuple(sorted({_fold(p) for p in data.get("fillers", {}).get("phrases", [])}, key=len, reverse=True))
    generic = tuple(sorted({normalize(w) for w in data.get("generic", {}).get("words", [])}, key=len, reverse=True))
    return Vocabulary(synonyms, fillers, generic)


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
    for pattern in _GOALS:
        take(pattern, lambda m: q.goals.extend(int(d) for d in re.findall(r"\d", m.group(1)) if int(d) not in q.goals))
    for pattern in _GRADE:
        take(pattern, lambda m: q.grades.extend(g for g in re.findall(r"[abc]", m.group(1)) if g not in q.grades))
    for pattern in _PAGE:
        take(pattern, lambda m: setattr(q, "page", int(m.group(1))))
    take(_THRESHOLD, lambda m: setattr(q, "threshold", (_threshold_side(m.group(2)), float(m.group(1)), m.group(2))))
    years: list[tuple[int, int, str, bool, bool]] = []  # position, fy, as written, is a base, relative
    for pattern, kind in _YEARS:
        take(pattern, lambda m, kind=kind: years.append(_year(m, kind, as_of_fy, text)))
    _set_years(q, sorted(years), as_of_fy)
    take(_COUNT, lambda m: (q.asks.add("count"), setattr(q, "count_of", _COUNTED[next(g for g in m.groups() if g)])))
    take(_COUNTER, lambda m: setattr(q, "unit", m.group(1)))
    take(_RANK, lambda m: setattr(q, "rank", "low" if _LOW.search(m.group(0)) else "high"))
    for name, pattern in _DIRECTION:
        take(pattern, lambda m, name=name: setattr(q, "direction", q.direction or name))
    for name, pattern in _ASKS:
        take(pattern, lambda m, name=name: q.asks.add(name))
    for name, pattern in _PARTS:
        take(pattern, lambda m, name=name: q.parts.add(name))
    for flag, pattern in (("key", _KEY), ("new", _NEW), ("summary", _SUMMARY), ("all_projects", _LIST)):
        take(pattern, lambda m, flag=flag: setattr(q, flag, True))
    take(_HELP, lambda m: setattr(q, "help", True))
    plain = normalize(clean(raw))
    if q.rank and _LOW.search(plain):
        q.rank = "low"  # 「一番大きく下回った」: the word that says which end may stand apart from 一番
    q.yesno = bool(_YESNO_END.search(plain)) and not _INTERROGATIVE.search(plain)
    # 「A、B、Cの進捗」 lists topics as 「AとBとC」 does; punctuation is dropped with the fillers.
    text = re.sub(r"(?<=[^\s、,])[、,](?=[^\s、,])", "と", text)
    q.search = _strip_fillers(romaji_to_kana(text, _latin_words()))
    if not q.search and not _has_structure(q) and not q.raw.strip():
        q.help = True
    return q


def _project_id(m: re.Match) -> str:
    number = m.group(3)
    marker = number if number in CIRCLED else (int_to_circled(int(number)) if 0 < int(number) <= 20 else "?")
    return f"{int(m.group(1))}-({int(m.group(2))})-{marker}"


def _year(m: re.Match, kind, as_of_fy: int, text: str) -> tuple[int, int, str, bool, bool]:
    """A year named in the question: where, which fiscal year, as written, whether it is a base."""
    if kind == "reiwa":
        fy = REIWA_OFFSET + (1 if m.group(1) == "元" else int(m.group(1)))
    elif kind == "western":
        fy = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
    elif kind == "ago":  # 「2年前」: counted back from the as-of year
        fy = as_of_fy - int(m.group(1))
    else:
        fy = as_of_fy + kind
    base = _BASE.match(text, m.end()) is not None
    return m.start(), fy, m.group(0).strip(), base, isinstance(kind, int) or kind == "ago"


def _set_years(q: Question, years: list[tuple[int, int, str, bool, bool]], as_of_fy: int) -> None:
    """The year asked about (the first named that is not a base) and the base of a comparison."""
    asked = [y for y in years if not y[3]]
    bases = [y for y in years if y[3]]
    if asked:
        _, q.fy, q.fy_said, _, _ = asked[0]
    if bases:
        _, q.fy_base, _, _, relative = bases[0]
        if relative and q.fy is not None:  # 「令和6年度は前年度から」: counted back from the year asked
            q.fy_base = q.fy + (q.fy_base - as_of_fy)
    elif len(asked) >= 2:  # 「令和5年度と令和7年度」: the earlier is the base
        q.fy_base, q.fy = min(y[1] for y in asked), max(y[1] for y in asked)
        q.fy_said = next(y[2] for y in asked if y[1] == q.fy)


def _threshold_side(word: str) -> str:
    return "over" if word in ("超え", "超", "以上", "上回") else "under"


@cache
def _latin_words() -> frozenset[str]:
    """The vocabulary's own Latin words (sns, ya…), which romaji reading must leave alone."""
    return frozenset(k for k in vocabulary().synonyms if k.isascii())


def _has_structure(q: Question) -> bool:
    return bool(q.project_ids or q.has_filter or q.fy or q.parts or q.summary or q.all_projects or q.help)


# What a cut leaves of a verb (「っている」「している」): no word starts with っ, ん or a small kana.
_GRAMMAR = re.compile(
    r"[っゃゅょんー][ぁ-ゖー]*|(?:し|っ)?(?:て|で)?(?:いる|います|いた|ある|あります|する|した|して|される|された)[のか]?"
)


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
    # A particle left dangling by a cut (「ブックポストは」); in all-hiragana words it may be the word's own.
    rest = re.sub(r"(?<=[^\sぁ-ゖー])[のはがをにでとへや](?= |$)", "", rest)
    words = [re.sub(r"^[てでにをはがとのへや](?=[一-龥ァ-ヶa-z0-9])", "", w) for w in rest.split()]
    words = [w for w in words if not _GRAMMAR.fullmatch(w)]
    # Short hiragana left by the rules (「から」「した」「ある」) is grammar when anything else is left.
    content = [w for w in words if not re.fullmatch(r"[ぁ-ゖー]{1,3}", w)]
    if not content and len(words) > 1:
        return ""
    rest = " ".join(content or words)
    return "" if re.fullmatch(r"[ぁ-ゖー ]{0,2}", rest) else rest


@lru_cache(maxsize=4096)  # pure, and asked for the same words several times per question
def expand_synonyms(search: str) -> tuple[str, ...]:
    """The search text plus the report's words for any staff vocabulary in it."""
    out = [search]
    seen = {search}
    for text in out:  # grows as it goes: 子供 → 子ども → 児童, bounded by the vocabulary's size
        folded = _fold(text)
        for key, values in vocabulary().synonyms.items():
            if key.isascii() and key.isalpha():
                found = re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded)
            else:
                found = key in folded
            for value in values if found else ():
                if value not in seen:
                    seen.add(value)
                    out.append(value)
    return tuple(out)
