"""Grammar of a question beyond its cue words: which clause asks, which words are about the asking (who
the answer is for, what it will be used for, the request's own verb), what points back, what is intended.

Every check here reads parts of speech and the analyzer's forms (knowledge.words), never a list of
phrasings; the few word lists are grammar (particles, auxiliaries of request) or data in the lexicon
(`[framing] verbs`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from knowledge import lexicon
from knowledge.words import TOPICAL, Pos, Word, analyze

if TYPE_CHECKING:
    from knowledge.questions import Compound

Held = Callable[[str], bool]  # does the report hold this folded text verbatim?

SENTENCE_MARKS = frozenset("。！!？?")
_SENTENCE_END = re.compile(r"[。！!？?\n]+")
# The question words, once: a sentence holding one asks (「いつ？」「どの事業」).
# なん before です/だ is the explanatory copula (「件なんですけど」), not 何
_QUESTION_WORDS = (
    "何|なに|なん(?!です|でし|だけど|だが|だよ|だね)|"
    "いつ|どこ|どの|どう|どれ|だれ|誰|なぜ|何故|いくつ|いくら|どんな|どちら"
)
INTERROGATIVE = re.compile(_QUESTION_WORDS)
_ASKING = re.compile(rf"[?？]|か\s*$|{_QUESTION_WORDS}")
# A request, not a yes/no question: 「…てください」「…たい」, and asking a favour with a benefactive verb
# (「まとめてもらえますか」「出してくれる？」), with a polite or softening ending.
REQUEST_END = re.compile(
    r"(?<=[一-龥ァ-ヶー])を\s*[。!！]*\s*$"  # 「今年の動きを。」: the verb of asking left unsaid
    r"|(?:ください|下さい|ほしい|欲しい|たい|願い|頼む|ちょうだい|頂戴"
    r"|(?:もらえ|貰え|いただけ|頂け|くれ|くださ|下さ)(?:ます|ません|る|ない)?(?:か|かな)?)"
    r"(?:です|ですね|ね|な|よ|んですが|のですが|します|致します|いたします)?\s*[?？。!！]*\s*$"
)
_TTE = re.compile(r"(?<=[一-龥々ァ-ヶーa-z0-9])って")

_SUREU = frozenset({"為る", "致す", "出来る"})  # する and its humble and potential forms: 説明|し, 説明|致し
_ASKED_OF = frozenset({"御願い", "願う", "頼む"})  # 「総括をお願い」「整理を頼む」
_AFTER_TE = frozenset({"下さる", "欲しい", "貰える", "呉れる", "頂く", "頂ける", "貰う"})  # 「整理してください」
_PASSIVE = frozenset({"れる", "られる"})  # 「係長から聞かれた」: what was asked of the asker
_TO_WHOM = frozenset({"に", "へ", "から"})
_COMPLEMENTS = frozenset({"に", "で", "へ", "から"})
# Verbs that with に/と make a compound particle (について, に対して, にとって, における): not a predicate.
_PARTICLE_VERBS = frozenset({"つく", "付く", "対する", "取る", "おく", "於く", "関する", "よる", "因る"})
_FOR_WHOM = frozenset({"向け", "むけ", "用", "宛", "あて"})
_TOWARD = frozenset({"向け", "むけ"})
_WITH = frozenset({"つき", "付き", "入り", "込み"})  # 「数字つきで」「出典付き」: what the answer comes with
_THINK = frozenset({"為る", "思う", "考える"})
_WHICH_KIND = frozenset({"どんな", "どういう", "どのような", "どういった", "どの様な", "いかなる"})
_DEMONSTRATIVES = frozenset({"その", "この", "あの", "同じ"})
_CONDITIONS = frozenset({"たら", "なら", "れば", "ば"})


def fold(text: str) -> str:
    """How text is compared with the report: the lexicon's folding."""
    return lexicon.fold(text)


