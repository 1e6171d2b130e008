"""Find the projects a free-text question is about: bigram BM25 in SQLite FTS5, then rapidfuzz.

Measured (docs/design.md §1): character bigrams ranked by bm25() beat trigram FTS and fuzzy matching on
names. Two guards keep unrelated questions out: a hit must share a kanji/katakana/latin bigram with
the question, or a run of three hiragana bigrams (hiragana alone is mostly grammar).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.index import SEARCH_COLUMNS, TITLE_COLUMNS
from knowledge.model import Report
from knowledge.questions import expand_synonyms
from knowledge.text import bigrams, normalize, to_hiragana

PARTICLES = set("のをはがとにでへや")
FUZZY_CUTOFF = 75  # partial_ratio of unrelated questions stays below ~60 on these names
_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")
_WORD_RUN = re.compile(r"(?:[^\W_]|ー)+")


@dataclass(frozen=True)
class Term:
    """A query bigram, folded for matching, and whether it is strong evidence on its own."""

    folded: str
    strong: bool
    position: int  # index in the question's own bigrams; -1 for synonym expansions


@dataclass(frozen=True)
class Hit:
    """A project found for a question: its bm25 score (higher is better) and how well it matched."""

    project_id: str
    score: float
    coverage: float  # share of the question's own (strong, if any) bigrams the project contains
    confident: bool  # enough evidence to answer with it; otherwise only worth a 「もしかして」


def query_terms(text: str) -> list[Term]:
    """Bigrams of the question and of its synonyms; particles in hiragana dropped."""
    terms: list[Term] = []
    for n, part in enumerate(expand_synonyms(text)):
        position = 0
        for run in _WORD_RUN.findall(normalize(part)):
            for gram in bigrams(run):
                own = n == 0
                if PARTICLES & set(gram):  # 「害の」「の読」: the particle is grammar, not topic
                    position += own
                    continue
                strong = not _HIRAGANA.match(gram)
                terms.append(Term(to_hiragana(gram), strong, position if own else -1))
                position += own
    return terms


class Searcher:
    """Ranks projects for a text, over an open index connection."""

    def __init__(self, conn: sqlite3.Connection, report: Report):
        self.conn = conn
        self.bag: dict[str, set[str]] = {}
        self.title_bag: dict[str, set[str]] = {}
        for row in conn.execute("select * from search"):
            pid = row["project_id"]
            self.bag[pid] = {w for column in SEARCH_COLUMNS for w in row[column].split()}
            self.title_bag[pid] = {w for column in TITLE_COLUMNS for w in row[column].split()}
        # Names for fuzzy matching, folded the same way as questions.
        self.names = {
            f"{p.id}\t{name}": to_hiragana(normalize(name)) for p in report.projects for name in [p.name, *p.aliases]
        }
        self._lock = threading.Lock()
        weights = ", ".join(str(w) for w in SEARCH_COLUMNS.values())
        self.sql = (
            f"select s.project_id, bm25(search_fts, {weights}) as rank from search_fts "
            "join search s on s.rowid = search_fts.rowid where search_fts match ? order by rank limit 12"
        )

    def search(self, text: str) -> list[Hit]:
        """Projects for the text, best first; empty when nothing relevant is found."""
        terms = query_terms(text)
        if not terms:
            return []
        # In a question with kanji or katakana, its hiragana is grammar (「のある」): search the rest.
        strong = [t for t in terms if t.strong]
        unique = sorted({t.folded for t in (strong if len(strong) >= 2 else terms)})
        match = " OR ".join(f'"{t}"' for t in unique)  # bigrams are word characters only: no FTS syntax
        hits = []
        own = [t for t in terms if t.position >= 0]
        own = [t for t in own if t.strong] or own
        with self._lock:  # one connection serves Bolt's listener threads
            rows = self.conn.execute(self.sql, (match,)).fetchall()
        for row in rows:
            bag = self.bag[row[0]]
            found = [t for t in terms if t.folded in bag]
            strong_found = {t.folded for t in found if t.strong}
            titled = {t.position for t in terms if t.folded in self.title_bag[row[0]] and t.position >= 0}
            title_run = _longest_run(sorted(titled))
            if not strong_found and title_run < 3:
                continue  # only grammar in common
            coverage = len({t.position for t in own if t.folded in bag}) / max(1, len({t.position for t in own}))
            confident = len(strong_found) >= 2 or coverage >= 0.5 or title_run >= 3
            hits.append(Hit(row[0], -row[1], coverage, confident))
        return hits

    def fuzzy(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """Project ids whose name is close to the text (typos), best first."""
        query = to_hiragana(normalize(text)).replace(" ", "")
        if len(query) < 2:
            return []
        found = process.extract(
            query, self.names, scorer=fuzz.partial_ratio, processor=None, score_cutoff=FUZZY_CUTOFF, limit=limit * 2
        )
        best: dict[str, float] = {}
        for _, score, key in found:
            pid = key.split("\t")[0]
            best[pid] = max(best.get(pid, 0), score)
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def _longest_run(positions: list[int]) -> int:
    best = run = 0
    previous = None
    for p in positions:
        run = run + 1 if previous is not None and p == previous + 1 else 1
        best = max(best, run)
        previous = p
    return best
