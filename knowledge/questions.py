"""Read a staff question: structured rules first (ids, grades, flags, years, indicator words), then
what is left is the text to search (docs/design.md §1).
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path

from knowledge import grammar, lexicon
from knowledge.romaji import romaji_to_kana
from knowledge.text import CIRCLED, REIWA_OFFSET, id_form_aligned, int_to_circled, normalize, to_hiragana
from knowledge.words import TOPICAL, Pos, Word, analyze, units

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
    re.compile(r"基本目標\s*([1-9])\s*の?\s*\(\s*(\d{1,2})\s*\)"),
    re.compile(r"施策\s*([1-9])\s*-?\s*\(?\s*(\d{1,2})\s*\)?"),
    re.compile(r"(?<![\d.,\-])([1-9])\s*-?\s*\(\s*(\d{1,2})\s*\)(?!\s*-?\s*[\d" + CIRCLED + "])"),
]
_OR = r"\s*(?:と|か|や|、|,|・|/|及び|および|または|or)\s*"  # in filters these mean OR
# 「基本目標3」 always; a bare 「目標3」 only where the sentence makes it a goal (「目標2倍」 is a target).
_GOALS = [
    # not 「基本目標4つ」: a count of goals
    re.compile(rf"基本目標\s*([1-9](?:{_OR}(?:基本目標)?\s*[1-9])*)(?![\d,.%倍]|\s*(?:つ|個))"),
    re.compile(rf"(?<![a-z\d])目標\s*([1-9](?:{_OR}[1-9])*)(?=\s*(?:の|は|で)?\s*(?:事業|施策|一覧|$))"),
    # 「目標3（読書を楽しむ…）」「目標3、」: a goal number glossed or set off, never a target figure (目標3件)
    re.compile(r"(?<![a-z\d])目標\s*([1-4])(?=\s*(?:[（(「、]|,(?!\d)|って|は|の事業|の施策|の状況|の進捗|で|が|も))"),
]
# The grades as a whole, broken down: 「進捗区分の内訳」「評価別」.
_EVERY_GRADE = re.compile(r"(?:進捗区分|評価区分|進捗状況|評価)\s*(?:別|ごと|の内訳|の件数)")
# After a grade, the words that ask for every grade but that one (「a評価じゃない」「a以外」).
_NOT_THAT = re.compile(r"\s*(?:じゃな|ではな|でな|じゃあな|以外|を除)")
_GRADE = [
    # 「a/b/cの件数」: two or more grade letters joined are grades, whatever follows; 「abc」 written together
    re.compile(rf"(?<![a-z])([abc](?:{_OR}[abc])+)(?![a-z])"),
    re.compile(r"(?<![a-z])(abc)(?![a-z])"),
    re.compile(rf"(?<![a-z])([abc](?:\s*(?:評価|判定)?{_OR}[abc])*)\s*(?:評価|判定|ランク|区分|の事業|事業)"),
    re.compile(
        rf"(?:進捗状況|進捗|評価|判定|区分|ランク|grade|graded|rated|rating)\s*(?:が|は|=|:|の)?\s*([abc](?:{_OR}[abc])*)(?![a-z])"
    ),
    re.compile(r"(?<![a-z])([abc])(?=\s*(?:以外|を除))"),  # 「a以外」
    # 「bのほう」「cは？」「aだけ」: a letter alone before a particle is a grade (the plan's only letters)
    re.compile(r"(?<![a-z])([abc])(?=\s*(?:の\s*(?:ほう|方|やつ|もの|事業)|は|って|が|だけ|のみ)(?![a-z]))"),
]
_PAGE = [
    re.compile(r"(?:計画書の?)?\s*(?<![a-z])p\.?\s*(\d{1,3})(?!\d)"),
    re.compile(r"(?:計画書の?)?\s*(\d{1,3})\s*(?:ページ|頁)"),
]
_SHEET = [
    (re.compile(r"別紙\s*2\s*-\s*(\d)"), "別紙2-{}"),
    (re.compile(r"別紙\s*2(?!\s*-?\s*\d)"), "別紙2"),
    (re.compile(r"参考資料\s*-?\s*(\d)"), "参考資料-{}"),
    (re.compile(r"参考資料(?!\s*-?\s*\d)"), "参考資料"),
]
_YEARS = [
    (re.compile(r"令和\s*(\d{1,2}|元)\s*(?:年度|年)?"), "reiwa"),
    (re.compile(r"(?<![a-z])r\s*(\d{1,2})(?:\s*年度)?(?!\d)"), "reiwa"),
    (re.compile(r"(20\d{2})\s*年度?"), "western"),
    (re.compile(r"(?<![a-z])fy\s*'?(20\d{2}|\d{2})(?!\d)"), "western"),
    (re.compile(r"(?:fy\s*)?(?:reiwa|れいわ)\s*(\d{1,2})(?!\d)"), "reiwa"),
    (re.compile(r"(?<![\d年])([1-9])\s*年度"), "reiwa"),  # 「6年度」: this plan counts years in 令和
    (re.compile(r"一昨年度|一昨年"), -2),
    (re.compile(r"([1-5])\s*年前"), "ago"),
    (re.compile(r"昨年度|前年度|去年度|前の年度|前の年|前年|昨年|去年|きょねん"), -1),
    (re.compile(r"今年度|本年度|当年度|今年|ことし"), 0),
    (re.compile(r"来年度|次年度|来年"), 1),
]
# What kind of answer is wanted (docs/design.md §4). Counter words name the unit: 何か所 → か所.
_COUNT = re.compile(
    r"(施策|基本目標|指標|事業)\s*(?:の)?\s*(?:数|総数)?\s*(?:は|が|って)?\s*(?:全部で|全部|合計で?|全体で|全体)?\s*"
    r"(?:計画に|計画で|この計画に)?\s*(?:いくつ|幾つ|何個|何件|何こ|何本|何項目)|何\s*(施策|指標|事業)"
    r"|(施策|指標|事業|基本目標|目標)\s*の?\s*数(?!値)"
)
_COUNTED = {"施策": "policies", "基本目標": "goals", "目標": "goals", "指標": "indicators", "事業": "projects"}
# How staff say a counter the report writes otherwise (「何パー？」 asks a percentage).
_UNIT_SPELLINGS = {"パー": "%", "パーセント": "%", "かい": "回", "けん": "件", "さつ": "冊", "にん": "人", "だい": "台"}
# 「何台？」「何校分？」: the counter asked (with 分, a count of that many's worth).
_COUNTER = re.compile(
    r"何\s*(か所|カ所|ヶ所|箇所|ケ所|台|件|人|名|倍|校|園|館|冊|回|作品|点|タイトル|種類|団体|社|部|枚|%|パーセント|割|個|つ|歳|ポイント|パー|時|位"
    r"|かい(?!い)|けん|さつ|にん|だい(?!じ))(?:分(?![\d]))?"  # 「何かい」: a counter typed in kana
)
# 「加わった館の数」: a counter said as a noun and の数 asks a count in that counter.
_COUNTER_OF = re.compile(r"(?<![一-龥々ァ-ヶ])(館|校|園|件|人|回|冊|台|か所|箇所)\s*の\s*数(?![値字])")
# A sum of money asked: its words, and いくら with a verb of spending (not 「貸出数はいくら？」).
_MONEY = re.compile(r"何\s*円|金額|予算|決算|費用|経費|いくら\s*(?:使|かか|掛か|かけ|払|出)")
# A run of years asked as one (「直近3年」「過去3年分」「3年分並べて」; not the plan's 「後期3年間」): the figures
# of each year, as a trend is.
_YEAR_RUN = re.compile(
    r"(?:直近|過去|ここ|この)\s*(?:[2-6]|[二三四五六])\s*(?:年度|年|か年|カ年|ヵ年)(?:分|間)?"
    r"|(?<!前期)(?<!後期)(?<![\d年])(?:[2-6]|[二三四五六])\s*(?:年度|年|か年|カ年|ヵ年)\s*分"
)
# Between two years, they make a span (「R5からR7まで」「令和5〜7年度」), not a comparison's base.
_SPAN_BETWEEN = re.compile(r"\s*(?:〜|~|～|から|より)\s*$")
_HOW_MUCH = re.compile(
    r"何\s*[^\s、。?？]{0,4}?(?:増|減|伸|違|差)|どれ(?:だけ|くらい|ぐらい)|どの(?:くらい|ぐらい)|いくつ|差"
)
_SPAN_AFTER = re.compile(r"\s*(?:まで|にかけて|の(?:間|推移|実績|分))")
_THRESHOLD = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:%|パーセント)\s*(?:を|に|より)?\s*(超え|超|以上|上回|未満|以下|下回|に?届かな|に?満たな)"
)
_BASE = re.compile(r"\s*(?:と\s*比|に\s*比|比|から|より|の\s*(?:何|なん)?\s*倍|との\s*(?:比較|対比|差))")
# A yes/no ends like a question; a polite ending (ます, ません) only with a question mark, since
# 「…に使います。」 says what the answer is for.
_YESNO_END = re.compile(
    r"(?:(?:た|だ|る|い|か|てる|ない|達成|到達|開始|完了|実施|ですか|でしょうか|よね|かな|っけ|の)\s*[?？。]*"
    r"|(?:ます|ません|ました)\s*[?？]+)\s*$"
)
# 「Xって何？」「Xとは」 at the end of a question ask what X means; 「Xってなにがある？」 does not.
_WHAT_IS = re.compile(
    r"(?:(?<![ぁ-ゖ])とは|って(?:何|なに|なん))(?:です|でした|だ|な)?(?:か|っけ|の|のこと)?\s*[?？]*\s*$"
)
_STATED_RATIO = re.compile(r"\d(?:\.\d+)?\s*倍")
_GLOSSED_LETTER = re.compile(r"(?<![a-z])([abc])\s*\([^)]{1,20}\)")
_LONE_GOAL = re.compile(r"(?:じゃあ|じゃ|では|なら|あと|で|それと|次は)?\s*[、,]?\s*([1-4])\s*(?:は|も)?\s*[?？]?")
_QUOTED_LETTER = re.compile(r"[「『\"'“]([abc－-])[」』\"'”]")
_LONE_GRADE = re.compile(
    r"(?:じゃあ|じゃ|では|それでは|なら|あと|で|それと|次は)?\s*[、,]?\s*[abc]\s*(?:は|も|の事業|評価|だと|なら)?\s*[?？]?"
)
_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>|<(?:https?|mailto):[^>]*>")


class Part(StrEnum):
    """A part of a project's sheet or card a question asks for."""

    ACTUAL = "actual"
    PLAN = "plan"
    TREND = "trend"
    ACHIEVEMENT = "achievement"
    BELOW = "below"
    ABOVE = "above"
    NEXT_STEPS = "next_steps"
    ISSUES = "issues"
    EVALUATION = "evaluation"
    REASON = "reason"