@cache
def framing_lemmas() -> frozenset[str]:
    """The lexicon's verbs of using and telling, as the analyzer normalizes them (お願い → 御願い)."""
    return frozenset(analyze(v)[0].lemma for v in lexicon.framing_verbs()) | lexicon.framing_verbs()


# -- clauses ----------------------------------------------------------------------------------------


def aside(words: tuple[Word, ...]) -> list[tuple[int, int]]:
    """The clauses said on the side: each one a clause-ending particle closes (「…ので、」「…遅れたら」).
    What they say is background, not what the question asks. A condition that ends its sentence
    (「去年と比べたら？」) is what is asked; a reason that ends it (「…入れるので」) is still on the side."""
    spans, start = [], 0
    for i, w in enumerate(words):
        if w.pos is Pos.SYMBOL and w.surface in SENTENCE_MARKS:
            start = w.end
        elif w.surface in ("、", ",") and _finite_before(words, i):
            spans.append((start, w.end))  # 「会議中すみません、」: a polite predicate and a comma end a clause
            start = w.end
        elif w.pos is Pos.CONJUNCTIVE:
            rest = next((x for x in words[i + 1 :] if x.surface not in ("、", ",")), None)
            last = rest is None or (rest.pos is Pos.SYMBOL and rest.surface in SENTENCE_MARKS)
            if last and w.surface in _CONDITIONS:
                continue
            spans.append((_after_topic(words, start, i), w.end))
            start = w.end
    return spans


def _finite_before(words: tuple[Word, ...], i: int) -> bool:
    """True when the words before position i end in a verb's polite or negative finite form
    (「すみません」「恐れ入ります」), which closes a clause as a sentence end would."""
    k = i - 1
    while k >= 0 and words[k].pos is Pos.AUXILIARY:
        k -= 1
    return k >= 0 and k < i - 1 and words[k].pos is Pos.VERB and words[i - 1].lemma in ("ます", "ず")


def _after_topic(words: tuple[Word, ...], start: int, end: int) -> int:
    """Where a side clause starts: after a bare noun phrase and its comma that open the sentence
    (「学校図書館の支援の施策、委員会資料に載せたいので」: the phrase is the sentence's topic, not the reason's)."""
    inside = [w for w in words[:end] if w.start >= start]
    for k, w in enumerate(inside):
        if w.surface in ("、", ","):
            phrase = inside[:k]
            nouns = phrase and all(x.pos in TOPICAL or x.pos is Pos.SUFFIX or x.surface == "の" for x in phrase)
            return w.end if nouns and phrase[-1].pos is not Pos.PARTICLE else start
    return start


def _unquoted(plain: str) -> str:
    """The text with what stands inside 「」『』 blanked (same length): a question quoted inside a sentence
    (「…って聞かれました」) does not end that sentence."""
    return re.sub(r"「[^」]*」|『[^』]*』", lambda m: "「" + "_" * (len(m.group(0)) - 2) + "」", plain)


def asking_clause(plain: str, words: tuple[Word, ...]) -> tuple[int, int, int]:
    """Where the clause that asks stands: the sentence with a question mark or question word, else a
    request (「まとめてほしい。今年度の実績ベースで」: the sentence after the request only says how), else
    the last; from its last clause-ending particle (「…ので、」) on. Returns the clause's start and end, and
    where its sentence starts."""
    spans, at = [], 0
    for m in _SENTENCE_END.finditer(_unquoted(plain)):
        spans.append((at, m.end()))
        at = m.end()
    if at < len(plain):
        spans.append((at, len(plain)))
    spans = [s for s in spans if plain[s[0] : s[1]].strip()] or [(0, len(plain))]
    asking = [s for s in spans if _ASKING.search(plain[s[0] : s[1]])]
    asking = asking or [s for s in spans if REQUEST_END.search(plain[s[0] : s[1]].rstrip("。.!！ "))]
    start, end = (asking or spans[-1:])[0]
    sentence = start
    for i, w in enumerate(words):
        closes = w.pos is Pos.CONJUNCTIVE or (w.surface in ("、", ",") and _finite_before(words, i))
        if closes and start <= w.start < end and plain[w.end : end].strip(" 、,。"):
            start = w.end
    return start, end, sentence


