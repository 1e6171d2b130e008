"""Reading a request for a brief: is it one, and what scope, length, register and focus it asks for.

Every cue is data (data/brief.toml): the words that ask for a summary or highlights, lengths (一言, 3行,
三点), shapes (箇条書き, 数字だけ), who it is for (会議用, 答弁, 課長…) and groups (重点, 新規, 全体).
Which projects a text names is the router's business: pass its resolver; the default one only finds
ids and names written out in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from knowledge.brief import Audience, Brief, Focus, Length, Scope, brief, goal_scope, policy_scope, scope_of
from knowledge.brief import lexicon as _lexicon
from knowledge.brief import projects_scope as _projects_scope
from knowledge.grammar import framing_lemmas
from knowledge.model import Report
from knowledge.text import nfkc, normalize
from knowledge.words import Pos, analyze

Resolver = Callable[[str], list[str]]  # text → the project ids it names, best first

# Words that hold a cue word without meaning it (報告書 is the report, not 報告用; 成果指標 is a row).
_NOT_CUES = ("報告書", "成果指標", "進捗報告書")
_GOAL = re.compile(r"(?:基本)?目標\s*([1-9])(?!\d)")
_NAME_RUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー]{3,}")
_MAX_HOLDERS = 2
_POLICY = re.compile(r"施策\s*([1-9])\s*-?\s*\(?\s*([1-9])\s*\)?")


@dataclass(frozen=True)
class BriefRequest:
    """What a text asks a brief to be. scope None: the text names no part of the plan (the whole
    plan, unless the conversation has a topic)."""

    scope: Scope | None
    style: Length
    lines: int | None
    audience: Audience
    focus: Focus
    cues: tuple[str, ...]  # the lexicon words that were read, for explaining the route
    per_project: int | None = None  # 「各事業2行で」: lines for each project of the scope

    def build(
        self,
        report: Report,
        default_scope: Scope | str | list[str] | None = None,
        columns: tuple[str, ...] = (),
        about: tuple[str, ...] = (),
    ) -> Brief:
        """The brief this request asks for; default_scope stands in when the text named none; columns are
        the sheet columns the question asks for (the router's reading), which a project's brief leads with."""
        scope = self.scope if self.scope is not None else default_scope
        if isinstance(scope, list | tuple):  # ids that make up a goal or a policy are that part
            scope = _named_part(report, tuple(scope)) or list(scope)
        return brief(report, scope, self.lines, self.style, self.audience, self.focus, columns, about, self.per_project)


@cache
def _numeral_pattern() -> re.Pattern[str]:
    lex = _lexicon()
    numerals = "".join(re.escape(k) for k in lex["numerals"])
    counters = "|".join(re.escape(c) for c in sorted(lex["counters"]["words"], key=len, reverse=True))
    # Not inside a longer number (令和3年度, 22か所), nor before a noun the counter starts (3点セット),
    # nor 「もう一つの」 (another one, not a length).
    counted = "".join(rf"(?<!{re.escape(w)})(?<!{re.escape(w)}の)" for w in lex["counters"].get("counted", []))
    # 行 always counts lines (「各事業2行で」); another counter after a word of the plan counts the scope.
    return re.compile(
        rf"(?<![\d.,])(?<!もう)(?:(\d{{1,2}}|[{numerals}])\s*行|{counted}(\d{{1,2}}|[{numerals}])\s*(?:{counters}))"
        rf"(?![\d\u30a0-\u30ff]|目)"
    )


def _clean(text: str) -> str:
    folded = nfkc(text).lower()
    for word in _NOT_CUES:
        folded = folded.replace(word, "　")
    return folded


def _first(found: dict[str, str], text: str) -> tuple[str, str] | None:
    """The cue found earliest in the text (longest first at one place) and its meaning."""
    hits = [(text.find(w), -len(w), w, meaning) for w, meaning in found.items() if w in text]
    if not hits:
        return None
    _, _, word, meaning = min(hits)
    return word, meaning


def _asked_lines(text: str) -> tuple[int | None, str]:
    lex = _lexicon()
    for word, n in sorted(lex["lines"].items(), key=lambda kv: -len(kv[0])):
        if word in text:
            return n, word
    found = list(_numeral_pattern().finditer(text))
    m = next((m for m in found if "行" in m.group(0)), found[0] if found else None)  # lines said outright first
    if m:
        raw = m.group(1) or m.group(2)
        n = int(raw) if raw.isdigit() else lex["numerals"][raw]
        if 1 <= n <= 20:
            return n, m.group(0)
    return None, ""


def _for_someone(word: str, t: str) -> bool:
    """True when a title or meeting is said as who the answer is for (「会議用」「課長に」「答弁で使う」), not as
    where something happened (「会議で出てきた」: で and a verb of neither using nor telling)."""
    for m in re.finditer(re.escape(word) + r"\s*(用|向け|に|へ|で|から)", t):
        after = analyze(t[m.end() :])[:1]
        if m.group(1) != "で" or not after or after[0].pos is not Pos.VERB or after[0].lemma in framing_lemmas():
            return True
    return False


def read_brief_request(
    text: str, report: Report, resolve: Resolver | None = None, named: list[str] | None = None
) -> BriefRequest | None:
    """Read a request for a brief, or None when the text does not ask for one.

    named: the project ids the router's own reading of the text found (its asking clause, a policy by
    its title); else resolve(text) → project ids decides which projects a text names;
    without it, only ids and full names written in the text are found.
    """
    lex = _lexicon()
    t = _clean(text)
    cues: list[str] = []
    n, length_word = _asked_lines(t)
    if length_word:
        cues.append(length_word)
    style_hit = _first(lex["style"], t)
    audience_hit = _first(lex["audience"], t)
    focus_hit = _first(lex["focus"], t)
    asks = [w for w in lex["asks"]["words"] if w in t]
    # A title or a meeting alone ("部長に", "議会で") asks for a brief only when it says who it is for.
    for_someone = audience_hit is not None and _for_someone(audience_hit[0], t)
    if not (asks or length_word or style_hit or for_someone):
        return None
    cues += asks
    for hit in (style_hit, audience_hit, focus_hit):
        if hit:
            cues.append(hit[0])

    style = Length.LINES
    each = any(w in t for w in lex.get("each", {}).get("words", []))
    per_project = None
    if n == 1 and each:  # 「それぞれ一行で」: a line for each, as many as the scope has
        n = None
    elif n and each:  # 「各事業2行くらいで」: that many lines for each project
        per_project, n = n, None
    elif n == 1:
        style = Length.ONE
    elif style_hit:
        style = Length(style_hit[1])
    audience = Audience(audience_hit[1]) if audience_hit else Audience.GENERAL
    if n is None and audience_hit and audience_hit[0] in lex["short_titles"]:
        n = lex["short_titles"][audience_hit[0]]
    focus = Focus(focus_hit[1]) if focus_hit else Focus.ALL
    scope = _scope(text, t, report, (lambda _text: named) if named is not None else resolve, cues)
    lines = n if style is not Length.ONE else 1
    return BriefRequest(scope, style, lines, audience, focus, tuple(dict.fromkeys(cues)), per_project)


def brief_for(
    text: str,
    report: Report,
    resolve: Resolver | None = None,
    default_scope: Scope | str | list[str] | None = None,
) -> Brief | None:
    """The brief a text asks for, or None when it asks for none: read_brief_request, then build."""
    request = read_brief_request(text, report, resolve)
    return None if request is None else request.build(report, default_scope)


def _scope(text: str, t: str, report: Report, resolve: Resolver | None, cues: list[str]) -> Scope | None:
    ids = (resolve or default_resolver(report))(text)
    if ids:
        return _named_part(report, tuple(ids)) or _projects_scope(report, list(ids))
    m = _POLICY.search(t)
    if m:
        cues.append(m.group(0))
        return policy_scope(report, f"{m.group(1)}-({m.group(2)})")
    m = _GOAL.search(t)
    if m and int(m.group(1)) <= len(report.goals):
        cues.append(m.group(0))
        return goal_scope(report, int(m.group(1)))
    hit = _first(_lexicon()["scope"], t)
    if hit:
        cues.append(hit[0])
        return scope_of(report, {"key": "重点", "new": "新規"}.get(hit[1], "全体"))
    return None


def _named_part(report: Report, ids: tuple[str, ...]) -> Scope | None:
    """The part of the plan whose projects are exactly these (基本目標1's nine, 施策1-(3)'s three, the
    key projects), so that a brief is titled and told as that part, not as a list of names."""
    if len(ids) < 2:
        return None
    wanted = set(ids)
    for g in report.goals:
        if wanted == {p.id for p in report.projects if p.goal == g.number}:
            return goal_scope(report, g.number)
    for pol in report.policies:
        if wanted == {p.id for p in report.projects if p.policy_id == pol.id}:
            return policy_scope(report, pol.id)
    for spec, flag in (("重点", "is_key"), ("新規", "is_new")):
        if wanted == {p.id for p in report.projects if getattr(p, flag)}:
            return scope_of(report, spec)
    if wanted == {p.id for p in report.projects}:
        return scope_of(report, "全体")
    return None


def default_resolver(report: Report) -> Resolver:
    """Projects named in the text: their id as written (3-(1)-①), their name or alias in full, or else a
    run of three or more kanji/katakana that only one or two names hold (電子書籍, 絵本貸出定期便)."""
    names = {p.id: [normalize(n).replace(" ", "") for n in [p.name, *p.aliases]] for p in report.projects}

    def resolve(text: str) -> list[str]:
        raw = nfkc(text)
        folded = normalize(text).replace(" ", "")
        found = []
        for p in report.projects:
            at = [raw.find(p.id)] + [folded.find(n) for n in names[p.id]]
            at = [i for i in at if i >= 0]
            if at:
                found.append((min(at), p.id))
        if not found:
            for run in _NAME_RUN.finditer(folded):
                holders = [pid for pid, ns in names.items() if any(run.group(0) in n for n in ns)]
                if 1 <= len(holders) <= _MAX_HOLDERS:  # a word many names share (図書館) names none
                    found += [(run.start(), pid) for pid in holders]
        return list(dict.fromkeys(pid for _, pid in sorted(found)))

    return resolve