class Ask(StrEnum):
    """What kind of answer a question wants."""

    STATUS = "status"
    COUNT = "count"
    AMOUNT = "amount"
    COMPARE = "compare"
    GAP = "gap"
    RATIO = "ratio"
    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    LANGUAGE = "language"
    REASON = "reason"
    DESCRIBE = "describe"
    LEGEND = "legend"
    PERIOD = "period"
    AS_OF = "as_of"
    FREQUENCY = "frequency"
    OTHER = "other"  # other projects than the one being talked about (ほかに, 似たような)
    FINAL = "final"  # the plan's last year (最終目標)
    PER = "per"  # one figure per goal (基本目標ごと)
    WHICH = "which"  # which projects (どれ, どの事業)


class Level(StrEnum):
    """Which level of the plan a question names: its goals, policies, projects, indicators, or what the
    project list says of each."""

    GOAL = "goal"
    POLICY = "policy"
    PROJECT = "project"
    INDICATOR = "indicator"
    DEPARTMENT = "department"
    PAGE = "page"
    NUMBER = "number"


@dataclass(frozen=True)
class Compound:
    """A topic word of a question: adjacent nouns joined, with the words it is made of."""

    text: str
    words: tuple[Word, ...]
    start: int
    end: int


@dataclass
class Question:
    """What a question asks, as far as rules can tell; `search` is the text left to look up."""

    raw: str
    plain: str = ""  # the text as read (normalized, romaji read): what word positions point into
    asking: tuple[int, int] = (0, 0)  # where the sentence that asks stands in plain (start, end)
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
    counts: list[str] = field(default_factory=list)  # every count asked, in order (「事業数・施策の数」)
    rank: str = ""  # "high" or "low" for 一番高い/一番低い
    threshold: tuple[str, float, str] | None = None  # ("over"|"under", 100.0, "超え") for 「100%を超えた」
    direction: str = ""  # "up" or "down" for 増えた/悪化した
    yesno: bool = False
    scope: list[str] = field(default_factory=list)  # a follow-up's projects: what was just shown
    exclude: list[str] = field(default_factory=list)  # a follow-up's 「ほかに」: the projects just shown
    indicator_ids: list[str] = field(default_factory=list)  # a follow-up's indicators, when it names none
    summary: bool = False
    all_projects: bool = False
    help: bool = False
    brief: bool = False  # a brief, highlights, or a summary for a meeting
    levels: set[Level] = field(default_factory=set)  # the levels of the plan named (基本目標, 施策, 担当課…)
    search: str = ""
    words: tuple[Word, ...] = ()  # the question's words, for --explain
    claims: list[lexicon.Claim] = field(default_factory=list)  # what the lexicon read in it
    terms: list[Compound] = field(default_factory=list)  # its topic words, compounds joined
    phrases: list[str] = field(default_factory=list)  # its noun phrases (Aの B), as written
    kana: str = ""  # long runs of unread hiragana: a name typed without kanji conversion (でんししょせき)
    background: tuple[str, ...] = ()  # topic words said outside the clause that asks (「委員会資料に使うので」)
    framing: tuple[str, ...] = ()  # words about the asking: its use, its audience, the request's own verb
    past: bool = False  # the asking clause asks about something done (「どんな工夫をした？」)

    def in_background(self, word: str) -> bool:
        """True when a word is about the asking (who it is for, the request's verb), or was said only in a
        clause around a question that names something of its own (「予算の状況、会議資料に入れたいので、
        まとめて」 names nothing after ので: its topic is the one said before)."""
        if any(word in f for f in self.framing):
            return True
        # 「…来館者数を教えてください。報告書に載っていますか？」: a question of generic words names nothing
        generic = vocabulary().generic
        main = [t.text for t in self.terms if t.text not in self.background and normalize(t.text) not in generic]
        if any(word in m for m in main):
            return False
        names = bool(main) or self.has_filter or bool(self.project_ids)  # 「新しく始めた事業を」 names 新規
        if names and any(word in b for b in self.background):
            return True
        # 「今会議中。課長に電子書籍の貸出数聞かれたんだけど、実績だけ教えて」: a sentence before the one that
        # asks, that asks nothing itself, is the story
        story = [t for t in self.terms if t.start < self.asking[0] and not grammar.sentence_asks(self.plain, t.start)]
        if any(word in t.text for t in story):
            return True
        # 「明日の課長レクで電子書籍の話が出るので、まとめて」: a place or time said around the question (で,
        # に, へ, から after it) sets the scene; the topic is the other word.
        return any(
            word in t.text and grammar.complement(t, self.words) for t in self.terms if t.text in self.background
        )

    @property
    def names_plan(self) -> bool:
        """The question names the plan itself (「この計画」「推進計画」)."""
        return any(c.cue.field == "frame" and c.cue.value == "plan" for c in self.claims)

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
    # longest first, then in file order: the same order in every process
    fillers = tuple(
        sorted(dict.fromkeys(_fold(p) for p in data.get("fillers", {}).get("phrases", [])), key=len, reverse=True)
    )
    generic = tuple(
        sorted(dict.fromkeys(normalize(w) for w in data.get("generic", {}).get("words", [])), key=len, reverse=True)
    )
    return Vocabulary(synonyms, fillers, generic)


