"""Facts inside the sheets (docs/design.md §4): the passage of a project's sheet that answers a question,
scored by the words asked about and the kind of answer wanted, and the span that answers it.
"""

from __future__ import annotations

import re

from knowledge import spans
from knowledge.evidence import fold, forms
from knowledge.passages import Passage, PassageIndex
from knowledge.questions import Question
from knowledge.text import fy_label

# Parts of a sheet a question can ask for, in the order a card shows them.
COLUMN_PARTS = ("next_steps", "issues", "evaluation", "reason", "actual", "plan")
# The columns that are a sheet's words, not its figures: what a follow-up reshaping an answer keeps asking
# for (「それを答弁調で」) and what a brief or a list can lead with for each project.
SHEET_COLUMNS = ("issues", "next_steps", "evaluation", "reason")
# Sheets 2-1 write next steps in the issues column; the other sheets' 「令和7年度の評価と事業の課題」
# column holds their issues.
FOLDED_INTO = {"next_steps": "issues", "issues": "evaluation"}
# Answer types a sentence of a sheet answers.
FACT_ASKS = {"when", "where", "language", "reason", "describe", "amount", "frequency"}
# The facts a question asks for that no reshaping or news sentence answers (not 「どんな…」).
SPECIFIC_ASKS = frozenset(FACT_ASKS - {"describe"})
# Yes/no about a narrative fact: the question's verb and the words a sheet states it with.
_VERB_FAMILIES = [
    (re.compile(r"始ま|開始|始め|スタート"), ("開始", "始", "導入", "対応")),
    (re.compile(r"増え|増加|増や|増設|伸び|伸ば"), ("増加", "増設", "増え", "倍", "拡充")),
    (re.compile(r"減っ|減少|減ら"), ("減少", "減っ", "削減")),
    (re.compile(r"やっ|実施|開催|行っ"), ("実施", "開催", "行っ")),
    (re.compile(r"導入"), ("導入",)),
]
_CAUSE = re.compile(r"ため(?!の)|により|によって|ことから|結果")  # 「…ための」 is a purpose, not a cause
# A quantifier over all of something, however written (全部・全て・すべて): the sentence that says it.
_EVERY = re.compile(r"全部|全て|すべて|全館|全講座|全ての")
_INCREMENT = re.compile(r"\s*(?:を|が)?\s*(?:増設|増加|増え|追加|新設|増や)")
_CHANGE = re.compile(r"\d[\d.]*倍|増加|減少|増設|拡大")
_INTENT = re.compile(r"(?:[をにの]|する|について)?(?:検討|予定|目指|計画|準備|向け)")
_RATE_WORDS = ("数", "率", "額", "量", "件数", "人数")
# The counter a measured word is counted in: 「件数」 asks for a figure in 件, not the 「約7.5倍」 beside it.
_COUNTED_IN = {"件数": "件", "人数": "人", "者数": "人", "回数": "回", "冊数": "冊", "館数": "館", "校数": "校",
               "園数": "園", "台数": "台", "率": "%", "割合": "%"}  # fmt: skip


