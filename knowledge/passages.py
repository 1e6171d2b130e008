"""Passages: every sheet cell split into sentences and bullets, indexed, ranked, and the answering
span pulled out (docs/design.md §4). A passage is quoted verbatim: it is a substring of the report's cell.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

from knowledge.model import Project
from knowledge.text import normalize, search_terms, to_hiragana

# Sentences end at 「。」; bullets start at 「・」 (the report writes 「・a ・b」 inside one cell).
_SPLIT = re.compile(r"(?<=。)|\s+(?=・)|^(?=・)")
_MIN_CHARS = 2


@dataclass(frozen=True)
class Passage:
    """One sentence or bullet of a sheet cell, with where it stands."""

    project_id: str
    kind: str  # a key of model.ENTRY_KINDS, or "indicator_evaluation"
    label: str  # the column header as published
    fy: int | None
    row: int
    text: str  # verbatim, without the leading bullet mark
    indicator_id: str = ""


def split_text(text: str) -> list[str]:
    """Sentences and bullets of a cell, verbatim, in order; bullet marks and edge spaces dropped."""
    out = []
    for piece in _SPLIT.split(text):
        piece = piece.strip().removeprefix("・").strip()
        if len(piece) >= _MIN_CHARS and piece != "-":
            out.append(piece)
    return out


def project_passages(project: Project) -> list[Passage]:
    """Every passage of a project's sheet: its narrative cells and its indicators' evaluations."""
    out = []
    for e in project.entries:
        if e.kind == "reason" and e.text.strip() in ("-", "－", ""):
            continue
        for piece in split_text(e.text):
            out.append(Passage(project.id, e.kind, e.label, e.fy, e.row, piece, e.indicator))
    return out


def write_passages(db, projects: list[Project]) -> None:
    """Write the passages table and its bigram FTS5 index (called while building the index)."""
    rows = [
        {
            "project_id": p.project_id,
            "kind": p.kind,
            "label": p.label,
            "fy": p.fy,
            "row": p.row,
            "indicator_id": p.indicator_id or None,
            "text": p.text,
            "terms": " ".join(search_terms(p.text)),
        }
        for project in projects
        for p in project_passages(project)
    ]
    db["passages"].insert_all(
        rows,
        pk="id",
        foreign_keys=[("project_id", "projects", "id")],
        columns={"fy": int, "indicator_id": str},
    )
    db["passages"].enable_fts(["terms"], create_triggers=False)


@dataclass(frozen=True)
class Found:
    """A passage ranked for a question: its score and the share of the question's words it holds."""

    passage: Passage
    score: float
    coverage: float


class PassageIndex:
    """Ranks the passages of an open index for a question's words."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._lock = threading.Lock()  # one connection serves Bolt's listener threads
        self.by_rowid: dict[int, Passage] = {}
        self.terms: dict[int, set[str]] = {}
        self.folded: dict[int, str] = {}
        self._of: dict[str, list[tuple[Passage, str]]] = {}
        for r in conn.execute("select * from passages order by id"):
            p = Passage(r["project_id"], r["kind"], r["label"], r["fy"], r["row"], r["text"], r["indicator_id"] or "")
            self.by_rowid[r["id"]] = p
            self.terms[r["id"]] = set(r["terms"].split())
            self.folded[r["id"]] = fold(p.text)
            self._of.setdefault(p.project_id, []).append((p, self.folded[r["id"]]))

    def of(self, project_id: str) -> list[tuple[Passage, str]]:
        """Every passage of one project in sheet order, each with its folded text."""
        return self._of.get(project_id, [])

    def rank(self, words: list[str], project_ids: list[str] | None = None, limit: int = 8) -> list[Found]:
        """Passages holding the words' bigrams (bm25 over FTS5), optionally of some projects only."""
        grams = sorted({g for w in words for g in search_terms(w)})
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in grams)  # bigrams are word characters only: no FTS syntax
        sql = (
            "select p.id, bm25(passages_fts) as rank from passages_fts join passages p on p.rowid = passages_fts.rowid "
            "where passages_fts match ?"
        )
        args: list = [match]
        if project_ids:
            sql += f" and p.project_id in ({', '.join('?' for _ in project_ids)})"
            args += project_ids
        sql += " order by rank limit 40"
        with self._lock:
            rows = self.conn.execute(sql, args).fetchall()
        wanted = set(grams)
        found = []
        for pid, rank in rows:
            held = self.terms[pid] & wanted
            found.append(Found(self.by_rowid[pid], -rank, len(held) / len(wanted)))
        return found[:limit] if limit else found

    def holding(self, phrase: str) -> set[str]:
        """Projects with a passage that holds the phrase verbatim (folded: kana, width, case)."""
        key = fold(phrase)
        if len(key) < 2:
            return set()
        return {self.by_rowid[n].project_id for n, text in self.folded.items() if key in text}


def fold(text: str) -> str:
    """Text folded for verbatim phrase checks: normalized, katakana as hiragana, no spaces."""
    return to_hiragana(normalize(text)).replace(" ", "")