def _fold(text: str) -> str:
    return to_hiragana(normalize(text))


def _unquote(text: str) -> str:
    """「a」 → a, c（改善が必要） → c: a grade in quotes or glossed is still a grade."""
    return _GLOSSED_LETTER.sub(r"\1", _QUOTED_LETTER.sub(r"\1", text))


def clean(raw: str) -> str:
    """Slack markup out, length capped: mentions dropped, links reduced to their label."""
    text = raw[: MAX_QUESTION * 2]
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    text = _MENTION.sub(" ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text[:MAX_QUESTION]


def parse_question(raw: str, as_of_fy: int, held: Callable[[str], bool] | None = None) -> Question:
    """Read a question into a Question. `as_of_fy` anchors 今年度/昨年度 to the report's as-of;
    `held` tells whether the report holds a (folded) stretch of text verbatim, so that a term the
    analyzer would cut up (おはなし会, さわる絵本) is kept whole as the report writes it."""
    q = Question(raw=raw)
    plain = _unquote(normalize(clean(raw)))
    keep = _latin_words() | {w for w in re.findall(r"[a-z]{2,}", plain) if held and held(w)}  # Mikke!
    plain = text = romaji_to_kana(plain, keep)
    if m := _LONE_GOAL.fullmatch(plain):  # 「4は？」 after a goal: a number alone can only be a goal here
        q.goals.append(int(m.group(1)))
    if _LONE_GRADE.fullmatch(plain):  # 「bは？」: a letter alone can only be a grade here
        q.grades.append(next(ch for ch in plain if ch in "abc"))
    taken = [False] * len(text)  # characters a rule or a cue has read

    def take(pattern: re.Pattern, handle, ids: bool = False) -> None:
        # Ids are read with ー as a dash (３ー１ー１); words keep it (サービス). Blanking a match with
        # as many spaces keeps both spellings aligned.
        nonlocal text
        source = id_form_aligned(text) if ids else text
        for m in list(pattern.finditer(source)):
            handle(m)
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())

    for pattern in _PROJECT_IDS:
        take(pattern, lambda m: q.project_ids.append(_project_id(m)), ids=True)
    for pattern in _POLICY:
        take(pattern, lambda m: setattr(q, "policy", f"{m.group(1)}-({int(m.group(2))})"), ids=True)
    sheets: list[tuple[int, str]] = []  # where each sheet is named: the asking sentence's decides
    for pattern, fmt in _SHEET:
        take(pattern, lambda m, fmt=fmt: sheets.append((m.start(), fmt.format(*m.groups()))))
    q.sheet = min(sheets)[1] if sheets else None
    for pattern in _GOALS:
        take(pattern, lambda m: q.goals.extend(int(d) for d in re.findall(r"\d", m.group(1)) if int(d) not in q.goals))

    def graded(m: re.Match) -> None:
        said = [g for g in re.findall(r"[abc]", m.group(1)) if g not in q.grades]
        if _NOT_THAT.match(text, m.end()):  # 「a評価じゃないのは？」: the other grades
            said = [g for g in "abc" if g not in said and g not in q.grades]
        q.grades.extend(said)

    for pattern in _GRADE:
        take(pattern, graded)
    # 「進捗区分の内訳」「評価別の事業数」: every grade, counted
    take(_EVERY_GRADE, lambda m: q.grades.extend(g for g in "abc" if g not in q.grades))
    for pattern in _PAGE:
        take(pattern, lambda m: setattr(q, "page", int(m.group(1))))
    take(_THRESHOLD, lambda m: setattr(q, "threshold", (_threshold_side(m.group(2)), float(m.group(1)), m.group(2))))
    take(_YEAR_RUN, lambda m: q.parts.add(Part.TREND))
    years: list[tuple[int, int, str, bool, bool]] = []  # position, fy, as written, is a base, relative
    for pattern, kind in _YEARS:
        take(pattern, lambda m, kind=kind: years.append(_year(m, kind, as_of_fy, text)))
    years.sort()
    if _span(years, plain) and not _HOW_MUCH.search(plain):
        q.parts.add(Part.TREND)  # 「R5からR7までの実績」: each year's figures; 「…で何タイトル増えた？」 the change
        years = []
    _set_years(q, years, as_of_fy)
    take(_COUNT, lambda m: (q.asks.add(Ask.COUNT), q.counts.append(_COUNTED[next(g for g in m.groups() if g)])))
    q.count_of = q.counts[0] if q.counts else ""
    take(_COUNTER, lambda m: setattr(q, "unit", _UNIT_SPELLINGS.get(m.group(1), m.group(1))))
    take(_COUNTER_OF, lambda m: setattr(q, "unit", q.unit or m.group(1)))
    if not q.unit and _MONEY.search(plain):
        q.unit = "円"  # 「いくら使った？」「予算額は？」: a sum of money
    q.plain = plain
    q.words = analyze(grammar.topic_tte(plain))
    aside = grammar.aside(q.words)
    claims = lexicon.claim(to_hiragana(text), q.words, taken, _joined_terms(q.words, held))

    def said_aside(c: lexicon.Claim) -> bool:
        return any(a <= c.start < b for a, b in aside)

    # 「比較表に入れるので」 asks for no comparison; but when the question itself asks for a summary, the
    # shape of it may be said on the side (「3行で報告したいので、まとめて」).
    summarising = any(_shapes(c) and not said_aside(c) for c in claims)
    for c in claims:
        q.claims.append(c)
        if grammar.refers_back(c, q.claims[:-1], q.words):
            continue  # 「進捗評価は？その評価の意味も」: その評価 is the grade already asked, not the 評価 column
        if not said_aside(c) or (summarising and _shapes(c)):
            _apply(q, _negated(c) if grammar.denied(c.end, q.words) else c)
    for c in q.claims:  # 「一番達成率が高い」: the word that names the end may stand apart from 一番
        if c.cue.field == "rank" and c.cue.value == "superlative" and not q.rank:
            after = lexicon.fold(plain[c.end :])
            ends = lexicon.rank_ends()
            q.rank = next((end for end in ("low", "high") if any(w in after for w in ends[end])), "")
    # Yes or no is asked by the sentence that asks (「数字だけ拾ってくれる？説明いらない」 ends in ない, but
    # asks a favour).
    start, end, sentence = grammar.asking_clause(plain, q.words)
    said = plain[sentence:end]
    q.asking = (sentence, end)
    which = re.search(r"どの|どれ|何の事業", plain)
    if which and len({name for _, name in sheets}) > 1:  # 「別紙2と参考資料の違いは？別紙2にはどの事業が？」
        q.sheet = max(((at, name) for at, name in sheets if at < which.start()), default=min(sheets))[1]
    q.past = grammar.past(q.words, sentence, end)
    asks_what = grammar.INTERROGATIVE.search(said) or grammar.REQUEST_END.search(said)
    q.yesno = bool(_YESNO_END.search(said)) and not asks_what
    if q.unit == "倍" or _STATED_RATIO.search(plain):  # 「何倍？」「1.3倍って本当？」 ask about a ratio
        q.asks.add(Ask.RATIO)
    if _WHAT_IS.search(said) or _WHAT_IS.search(plain):  # the asking sentence, wherever it stands
        q.asks.add(Ask.LEGEND)
    if Ask.LEGEND in q.asks and not q.grades:  # 「cの定義は？」: a letter alone is a grade
        q.grades = [w.surface for w in q.words if w.surface in ("a", "b", "c")][:1]
    q.terms, q.phrases = _terms(plain, _as_held(q.words, taken, held), taken, q.claims, held)
    story = _story_years(years, plain, q.words, q.claims, held, taken)
    if len(story) < len(years):  # 「去年の課長レクでは順調って言っちゃった」: that year dates the asker's story
        q.fy, q.fy_said, q.fy_base = None, "", None
        _set_years(q, sorted(story), as_of_fy)
    framing = set(grammar.framing(q.terms, q.words, held))
    # 「（事業名うろ覚え）」: a word the report never uses, said in parentheses, is the asker's aside
    asides = [m.span() for m in re.finditer(r"[(（][^)）]*[)）]", plain)]
    framing |= {
        t.text
        for t in q.terms
        if held is not None and not held(_fold(t.text)) and any(a <= t.start and t.end <= b for a, b in asides)
    }
    q.framing = tuple(framing)
    q.background = tuple(t.text for t in q.terms if t.words and (not (start <= t.start < end) or t.text in framing))
    # 「どういうサービスとして入れた？」: the noun after どういう is the kind of answer asked for; the topic
    # is what the sentence before named (「EBSCOを紹介したいんですが」), when the question names no other.
    kinds = {t.start for t in q.terms if grammar.kind_asked(t.start, q.words)}
    asked = [t for t in q.terms if t.text not in q.background]
    if not any(t.words and t.start not in kinds for t in asked):
        asked = []  # only the kind asked: the topic is said around it
    # Words said around the question (「今月から入った者です」) are searched only when the question
    # itself names nothing; words about the asking (who it is for, the request's own verb) never are.
    around = [t for t in q.terms if t.text not in framing]
    if q.has_filter or q.project_ids:  # the asking clause names a part of the plan: nothing else to search
        around = []
    only_generic = asked and all(normalize(t.text) in vocabulary().generic for t in asked if t.words)
    if asked and held is not None and (only_generic or not any(grammar.marked(t, q.words) for t in asked if t.words)):
        # 「ブックポストの話をするので確認させて。いま区内に何か所ある？」: a question that marks no topic
        # of its own (は, が, を…) goes on with the one the sentence before named, where the report holds it.
        # A question of generic words only (「報告書に載っていますか？」) asks about what was said before,
        # whether the report holds it or not.
        generic = all(normalize(t.text) in vocabulary().generic for t in asked if t.words)
        carried = [
            t
            for t in around
            if t.words and t not in asked and t.start < asked[0].start and (generic or held(_fold(t.text)))
        ]
        asked = carried + asked
    q.search = _search_text(asked if any(t.words for t in asked) else around, plain)
    if not q.parts and not q.asks - {Ask.DESCRIBE, Ask.STATUS, Ask.WHICH}:
        # 「何をしようとしてる？」 (an intention) or a year after the report's (「来年度は何を？」) asks
        # what is planned next: the sheets' 今後の取組.
        # not 「令和8年度は？」: its target
        # 「来年度の動き」: how a later year goes is what is planned for it
        doing = q.asks & {Ask.DESCRIBE, Ask.STATUS} or grammar.acts(q.words, start, end)
        measured = re.search(r"(?:数|率|割合)(?:\s|と|$)", q.search)  # 「来年度の貸出数は？」: its target
        later = q.fy is not None and q.fy > as_of_fy and bool(doing) and not measured
        if later or grammar.intends(q.words):
            q.parts.add(Part.NEXT_STEPS)
    if q.unit and q.unit not in ("%", "倍") and q.parts & {Part.BELOW, Part.ABOVE} and Ask.COUNT not in q.asks:
        q.asks.add(Ask.GAP)  # 「何回足りなかった？」「何件上回った？」: a count of the distance from the target
    q.kana = _kana_runs(plain, taken)
    if not q.search and not _has_structure(q) and not q.raw.strip():
        q.help = True
    return q


