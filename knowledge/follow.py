"""How a follow-up borrows the conversation's topic, and how named parts of the plan become filters.

A part of `KnowledgeBase` (knowledge/answer.py): the methods read the knowledge base's report,
search and passages through `self`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.answer_parts import NAMES_A_PROJECT, TOPIC_SPLIT
from knowledge.conversation import REFERS, Context
from knowledge.evidence import content_words, covered, fold
from knowledge.facts import SPECIFIC_ASKS, counted_head
from knowledge.questions import Ask, Level, Part, Question
from knowledge.text import CIRCLED


class FollowUps:
    """How a follow-up borrows the conversation's topic, and how named parts of the plan become filters."""

    def _follow(self, q: Question, ctx: Context) -> Question:
        """A question that names no topic of its own takes the conversation's (docs/design.md §5);
        one that names a new topic, or asks what the report lacks, is read as a fresh question."""
        scope = [pid for pid in ctx.projects if pid in self.by_id]
        if Ask.OTHER in q.asks and scope:  # 「ほかに…ある？」「似たような事業は？」: not these, others
            q.exclude = scope
            return q
        other = self._the_others(q, ctx, scope)
        if other:  # 「絵本じゃない方は？」「もう一つの方は？」: the rest of the list just shown
            scope = other
            if not (q.parts or q.asks or q.fy):  # and the same thing asked of it (「課題は？」 then this)
                q.parts = set(ctx.parts)
        refers = bool(REFERS.search(q.raw)) or bool(other)
        if not scope or q.project_ids or (q.summary and not refers) or (q.has_filter and not refers):
            return q
        words = content_words(q.search)
        if words and not self._continues(words, scope, q):
            return q
        asked = q.parts or q.asks or q.fy or q.levels or q.has_filter or q.rank or q.direction or q.unit or q.threshold
        asked = asked or q.brief  # 「もっと短く、一言で」: the same topic, reshaped
        if not words and not (asked or q.yesno or refers):
            return q  # 「ありがとう、助かった！」: nothing asked, nothing to borrow
        q = replace(q, search="" if not words else q.search)
        nth = _ordinal(q.raw, len(scope))
        if nth is not None:  # 「2番目のやつの今後は？」: that one of the projects just listed
            scope, words = [scope[nth]], []
            q.search = ""
        if q.brief and not words and not q.parts and ctx.parts and not q.asks & SPECIFIC_ASKS:  # 「それを答弁調で」
            q.parts = set(ctx.parts)
        if len(scope) == 1:
            q.project_ids = scope
            named = self._named_indicators(q.search, self.by_id[scope[0]]) if q.search else []
            q.indicator_ids = [] if named else [i for i in ctx.indicators if i.startswith(scope[0] + "/")]
        else:
            # 「ICTのほうの今後は？」 after a list: the one listed project whose sheet holds the words
            held = [
                pid
                for pid in scope
                if words and all(covered(w, self.folded[pid], self.searcher.bag[pid]) for w in words)
            ]
            if len(held) == 1:
                q.project_ids, q.search = held, ""
            else:
                q.scope = scope
        if q.indicator_ids and not q.parts and (Level.INDICATOR in q.levels or q.count_of == "indicators"):
            # 「指標はいくつ？」 of an outcome just shown: its target row, which the report calls 指標
            q.parts.add("plan")
            q.asks.discard("count")
            q.count_of = ""
        if q.fy is None and ctx.fy is not None and q.indicator_ids and q.parts & {"actual", "plan", "achievement"}:
            q.fy = ctx.fy  # 「目標は？」 after 「令和5年度の貸出数」: the same year
        return q

    def _the_others(self, q: Question, ctx: Context, scope: list[str]) -> list[str]:
        """The projects of the list just shown that a follow-up points at by setting others aside: those
        whose sheet lacks the words before じゃない/以外 (「絵本じゃない方」), or all but the one in hand
        (「もう一つの方」「残りは？」). The words that set them aside leave the question's search."""
        pool = ctx.listed if len(ctx.listed) >= 2 else scope
        if len(pool) < 2:
            return []
        not_that = _NOT_THAT_ONE.search(q.raw)
        if not_that:
            named = content_words(not_that.group(1))
            rest = [pid for pid in pool if not all(covered(w, self.folded[pid], self.searcher.bag[pid]) for w in named)]
            if not named or not rest or len(rest) == len(pool):
                return []
            q.search = " ".join(w for w in q.search.split() if w not in named)
            return rest
        if _THE_OTHER.search(q.raw):
            rest = [pid for pid in pool if pid not in scope]
            if not rest:  # the whole list in hand: the rest of the part it was picked from (重点の残りの1つ)
                rest = [pid for pid in ctx.group if pid not in pool]
            q.search = " ".join(w for w in q.search.split() if not _THE_OTHER.search(w))
            return rest or pool[1:]
        return []

    def folded_names(self) -> tuple[dict[str, str], set[str]]:
        """The policies' titles by id and the projects' names, folded once (a project of a policy's name is
        that project)."""
        names = self.__dict__.get("_names_folded")
        if names is None:
            names = self.__dict__["_names_folded"] = (
                {p.id: fold(p.name) for p in self.report.policies},
                {fold(p.name) for p in self.report.projects},
            )
        return names

    def _plan_names(self, q: Question) -> None:
        """A policy or goal named by its title (施策「豊かな国際性を生かした取組の推進」) becomes the filter,
        and words that only repeat the named policy's or goal's title are no topic of their own."""
        words = content_words(q.search)
        titles, projects = self.folded_names()
        if not (q.policy or q.project_ids):  # 「「学校図書館の支援推進」の事業」: a policy's whole title names it
            said = fold(q.raw)
            whole = [pid for pid, t in titles.items() if t in said and t not in projects]
            if len(whole) == 1:
                q.policy = whole[0]
                # 「…の推進」の①〜③: the policy's projects by their circled numbers
                q.project_ids = q.project_ids or _numbered(self.report, q.policy, q.raw)
                # The title said in full is the policy, no topic of its own; nor is a word most of its
                # projects use (「…の展開（ボランティアのとこ）」: what the policy is about).
                own = [p.id for p in self.report.projects if p.policy_id == q.policy]
                left = [
                    w
                    for w in words
                    if not _in_title(w, titles[q.policy])
                    and sum(self._holds_all(pid, [w]) for pid in own) * 2 <= len(own)
                ]
                q.search = " ".join(left)
        if not words:
            return
        goal_titles = {g.number: fold(g.title) for g in self.report.goals}
        if Level.POLICY in q.levels and not q.policy:
            named = [pid for pid, t in titles.items() if all(_in_title(w, t) for w in words)]
            if not named:  # 「学校図書館支援まわりの担当になりました。その施策の事業は？」: the words a title has
                titled = [w for w in words if any(_in_title(w, t) for t in titles.values())]
                named = [pid for pid, t in titles.items() if titled and all(_in_title(w, t) for w in titled)]
                # but a word that names a project (「電子書籍サービスの活用は、どの施策に？」) is not left out
                names = " ".join(fold(p.name) for p in self.report.projects)
                dropped = [w for w in words if w not in titled]
                named = named if len(titled) * 2 >= len(words) and not any(fold(w) in names for w in dropped) else []
            if len(named) == 1:
                q.policy = named[0]
        # A goal named by its title: after 基本目標, or before 目標 alone (「学びを支える資料や環境の目標」: 目標
        # after words that only one goal's title holds is that goal, not a target figure).
        plan_word = Part.PLAN in q.parts and len(words) >= 2
        if (Level.GOAL in q.levels or plan_word) and not q.goals:
            named = [n for n, t in goal_titles.items() if all(_in_title(w, t) for w in words)]
            if len(named) == 1:
                q.goals = named
                q.parts.discard(Part.PLAN)
        if Level.POLICY in q.levels and not q.policy:
            # 「受け取り・返却とか座席予約とか…系の施策」: the one policy that holds each project named
            found = [self.find(replace(q, search=part), self.searcher.search(part)) for part in _parts(q.search)]
            held = {hit[0].policy_id for hit in found if hit}
            if len(found) >= 2 and all(found) and len(held) == 1:
                q.policy, q.search = held.pop(), ""
                return
        echo = [titles[q.policy]] if q.policy in titles else [goal_titles[g] for g in q.goals if g in goal_titles]
        if echo and all(any(_in_title(w, t) for t in echo) for w in words):
            q.search = ""  # 「学校図書館の支援推進（施策4-(1)）」: the policy itself is the topic

    def _holds_all(self, pid: str, words: list[str]) -> bool:
        return all(covered(w, self.folded[pid], self.searcher.bag[pid]) for w in words)

    def _continues(self, words: list[str], scope: list[str], q: Question) -> bool:
        """True when the conversation's projects hold the question's words, unless the question spells
        out most of another project's name (「大使館との連携は？」): 「ブックスタートは？」 after 電子書籍
        starts a new topic, 「対象は？」 after 絵本貸出定期便 does not."""
        # 「去年の増設台数も」: a count in a counter (台数, 件数) is what its head names, counted
        heads = [counted_head(w) for w in words]
        held = all(any(covered(w, self.folded[pid], self.searcher.bag[pid]) for pid in scope) for w in heads)
        if not held:
            return False
        spelled = [fold(w) for w in q.search.split()]
        for p in self.report.projects:
            name = fold(p.name)
            inside = all(w in name for w in spelled)
            if p.id not in scope and inside and sum(map(len, spelled)) >= NAMES_A_PROJECT * len(name):
                return False
        return True