# Words that open a further question inside a sentence (「…の差、それから減っている理由も」).
# Connectives that add a question (「あと」「それから」); 「また」 only inside a sentence, where it means "also".
_CONNECTIVES = "あと|それから|それと|あわせて|併せて|合わせて|さらに|加えて|ついでに"
_FURTHER = re.compile(
    rf"[、,]\s*(?:{_CONNECTIVES}|また)[、,]?"
    r"|(?<=と)[、,]\s*(?=その(?:中|うち))"  # 「事業数と、その中の重点事業」: the second asks of the first
)
# Verbs that say how things are, not what is done (「どうなる」「目標はある？」).
_STATIVE = frozenset(
    {"成る", "なる", "有る", "ある", "居る", "いる", "為る", "する", "言う", "思う", "考える"}
    | {"分かる", "出来る", "知る"}
)
_BOTH = re.compile(r"それぞれ|両方|どちらも|いずれも|全部|すべて|各")


_OPENS_FURTHER = re.compile(rf"(?:{_CONNECTIVES})[、,]?")
_TOO = re.compile(r"[一-龥ァ-ヶーa-z0-9]\s*も(?!の|う|っと|し)")  # 「理由も一言ください」「頻度もあわせて」


def split_asks(plain: str, words: tuple[Word, ...]) -> tuple[str | None, list[str]]:
    """A message that asks several things, split: the message up to the end of its first question (None
    when the message asks one thing), and the later questions, each to be read as a follow-up of
    the one before (「タイトル数は計画に届いた？計画値はいくつ？あと今年新しく入れたサービスは何？」).

    A later question is a later sentence that asks, a clause a connective opens (「…の差、それから減った
    理由も」), or a clause after a comma when both sides ask with a question word (「何か所あって、何台
    増やした？」). Sentences before the asking one are the story, never split. 「それぞれ」「両方」 after a
    connective keeps the sentence one question (「a・b・c、あと「－」ってそれぞれどういう意味？」)."""
    _, end, sentence = asking_clause(plain, words)
    cuts = _clause_cuts(plain, sentence, end)
    first = plain[: cuts[0][0]].rstrip("、, と") if cuts else None
    later = [plain[b:e] for (_, b), e in zip(cuts, [*(c for c, _ in cuts[1:]), end], strict=True)] if cuts else []
    at, shaped = end, False
    for m in _SENTENCE_END.finditer(_unquoted(plain) + "。", end):
        text = plain[at : m.end()]
        # 「…組んだ？ついでに大使館連携の中身も」: a sentence a connective opens, or one that adds a topic
        # with も, asks the same again
        added = _OPENS_FURTHER.match(text.lstrip()) or _TOO.search(text)
        if text.strip("。、 ") and not (_ASKING.search(text) or added) and REQUEST_END.search(text.rstrip("。")):
            shaped = True  # 「…館長に聞かれたので一言で返したい」: a request that says how, read with the first
        elif text.strip("。、 ") and (_ASKING.search(text) or added):
            inner = _clause_cuts(plain, at, min(m.end(), len(plain)))
            bounds = [at, *(b for _, b in inner)]
            stops = [c for c, _ in inner] + [min(m.end(), len(plain))]
            later += [plain[b:e] for b, e in zip(bounds, stops, strict=True)]
        at = m.end()
    later = [u.strip() for u in later if u.strip("。、 ")]
    if later and first is None and not shaped and _ASKING.search(plain[sentence:end]):
        first = plain[:end]  # a first sentence that asks is read alone: 「何事業？…なんで？」 asks two things
    return first, later


def sentence_asks(plain: str, at: int) -> bool:
    """True when the sentence holding position `at` asks or requests something itself."""
    masked = _unquoted(plain)
    start = max((m.end() for m in _SENTENCE_END.finditer(masked, 0, at)), default=0)
    end = next((m.end() for m in _SENTENCE_END.finditer(masked, at)), len(plain))
    text = plain[start:end]
    return bool(_ASKING.search(text) or REQUEST_END.search(text.rstrip("。")))