def _shapes(c: lexicon.Claim) -> bool:
    """A cue that asks for a summary or says its shape (まとめ, 3行で, 一言で)."""
    return c.cue.field == "flag" and c.cue.value in ("brief", "summary")


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
    elif len({y[1] for y in asked}) >= 2:  # 「令和5年度と令和7年度」: the earlier is the base
        q.fy_base, q.fy = min(y[1] for y in asked), max(y[1] for y in asked)
        q.fy_said = next(y[2] for y in asked if y[1] == q.fy)


def _span(years: list[tuple[int, int, str, bool, bool]], text: str) -> bool:
    """True when two years the question names are the ends of a span (「R5からR7まで」「令和5〜7年度」)."""
    for (at, _, said, _, _), (at2, _, said2, _, _) in itertools.pairwise(years):
        between = text[text.find(said, at) + len(said) : at2]
        if _SPAN_BETWEEN.match(between) and (
            _SPAN_AFTER.match(text, text.find(said2, at2) + len(said2)) or re.search(r"[〜~～]", between)
        ):
            return True
    return False


def _story_years(years, plain: str, words, claims, held: Callable[[str], bool] | None, taken=()) -> list:
    """The years that date what is asked: not one that dates the asker's own doings, a year before の and
    a noun run none of whose words the report uses, or one that names the asker's people or meetings
    (「去年の課長レク」「昨年度の課内会議」)."""
    if held is None:
        return years
    keep = []
    for y in years:
        pos, _, said, _, _ = y
        end = plain.find(said, pos) + len(said)
        rest = plain[end:]
        if rest.lstrip().startswith("の"):
            at = end + len(rest) - len(rest.lstrip()) + 1
            run = []
            for w in (w for w in words if w.start >= at):
                if w.start != (run[-1].end if run else at) or not (w.pos in TOPICAL or w.pos is Pos.SUFFIX):
                    break
                run.append(w)
            frame = any(c.cue.value == "audience" and any(w.start <= c.start < w.end for w in run) for c in claims)
            cued = any(c.cue.field != "frame" and any(w.start <= c.start < w.end for w in run) for c in claims)
            cued = cued or any(taken[w.start] for w in run if w.start < len(taken))  # 「令和7年度の差」: read by a rule
            unheld = run and not cued and not any(held(_fold(u)) for w in run for u in units(w.surface) if len(u) >= 2)
            if frame or unheld:
                continue
        keep.append(y)
    return keep


