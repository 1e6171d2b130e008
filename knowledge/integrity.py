"""Is an index fit to answer from? Checked before the server starts on it or switches to it, so a file
that is structurally wrong (a NULL where text must be, notes that are not JSON, no projects) is refused
with one line naming what is wrong, and the index in use is kept."""

from __future__ import annotations

import json
import sqlite3

from knowledge.errors import IndexUnavailable

# Columns every row must fill: the answer pipeline reads them as text or numbers without a check.
REQUIRED = {
    "document": ("title", "as_of", "as_of_fy", "source_name", "notes", "warnings"),
    "projects": ("id", "name", "goal", "policy", "number"),
    "search": ("project_id", "name", "aliases", "indicators", "reading", "context", "body"),
    "entries": ("project_id", "kind", "text"),
    "passages": ("project_id", "text", "terms"),
    "indicators": ("id", "project_id", "name"),
    "goals": ("number", "title"),
    "policies": ("id", "name"),
}
# Questions every index must answer without an error: a card, a list, the indicators, the overview.
PROBES = ("全体のまとめ", "重点事業", "目標を下回っている指標は？", "一番達成率が高い指標は？", "使い方")


def check_tables(conn: sqlite3.Connection) -> None:
    """The tables' shape: one document row with JSON notes, some projects, no NULL where text must be."""
    try:
        for table, columns in REQUIRED.items():
            for column in columns:
                if conn.execute(f"select 1 from {table} where {column} is null limit 1").fetchone():
                    raise IndexUnavailable(f"{table}.{column} に空 (NULL) の行があります")
        if conn.execute("select count(*) from document").fetchone()[0] != 1:
            raise IndexUnavailable("document の行が1行ではありません")
        if conn.execute("select count(*) from projects").fetchone()[0] == 0:
            raise IndexUnavailable("事業が1件もありません")
        for column in ("notes", "warnings"):
            value = json.loads(conn.execute(f"select {column} from document").fetchone()[0])
            if not isinstance(value, list):
                raise IndexUnavailable(f"document.{column} が JSON の配列ではありません")
    except sqlite3.Error as e:
        raise IndexUnavailable(f"索引の表を読めません ({e})") from None
    except ValueError:
        raise IndexUnavailable("document の notes/warnings が JSON ではありません") from None


def check_answers(kb) -> None:
    """Answer a card for every project and a few questions of each kind; the first failure, named."""
    questions = [*PROBES, *(p.name for p in kb.report.projects)]
    for question in questions:
        try:
            kb.answer(question)
        except Exception as e:  # whatever a broken index makes the pipeline raise
            raise IndexUnavailable(f"「{question}」に答えられません ({type(e).__name__}: {e})") from None


def load_checked(conn: sqlite3.Connection):
    """The KnowledgeBase over an index connection, or IndexUnavailable saying what is wrong with it."""
    from knowledge.answer import KnowledgeBase

    check_tables(conn)
    try:
        kb = KnowledgeBase(conn)
    except (sqlite3.Error, KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        raise IndexUnavailable(f"索引を読み込めません ({type(e).__name__}: {e})") from None
    check_answers(kb)
    return kb