def _clause_cuts(plain: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where a sentence (plain[start:end]) divides into questions: (where the question before ends, where
    the next begins) for each connective, and for the first comma with a question word on either side."""
    cuts = [(m.start(), m.end()) for m in _FURTHER.finditer(plain, start, end)]
    if any(_BOTH.search(plain[b:end]) for _, b in cuts):
        return []  # 「a・b・c、あと「－」ってそれぞれどういう意味？」: one question of all of them
    if not cuts:
        commas = [m.start() for m in re.finditer(r"[、,]", plain[start:end])]
        cut = next(
            (start + c for c in commas
             if INTERROGATIVE.search(plain[start : start + c])
             and INTERROGATIVE.search(plain[start + c + 1 : end])),
            None,
        )  # fmt: skip
        cuts = [(cut, cut + 1)] if cut is not None else []
    return cuts


# -- predicates -------------------------------------------------------------------------------------


# Nouns that make a verb before them a clause of its own, not a name for them (「話すことになった」
# 「使う予定」「説明するため」): a verb before one still tells.
_FORMAL_NOUNS = frozenset(
    {"こと", "事", "もの", "物", "ところ", "ため", "為", "よう", "様", "はず", "わけ", "つもり", "予定"}
)


# Verbs that only carry another's aspect after て (「届いていない」「用意してある」「把握しておく」).
_SUBSIDIARY = frozenset({"居る", "いる", "有る", "ある", "置く", "おく", "おる", "仕舞う", "しまう", "来る", "行く"})


def _attributive(words: tuple[Word, ...], k: int) -> bool:
    """True when the verb at k names the noun after it (「始めた事業」「紹介する取組」「届いていない指標」), past
    its auxiliaries and a subsidiary verb after て."""
    rest = words[k + 1 :]
    i = 0
    while i < len(rest) and (
        rest[i].pos is Pos.AUXILIARY
        or (rest[i].surface in ("て", "で") and i + 1 < len(rest) and rest[i + 1].lemma in _SUBSIDIARY)
        or (rest[i].lemma in _SUBSIDIARY and i > 0 and rest[i - 1].surface in ("て", "で"))
    ):
        i += 1
    after = rest[i] if i < len(rest) else None
    return after is not None and after.pos in TOPICAL and after.surface not in _FORMAL_NOUNS | _MANNER


def _passive(words: tuple[Word, ...], k: int) -> bool:
    return k + 1 < len(words) and words[k + 1].pos is Pos.AUXILIARY and words[k + 1].lemma in _PASSIVE


def predicate(words: tuple[Word, ...], k: int) -> int | None:
    """Where the verb that a complement at k belongs to stands: the first verb of the clause from k on (or
    a noun that takes する used with it, 説明|し), skipping quoted questions (「…は？」と聞かれた), compound
    particles (について, に対して) and verbs that only name a noun on the way (「新しく始めた事業を説明したい」:
    始めた names 事業, the に goes on to 説明). None when the clause ends first."""
    while k < len(words) and words[k].pos is not Pos.CONJUNCTIVE and words[k].surface not in SENTENCE_MARKS:
        w = words[k]
        if w.surface in ("「", "『"):
            k = next((n for n in range(k, len(words)) if words[n].surface in ("」", "』")), len(words)) + 1
            continue
        if w.pos is Pos.VERB:
            before = words[k - 1] if k else None
            after_ni = before is not None and before.surface == "に" and w.lemma in _PARTICLE_VERBS
            compound = after_ni or (before is not None and before.surface == "と" and w.lemma == "為る")
            if compound:  # について, に対して, として: a particle, not the predicate
                k += 1
                continue
            if _attributive(words, k) and not (w.lemma in framing_lemmas() and _passive(words, k)):
                k += 1
                continue
            return k
        if w.verbal and k + 1 < len(words) and words[k + 1].lemma in _SUREU:
            return k
        k += 1
    return None


def _asker_tells(words: tuple[Word, ...], k: int | None) -> bool:
    """True when the predicate at k is a verb of using or telling said by the asker of what they will do
    or were asked (「説明したい」「下書きに使います」「会議で使うので」「係長から聞かれた」) — not one that names
    or asks what a project does (「中高生に本を紹介する取組」「ブックスタートで紹介している？」)."""
    if k is None or words[k].lemma not in framing_lemmas():
        return False
    verb = k if words[k].pos is Pos.VERB else k + 1  # 説明|する: the form is する's
    if _passive(words, verb):
        return True
    if _attributive(words, verb):
        return False
    return _askers_form(words, verb)


# Nouns of manner a verb may modify: 「貼れる感じで」 says how the answer should be, as ように does.
_MANNER = frozenset({"感じ", "形", "形式", "よう", "様", "風"})


def _asker_tells_or_does(words: tuple[Word, ...], k: int) -> bool:
    """True for a verbal noun and する in the asker's own form (「整理したい」「確認するので」)."""
    return k + 1 < len(words) and words[k + 1].lemma in _SUREU and _askers_form(words, k + 1)


def _askers_form(words: tuple[Word, ...], v: int) -> bool:
    """True when the verb at v is in a form the asker says of themself: a wish (たい), a request (て
    ください), a plain or polite statement of what they will do (使う、使います、使うので) — not a past or
    an ongoing act (紹介した、紹介している), which tell or ask what someone did."""
    tail = words[v + 1 : v + 3]
    if not tail or tail[0].pos is Pos.SYMBOL or tail[0].pos is Pos.CONJUNCTIVE:
        return True  # 「会議で使う。」「使うので」
    first = tail[0]
    # 「説明する用に」: what it is for; 「広報に使えそうな」: what the asker judges it fit for
    if first.surface in ("たい", "たく", "ます", "用", "ため", "為", "そう"):
        return True
    if first.surface in _MANNER or (first.pos is Pos.AUXILIARY and len(tail) > 1 and tail[1].surface in _MANNER):
        return True  # 「チャンネルに貼れる感じで」「資料に載せられる形で」: the shape the asker wants it in
    if first.surface == "の" and len(tail) > 1 and tail[1].surface == "に":
        return True  # 「説明するのに」: what it is for
    if first.lemma in _PASSIVE:
        return True  # 「議員に指摘された」: what was said to the asker
    return _te_request(tail)


def _te_request(tail: Sequence[Word]) -> bool:
    """True for a verb's ending that asks the reader: て alone or before ください/ほしい/もらえる
    (「整理して」「まとめてください」)."""
    ends = len(tail) == 1 or tail[1].lemma in _AFTER_TE or tail[1].pos is Pos.SYMBOL
    return bool(tail) and tail[0].surface == "て" and ends


def _request_of_asker(words: tuple[Word, ...], k: int | None) -> bool:
    """True when the predicate at k is the asker's own request or wish (「まとめてもらえますか」「説明したい」
    「教えてください」), not a verb that says what a project does (「絵本を渡すやつ」「借りられるように」)."""
    if k is None or _attributive(words, k if words[k].pos is Pos.VERB else k + 1):
        return False
    if words[k].lemma in _AFTER_TE and k > 0 and words[k - 1].verbal:  # 「ご紹介いただけますか」
        return True
    tail = words[k + 1 : k + 5]
    if any(w.surface in ("たい", "たく") for w in tail):
        return True
    return any(a.surface == "て" and b.lemma in _AFTER_TE for a, b in itertools.pairwise(tail))


def requested(words: tuple[Word, ...], i: int) -> bool:
    """True when the words from i on ask the reader to do what the noun before them names: 「整理して
    ほしい」「説明したい」「総括をお願い」 — not 「どんな工夫をした？」, which asks what was done."""
    if i < len(words) and words[i].surface == "を":
        i += 1
    if i >= len(words):
        return False
    if words[i].lemma in _ASKED_OF:
        return True
    if words[i].lemma not in _SUREU:
        return False
    rest = words[i + 1 : i + 3]
    if not rest:
        return False
    if rest[0].surface in ("たい", "たく"):  # 「説明したい」: what the asker will do with the answer
        return True
    if rest[0].surface == "て" and rest[-1].lemma in _SUBSIDIARY:  # 「把握しておきたい」
        return any(w.surface in ("たい", "たく") for w in words[i + 3 : i + 5])
    return _te_request(rest)


def framing(terms: Sequence[Compound], words: tuple[Word, ...], held: Held | None = None) -> frozenset[str]:
    """Topic words that grammar shows to be about the asking, not the topic:
    a noun that takes する used as the request's verb (「整理して」「総括をお願い」) or as the asker's verb of
    telling (「課内で共有します」), and a noun phrase that is the に/から complement of the asker's verb of
    using or telling (「答弁の下書きに使う」「教育委員に電子書籍について説明したい」「係長から聞かれた」): what
    the answer is for, or who it is for, or where it will be said (「想定問答で聞かれた」「区の広報で載せたい」).
    A verb that names what a project does is not the asker's (「中高生に本を紹介する取組」)."""
    index = {w.start: i for i, w in enumerate(words)}
    out = set()
    for t in terms:
        if not t.words or t.words[-1].start not in index:
            continue
        i = index[t.words[-1].start] + 1
        nxt = words[i] if i < len(words) else None
        if nxt is not None and nxt.surface == "を" and requested(words, i):
            out.add(t.text)  # 「リスクの洗い出しをしたい」: the object of the asker's own する
            continue
        if nxt is not None and nxt.surface == "を" and held is not None and not held(fold(t.text)):
            # 「事実関係を整理したいので、…」: a word the report never uses, the object of what the asker
            # will do in a clause said on the side, is about the asking
            verb = predicate(words, i + 1)
            side = any(a <= t.start and words[i].end <= b for a, b in aside(words))
            if side and verb is not None and words[verb].verbal and _asker_tells_or_does(words, verb):
                out.add(t.text)
                continue
        if nxt is not None and all(w.verbal for w in t.words):
            telling = t.words[-1].lemma in framing_lemmas() and nxt.lemma in _SUREU and _askers_form(words, i)
            if telling or requested(words, i):
                out.add(t.text)
                continue
        j = i
        while j < len(words) and (words[j].pos in TOPICAL or words[j].pos is Pos.SUFFIX or words[j].surface == "の"):
            j += 1
        if j >= len(words):
            continue
        # に as a particle (「課長に説明」) or as the analyzer's adverbial に (「正直に伝えたい」: how it is told)
        to_whom = words[j].pos in (Pos.PARTICLE, Pos.AUXILIARY) and words[j].surface in _TO_WHOM
        about = j + 1 < len(words) and words[j].surface == "に" and words[j + 1].lemma in _PARTICLE_VERBS
        to_whom = to_whom and not about  # 「所蔵資料数について教えて」: について names the topic
        # 「言葉で」: the analyzer may read this で as the copula's; 「打合せ資料として」: what the answer serves as
        at = words[j].surface == "で" and words[j].pos in (Pos.PARTICLE, Pos.AUXILIARY)
        as_what = [w.surface for w in words[j : j + 3]] == ["と", "し", "て"]
        verb = predicate(words, j + (3 if as_what else 1))
        telling = (to_whom or at) and _asker_tells(words, verb)
        # 「答弁の下書きに使える形でまとめて」: a word the report does not hold, said as where, whom or how of
        # the asker's own request (not as what is asked, which は/が/を/の mark), is about the asking.
        unheld = held is not None and not held(fold(t.text)) and (words[j].surface in _COMPLEMENTS or as_what)
        if telling or (unheld and _request_of_asker(words, verb)):
            out.add(t.text)
        k = index[t.words[0].start]
        if as_what and k and words[k - 1].pos in (Pos.VERB, Pos.AUXILIARY):
            # 「来館しなくても使えるサービスとして」: a noun a clause describes, said as what the answer
            # presents the topics as, is about the asking — with the clause's own words
            start = max(
                (w.end for w in words[:k] if w.surface in ("、", ",") or w.surface in SENTENCE_MARKS), default=0
            )
            out.update(x.text for x in terms if start <= x.start and x.end <= t.end)
    # 「係長会の資料で…一覧にしたい」: the head of a phrase whose modifier is about the asking, itself said
    # as where or how (で, に…), is about the asking too (the meeting's document).
    for a, b in itertools.pairwise(terms):
        joined = any(w.surface == "の" and a.end <= w.start and w.end <= b.start for w in words)
        nxt = next((w for w in words if w.start >= b.end), None)
        close = b.start - a.end <= 1
        if a.text in out and joined and close and nxt is not None and nxt.surface in _COMPLEMENTS:
            out.add(b.text)
    # 「平易な言葉で」: a word the report never uses that only says which kind of such a word, too
    for a, b in itertools.pairwise(terms):
        linked = any(w.surface in ("の", "な") and a.end <= w.start and w.end <= b.start for w in words)
        if b.text in out and linked and b.start - a.end <= 1 and held is not None and not held(fold(a.text)):
            out.add(a.text)
    return frozenset(out)


def for_whom(w: Word, words: tuple[Word, ...], held: Held | None = None) -> bool:
    """True for a word in a noun run that 向けに/用に/つきで follows (「委員会|報告|向けに」): whom or what the
    answer is for, or what it comes with. Before 向け, a word the report holds is whom a service is for
    (「幼稚園向けにも似たのを やる」), not the reader — unless the asker's verb of telling follows
    (「区民向けに出せそうな話題」); 用 is always a use; 「向けの貸出」 names what a service serves."""
    after = {x.start: x for x in words}
    end = w.end
    unheld = held is not None and not held(fold(w.surface))
    while end in after and after[end].surface not in _FOR_WHOM | _WITH:
        x = after[end]
        # 「根拠の数字つきで」: a word the report never uses may lead the phrase through の
        linked = unheld and x.surface == "の" and x.end in after and after[x.end].pos in TOPICAL
        if not (x.pos in TOPICAL or linked):
            break
        end = x.end
    if end not in after or after[end].surface not in _FOR_WHOM | _WITH:
        return False
    if after[end].surface in _TOWARD and held is not None and held(fold(w.surface)):
        k = next((i for i, x in enumerate(words) if x.start == after[end].start), len(words))
        verb = predicate(words, k + 1)
        if verb is not None and not _asker_tells(words, verb):  # a doing verb after it: a service's target
            return False
    nxt = after.get(after[end].end)
    return nxt is None or nxt.surface != "の"


# -- what points back, what is intended -------------------------------------------------------------


def intends(words: tuple[Word, ...]) -> bool:
    """A verb in its volitional form quoted by と and する/思う (「増やそうとしている」「どうしようと思って
    る」): an intention, what someone plans to do."""
    return any(
        a.pos is Pos.VERB and a.volitional and b.surface == "と" and c.lemma in _THINK
        for a, b, c in zip(words, words[1:], words[2:], strict=False)
    )


def acts(words: tuple[Word, ...], start: int, end: int) -> bool:
    """A verbal noun done (「試行する」「導入される」) between start and end: the sentence speaks of an act,
    not of a figure — of a later year, what is planned (its 今後の取組), not its target."""
    inside = [w for w in words if start <= w.start < end]
    if any(w.pos is Pos.VERB and w.lemma not in _STATIVE for w in inside):
        return True  # 「新しく始めること」「何をやる？」
    return any(a.verbal and b.lemma in _SUREU | _PASSIVE for a, b in itertools.pairwise(inside))


def denied(at: int, words: tuple[Word, ...]) -> bool:
    """True when the verb right after position `at` (past a particle) is denied: 「計画どおりに|いか|なかった」
    「順調に|進んで|いない」. A cue that ends inside a word (下回|らなかった) is its own verb: never read here."""
    after = [w for w in words if w.start >= at]
    if not after or (words and any(w.start < at < w.end for w in words)):
        return False
    k = 0
    while (
        k < len(after)
        and after[k].pos in (Pos.PARTICLE, Pos.AUXILIARY)
        and after[k].surface in ("に", "は", "が", "で")
    ):
        k += 1
    if k >= len(after) or after[k].pos is not Pos.VERB:
        return False
    rest = after[k + 1 : k + 5]
    for w in rest:
        if w.lemma in ("ない", "ず", "ぬ") or w.surface in ("ません", "ない", "なかっ"):
            return True
        if w.pos not in (Pos.AUXILIARY, Pos.VERB) and w.surface not in ("て", "で"):
            return False
    return False


def kind_asked(at: int, words: tuple[Word, ...]) -> bool:
    """True for a noun right after どんな/どういう/どのような/何の (「どういうサービス」): it names the kind of
    answer asked for, not the topic."""
    k = next((k for k in range(len(words) - 1, -1, -1) if words[k].end <= at), None)
    if k is None or words[k].end != at:
        return False
    if words[k].surface == "の" and k and words[k - 1].surface in ("何", "なん", "なに"):
        return True  # 「何のサービス？」 asks the kind, as どういうサービス does
    return words[k].surface in _WHICH_KIND


def refers_back(c: lexicon.Claim, earlier: Sequence[lexicon.Claim], words: tuple[Word, ...]) -> bool:
    """True for a cue word after a demonstrative that repeats a cue said before (「その評価」 after
    「進捗評価」): it points back at what was asked and asks nothing new."""
    before = next((w for w in reversed(words) if w.end <= c.start), None)
    return (
        before is not None
        and before.surface in _DEMONSTRATIVES
        and any(c.said in e.said and e.cue.field != "frame" for e in earlier)
    )


def topic_tte(plain: str) -> str:
    """The text with the colloquial topic marker って after a noun read as は (and a space, so every
    offset stays): after a noun the analyzer may read it as a verb glued on (達成|率っ|て). A verb that
    stands on its own (「載ってる」「本を使って」) keeps its って."""
    words = analyze(plain)
    out = plain
    for m in _TTE.finditer(plain):
        i = next((k for k, w in enumerate(words) if w.start < m.start() <= w.end), None)
        w = words[i] if i is not None else None
        if w is not None and w.pos is Pos.VERB and w.end > m.start():
            before = words[i - 1] if i else None
            glued = before is not None and before.end == w.start and before.pos in (*TOPICAL, Pos.SUFFIX)
            if not glued:
                continue
        out = out[: m.start()] + "は " + out[m.end() :]
    return out


_MARKERS = frozenset({"は", "が", "って", "を", "も"})


def marked(term: Compound, words: tuple[Word, ...]) -> bool:
    """True when a topic word is marked as what is asked: は, が, って, を or も right after it, or the
    question ending on it (「予算は？」「開館時間って」「来館者数」)."""
    nxt = next((w for w in words if w.start >= term.end), None)
    return nxt is None or nxt.surface in _MARKERS or nxt.surface in SENTENCE_MARKS


def complement(term: Compound, words: tuple[Word, ...]) -> bool:
    """True when a word is followed by に, で, へ or から: where, when or to whom, not what is asked."""
    nxt = next((w for w in words if w.start >= term.end), None)
    return nxt is not None and nxt.start == term.end and nxt.surface in _COMPLEMENTS


def past(words: tuple[Word, ...], start: int, end: int) -> bool:
    """True when the clause from start to end asks about something done: a verb followed by the past
    auxiliary た (「どんな工夫をした？」「動きあった？」「進みました？」), not what will be done."""
    clause = [w for w in words if start <= w.start < end]
    for a, b in itertools.pairwise(clause):
        if b.pos is Pos.AUXILIARY and b.surface in ("た", "だ") and (a.pos is Pos.VERB or a.lemma == "ます"):
            return True
    return False