def _threshold_side(word: str) -> str:
    return "over" if word in ("超え", "超", "以上", "上回") else "under"


@cache
def _latin_words() -> frozenset[str]:
    """The vocabulary's own Latin words (sns, ya…), which romaji reading must leave alone."""
    return frozenset(k for k in vocabulary().synonyms if k.isascii())


def _has_structure(q: Question) -> bool:
    return bool(q.project_ids or q.has_filter or q.fy or q.parts or q.summary or q.all_projects or q.help)


# Words between two topic words that join them as two topics (「AとB」「A、B」「AやB」).
_AND = frozenset(
    {"と", "や", "とか", "、", ",", "及び", "および", "並びに", "ならびに", "または", "か", "・", "/", "／"}
)
_ENUMS = {"part": lambda v: Part(v), "ask": lambda v: Ask(v)}


# A cue whose verb after it is denied means its opposite (「計画どおりにいかなかった」 is below the plan).
_OPPOSITES = {("part", "above"): "below", ("part", "below"): "above", ("direction", "up"): "down",
              ("direction", "down"): "up"}  # fmt: skip


def _negated(c: lexicon.Claim) -> lexicon.Claim:
    """The claim with the opposite meaning, when its cue has one."""
    opposite = _OPPOSITES.get((c.cue.field, c.cue.value))
    return replace(c, cue=replace(c.cue, value=opposite)) if opposite else c