def find(
    q: Question, passages: PassageIndex, project_id: str, extra: list[str], year: int | None = None
) -> tuple[Passage, str] | None:
    """The passage of a project's sheet that answers the question, and the span that answers it.

    `extra` are the question's content words that the project's name does not account for.
    """
    kinds = [k for k in COLUMN_PARTS if k in q.parts]
    held_kinds = {p.kind for p, _ in passages.of(project_id)}
    kinds += [FOLDED_INTO[k] for k in kinds if k not in held_kinds and k in FOLDED_INTO]
    wants_span = bool(q.unit or q.asks & {"when", "where", "language", "frequency", "amount"})
    if not (extra or wants_span or q.asks & FACT_ASKS or (q.yesno and not kinds)):
        return None
    word_forms = [forms(w) for w in extra]  # once per word, not once per passage
    counted = counted_unit(q, extra)
    wanted = [f for fs in word_forms for f in fs]
    ranked = {id(f.passage): f for f in passages.rank(wanted, [project_id], limit=0)} if extra else {}
    top = max((f.score for f in ranked.values()), default=1.0) or 1.0  # bm25 is unbounded: scaled to 0–3
    verbs = [stated for asked, stated in _VERB_FAMILIES if asked.search(q.raw)]
    if q.yesno and not (verbs or extra or wants_span or kinds or q.asks & FACT_ASKS):
        return None  # 「進んでる？」 names no fact to check: the status answers it
    every = bool(_EVERY.search(q.raw))
    best, best_score = None, 0.0
    latest = max((p.fy or 0 for p, _ in passages.of(project_id)), default=0)
    for passage, folded in passages.of(project_id):
        if year is not None and passage.fy != year:
            continue  # a comparison takes one passage from each year
        found = ranked.get(id(passage))
        span = span_of(q, passage, extra)
        if (
            not span
            and "when" in q.asks
            and passage.fy
            and extra
            and all(any(f in folded for f in fs) for fs in word_forms)
        ):
            span = fy_label(passage.fy)  # 「EBSCOはいつ導入？」: the sheet's year is when, where no month is given
        if (wants_span and not span) or (extra and found is None and not span and passage.kind not in kinds):
            continue  # neither the words asked about nor the kind of answer asked for
        # Words held whole count most, then the share of bigrams, then bm25 as the tie-break.
        held = sum(1 for fs in word_forms if any(f in folded for f in fs))
        score = (held * 10 + found.coverage * 5 + 3 * found.score / top) if found else 1.0
        score += 20 if span else 0  # the answer type's span is the strongest evidence
        score += 6 if counted and span and spans.figure_span(span, counted) else 0  # 「件数」: a figure in 件
        if span and not q.direction and _INCREMENT.match(passage.text, passage.text.find(span) + len(span)):
            score -= 25  # 「いくつある？」 asks how many there are, not how many were added (「2台増設」)
        # 「今後は？」: that column, whatever else matches; but 「数字だけ」 asks for a figure, which a
        # column with none cannot give (「パスファインダーいくつ作った？」 is answered where 「9つ」 is written).
        figure_wanted = "amount" in q.asks or counted
        score += 30 if passage.kind in kinds and (span or not figure_wanted) else 0
        score += 8 if q.fy is not None and passage.fy == q.fy else 0  # the year asked, over others
        score += 3 if any(w in passage.text for family in verbs for w in family) else 0  # 増えた → 増加
        score += 10 if "reason" in q.asks and _CAUSE.search(passage.text) else 0
        score += 6 if every and _EVERY.search(passage.text) else 0  # 「全部の講座で？」: 「全ての講座等において」
        score += 2 if "月" in span else 0  # a month dates a thing more exactly than a year
        score += ((passage.fy or 2000) - 2000) / 1000  # among equals, the later year's
        if (q.direction or "compare" in q.asks) and _CHANGE.search(passage.text):
            score += 5  # 「どれくらい伸びた？」: the sentence that states the change (約7.5倍)
        if q.fy is None and passage.fy == latest and not q.asks & {"when", "reason"}:
            score += 4  # 「どうなった？」: what the latest year says, not what an older one planned
        score -= 2 if passage.kind in ("plan", "description") and "plan" not in kinds else 0  # intentions
        if q.past and passage.kind == "next_steps" and "next_steps" not in kinds and not figure_wanted:
            score -= 6  # 「どんな工夫をした？」 asks what was done: this year's actual, not what is planned
        if score > best_score:
            best, best_score = (passage, span), score
    return best


def span_of(q: Question, passage: Passage, extra: list[str]) -> str:
    """The part of the passage that answers the kind of answer wanted ('' when there is none), read in
    the item or sentence of it that holds the words asked (「・区民センターで…・地域のイベントへリサイクル本の
    提供」: where リサイクル本 went is in its own item)."""
    text = _segment(passage.text, extra)
    if q.unit:
        return spans.figure_span(text, q.unit)
    if "frequency" in q.asks:
        return spans.frequency_span(text)
    if "when" in q.asks:
        return spans.when_span(text)
    if "language" in q.asks:
        return spans.language_span(text)
    if "where" in q.asks:
        return spans.place_span(text)
    rated = [w for w in extra if w.endswith(_RATE_WORDS)]
    counted = counted_unit(q, extra)
    if counted:  # 「登録者数」 is counted in 人: 「絵本3冊」 does not answer it
        return spans.figure_span(text, counted)
    if rated or "amount" in q.asks:
        return spans.any_figure(text, after=rated[0] if rated else "")
    return ""


def counted_unit(q: Question, extra: list[str]) -> str:
    """The counter the question's measure word is counted in (「件数」 → 件), or ''. The measure word may
    stand alone (「電子申請の件数」), a generic word no content word keeps."""
    said = [*extra, *re.split(r"[\sとの]", q.search)]
    return next((unit for w in said if (unit := unit_of(w))), "")


def _segment(text: str, words: list[str]) -> str:
    """The bullet item or sentence of a cell that holds the most of the words (the whole cell if none)."""
    parts = [p for p in re.split(r"(?:^|\s)・|。", text) if p.strip()]  # a bullet opens its item; 園・校歌 is one
    if len(parts) < 2 or not words:
        return text
    held = [(sum(any(f in fold(p) for f in forms(w)) for w in words), p) for p in parts]
    best = max(n for n, _ in held)
    chosen = [p for n, p in held if n == best]
    return chosen[0] if best and len(chosen) == 1 else text


def counted_head(word: str) -> str:
    """What a measure word counts, without its counting ending (「増設台数」 → 増設); the word if none."""
    end = next((e for e in _COUNTED_IN if word.endswith(e) and len(word) > len(e)), "")
    return word[: -len(end)] if end else word


def unit_of(word: str) -> str:
    """The counter a measure word is counted in (「講座回数」 → 回), or ''."""
    return next((unit for end, unit in _COUNTED_IN.items() if word.endswith(end)), "")


def yes(q: Question, passage: Passage) -> str:
    """はい。 when a yes/no question's verb is what the quoted sentence states."""
    if not q.yesno:
        return ""
    for asked, stated in _VERB_FAMILIES:
        if not asked.search(q.raw):
            continue
        for w in stated:
            at = passage.text.find(w)
            # 「導入を検討する」「開始予定」: an intention, not a thing done; it settles nothing
            if at >= 0 and not _INTENT.match(passage.text, at + len(w)):
                return "はい。"
    return ""