def _in_title(word: str, title: str) -> bool:
    """A word of a title as people shorten it: 「利便性向上」 for 「利便性の向上」 (the title's の dropped)."""
    w = fold(word)
    return w in title or w in title.replace("の", "")


_NTH = re.compile(r"([1-9１-９一二三四五])\s*(?:番目|つ目|個目)|(前者)|(後者)")
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def _numbered(report, policy: str, text: str) -> list[str]:
    """The projects of a policy a text names by circled number alone (「①〜③」「②と④」), in order."""
    m = re.search(f"([{CIRCLED}])\\s*[〜~～-]\\s*([{CIRCLED}])", text)
    said = (
        CIRCLED[CIRCLED.index(m.group(1)) : CIRCLED.index(m.group(2)) + 1]
        if m
        else "".join(re.findall(f"[{CIRCLED}]", text))
    )
    return [p.id for p in report.projects if p.policy_id == policy and p.id.endswith(tuple(said))] if said else []


# 「絵本じゃない方」「電子書籍以外のやつ」: the listed projects but those the words name.
_NOT_THAT_ONE = re.compile(
    r"([^\s、。?？!！]+?)(?:じゃない|じゃなく|ではない|ではなく|でない|以外)の?\s*(?:方|ほう|やつ|事業|もの|の)"
)
# 「もう一つの方」「残りの事業」「もう片方」: the listed projects but the one in hand.
_THE_OTHER = re.compile(r"もう\s*(?:一|ひと|1)\s*(?:つ|個|こ)|もう片方|もう一方|残り|他の(?:方|ほう)|別の(?:方|ほう)")


def _ordinal(text: str, listed: int) -> int | None:
    """The index of the listed item a follow-up points at (「2番目の」「前者」「後者」), or None."""
    m = _NTH.search(text)
    if m is None or listed < 2:
        return None
    if m.group(2):
        return 0
    if m.group(3):
        return listed - 1
    raw = m.group(1)
    n = _KANJI_DIGITS.get(raw) or int(raw.translate(str.maketrans("１２３４５６７８９", "123456789")))
    return n - 1 if 1 <= n <= listed else None


def _parts(search: str) -> list[str]:
    """The topics a search joins with 「と」 (「返却と座席予約」), each with words of its own."""
    return [p for p in TOPIC_SPLIT.split(search) if content_words(p)]