def _apply(q: Question, c: lexicon.Claim) -> None:
    """What one cue tells about the question."""
    field, value = c.cue.field, c.cue.value
    if field == "part":
        q.parts.add(Part(value))
    elif field == "ask":
        q.asks.add(Ask(value))
        if c.cue.also_part:
            q.parts.add(Part(c.cue.also_part))
    elif field == "direction":
        q.direction = q.direction or value
    elif field == "rank" and value != "superlative":
        q.rank = "low" if value == "low" else (q.rank or "high")
    elif field == "flag":
        setattr(q, value, True)
    elif field == "frame" and value == "audience" and "答弁" in c.said:
        q.brief = True  # 「議会答弁の材料に」: an answer for the assembly is a brief, as 答弁 alone is
    elif field == "level":
        q.levels.add(Level(value))


def _terms(
    plain: str, words: tuple[Word, ...], taken: list[bool], claims: list, held: Callable[[str], bool] | None = None
) -> tuple[list[Compound], list[str]]:
    """The question's topic words, compounds joined (電子 書籍 貸出 数 → 電子書籍貸出数), and its noun
    phrases (新宿区の電子書籍貸出数), for naming what the report lacks as it was asked."""
    fillers = set(vocabulary().fillers)
    kept: list[Word] = []
    for i, w in enumerate(words):
        if any(taken[w.start : w.end]):
            rest = _unread_part(w, taken)
            if rest is None:
                continue
            w = rest  # 「最終目標」 with 目標 read as a cue: 最終 is still a word of the topic
        nxt = words[i + 1] if i + 1 < len(words) else None
        topical = w.pos in TOPICAL
        if w.pos is Pos.PREFIX and w.surface not in ("お", "ご", "御"):
            topical = nxt is None or nxt.pos not in TOPICAL  # 「本借りる」: a prefix with no noun is the noun
        if w.pos is Pos.SUFFIX and kept and kept[-1].end == w.start:
            topical = True  # 新宿|区, 三田図書|館: part of the word before
        if w.pos is Pos.ADJECTIVE and nxt is not None and nxt.surface == "な" and held is not None:
            topical = held(_fold(w.surface + "な"))  # 「多様な方法」: a modifier the report's names use
        if not topical or _fold(w.surface) in fillers or _fold(w.lemma) in fillers:
            continue
        if i and words[i - 1].pos is Pos.PREFIX and words[i - 1].surface in ("お", "ご", "御"):
            continue  # 「ご教示」「お手数」: an honorific prefix makes the noun part of how one asks
        if re.fullmatch(r"[ぁ-ゖー]{1,2}", w.surface):
            continue  # a bare hiragana noun this short is grammar (こと, もの) or a typo's remnant
        if w.surface in _AFTER_NUMBER and i and words[i - 1].pos is Pos.NUMBER:
            continue  # 「4月から」「3点で」: a date or a count of lines, not a topic
        adverb = nxt is not None and nxt.surface == "に" and nxt.pos is Pos.AUXILIARY
        if adverb and not (kept and kept[-1].end == w.start):
            continue  # 「正確に」「簡潔に」: a word made an adverb says how to answer, not what about
        kept.append(w)
    # 「委員会報告向けに」「会議用に」: a noun before 向け/用/宛 names who the answer is for, not the topic;
    # so does a noun compounded onto an audience word (「館長|会議で」: the meeting is the audience).
    audience_at = {c.start for c in claims if c.cue.value == "audience"}
    # 「課長|レクの前に」: a noun compounded after an audience word is the meeting with them
    audience_at |= {w.start for w in kept for c in claims if c.cue.value == "audience" and w.start == c.end}
    # 「区議会の文教|委員会で」: a noun joined to the audience's name (by の or directly) is part of it.
    starts = {w.start: w for w in words}
    changed = True
    while changed:
        changed = False
        for w in kept:
            nxt = starts.get(w.end)
            joined = nxt is not None and nxt.surface == "の" and nxt.end in audience_at
            if (w.end in audience_at or joined) and w.start not in audience_at:
                audience_at.add(w.start)
                changed = True
    kept = [w for w in kept if not grammar.for_whom(w, words, held) and w.start not in audience_at]
    compounds: list[Compound] = []
    for w in kept:
        if compounds and compounds[-1].end == w.start:
            last = compounds[-1]
            compounds[-1] = Compound(last.text + w.surface, (*last.words, w), last.start, w.end)
        else:
            compounds.append(Compound(w.surface, (w,), w.start, w.end))
    for c in claims:
        if c.cue.field == "english":
            compounds.append(Compound(c.cue.value, (), c.start, c.end))
    synonyms = vocabulary().synonyms
    generic = set(vocabulary().generic)
    named = any(len(c.text) >= 2 and c.text not in generic for c in compounds)
    for w in words if not named else ():  # 「本を家まで届ける」: the verb says what the nouns do not
        if w.pos is Pos.VERB and _fold(w.lemma) in synonyms and not any(taken[w.start : w.end]):
            compounds.append(Compound(synonyms[_fold(w.lemma)][0], (w,), w.start, w.end))
    compounds.sort(key=lambda c: c.start)
    phrases = []
    for c in compounds:
        if c.words and c.words[0].pos is Pos.VERB:
            continue  # a verb read as the report's noun is not something the person wrote
        between = plain[phrases[-1][1] : c.start].strip() if phrases else None
        if between == "の":
            phrases[-1] = (phrases[-1][0] + "の" + c.text, c.end)
        else:
            phrases.append((c.text, c.end))
    return compounds, [p for p, _ in phrases]


_AFTER_NUMBER = frozenset({"月", "日", "時", "週", "曜日", "点", "行", "項目", "文", "つ", "個", "段落"})


def _unread_part(w: Word, taken: list[bool]) -> Word | None:
    """The longest stretch of a compound word no cue read, when it is a word of two or more characters."""
    bounds = [w.start, *w.inner, w.end]
    units = [(a, b) for a, b in itertools.pairwise(bounds) if not any(taken[a:b])]
    if not units:
        return None
    a, b = max(units, key=lambda u: u[1] - u[0])
    if b - a < 2:
        return None
    surface = w.surface[a - w.start : b - w.start]
    return Word(surface, w.pos, surface, a)


def _joined_terms(words: tuple[Word, ...], held: Callable[[str], bool] | None) -> frozenset[int]:
    """Where a noun runs on into the next as one term the report writes verbatim (情報|発信 of
    「情報発信」): the first is part of the term there, not a word about the asking (「情報ください」)."""
    if held is None:
        return frozenset()
    return frozenset(
        a.end
        for a, b in itertools.pairwise(words[:_HELD_WORDS])
        if a.end == b.start and a.pos in TOPICAL and b.pos in TOPICAL and held(_fold(a.surface + b.surface))
    )


def _as_held(words: tuple[Word, ...], taken: list[bool], held: Callable[[str], bool] | None) -> tuple[Word, ...]:
    """The words, with any stretch the analyzer cut into pieces (お|はなし|会) joined back into one noun
    where the report holds that stretch verbatim. Stretches stop at particles, symbols and cues."""
    if held is None:
        return words
    out: list[Word] = []
    i = 0
    while i < min(len(words), _HELD_WORDS):
        joined = None
        for j in range(min(len(words), i + 6), i + 1, -1):  # longest first, a few words at most
            run = words[i:j]
            kana = all(re.fullmatch(r"[ぁ-ゖー]+", w.surface) for w in run)  # typed without conversion
            if run[0].pos in (Pos.PARTICLE, Pos.AUXILIARY) or any(
                w.pos is Pos.SYMBOL or (w.pos is Pos.PARTICLE and not kana) for w in run
            ):
                continue  # a particle belongs inside only to a name typed in kana (ぶっくぽすと)
            if any(b.start != a.end for a, b in itertools.pairwise(run)) or any(taken[run[0].start : run[-1].end]):
                continue
            if all(w.pos in TOPICAL for w in run):
                continue  # nouns only: compounding joins them anyway
            if not kana and run[-1].pos not in (Pos.NOUN, Pos.SUFFIX, Pos.PROPER):
                continue  # a term ends in a noun (さわる絵本, おはなし会)
            if run[-1].pos is Pos.PARTICLE and _KANA_NAME_END.fullmatch(run[-1].surface):
                continue  # 「おすすめの」: a word and its particle, not a name typed in kana
            if kana and (run[0].pos in (Pos.VERB, Pos.AUXILIARY) or sum(map(len, (w.surface for w in run))) < 4):
                continue  # kana typed for a name, not a verb's ending (「させる」「なかった」)
            if kana and run[-1].pos in (Pos.VERB, Pos.AUXILIARY):
                continue  # 「…ようになっ」: grammar ending in a verb, not a name typed in kana
            text = "".join(w.surface for w in run)
            if 3 <= len(text) <= 20 and held(_fold(text)):  # a term is short; a run of chat is not one
                joined = Word(text, Pos.NOUN, text, run[0].start), j
                break
        if joined:
            out.append(joined[0])
            i = joined[1]
        else:
            out.append(words[i])
            i += 1
    return (*out, *words[i:])


_HELD_WORDS = 80  # a question's first words; what follows a question this long is chat or a paste
_KANA_NAME_END = re.compile(r"[のはがをにで]")  # particles that end a phrase, never a kana-typed name


def _kana_runs(plain: str, taken: list[bool]) -> str:
    """Runs of four or more hiragana no rule or cue read, less the particles at their edges: the
    analyzer cannot segment a name typed in kana, so the search may try the runs as they are."""
    unread = "".join(ch if not t else " " for ch, t in zip(plain, taken))
    # A run right after a kanji is that word's ending (「把握|しておきたいと」), not a name.
    runs = [
        m.group(0)
        for m in re.finditer(r"(?<![ぁ-ゖー])[ぁ-ゖー]{4,}", unread)
        if not (m.start() and re.match(r"[一-龥々]", plain[m.start() - 1]))
    ]
    return " ".join(r for r in runs if len(r) >= 4 and r[0] not in "っゃゅょぁぃぅぇぉんー")


def _search_text(compounds: list[Compound], plain: str) -> str:
    """The topic words to look up, with 「と」 where the question joined two topics."""
    out = ""
    for i, c in enumerate(compounds):
        if i:
            between = plain[compounds[i - 1].end : c.start].strip()
            # 「宅配と、読書支援」; 「大使館と組んだ取組と、国際理解の取組」: a list's と ends what stands between
            joined = (
                between in _AND or between.rstrip("、,・ ") in _AND or between.rstrip("、, ").endswith(("と", "や"))
            )
            # 「幼稚園・小中学校の園歌校歌」: a list joined to the next word by の modifies it, naming no topics
            after = compounds[i + 1] if i + 1 < len(compounds) else None
            modifies = after is not None and plain[c.end : after.start].strip() == "の" and between.strip() == "・"
            out += "と" if joined and not modifies else " "
        out += c.text
    return out


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
