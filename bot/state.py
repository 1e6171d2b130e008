"""The state store (DESIGN.md §9): conversation context, Slack events claimed and answered, and
acknowledged work not yet answered, in one small SQLite file (WAL), apart from the index.

The interface is narrow on purpose — get/put a context by key with a time-to-live, claim/finish an
event id, log a question and its feedback — so another implementation (PostgreSQL, for several
instances) can stand behind it. It stores no tokens and no user ids. Every method is safe to call from
Bolt's listener threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from knowledge.errors import PlanbotError

SCHEMA = """
create table if not exists context (key text primary key, value text not null, expires real not null);
create table if not exists events (
    id text primary key, state text not null, payload text, claimed real not null, expires real not null
);
create index if not exists events_state on events (state);
create table if not exists questions (
    id integer primary key, at real not null, surface text not null, question text not null,
    normalized text not null, intent text not null, projects text not null, outcome text not null,
    feedback text, label text
);
create index if not exists questions_at on questions (at);
"""
EVENT_TTL = 7 * 24 * 3600  # Slack retries for minutes; a week of answered ids is plenty and stays small


class StateUnavailable(PlanbotError):
    """The state file cannot be opened or written; the message names the file and what to do."""


def default_state_path(env: dict[str, str] | None = None) -> Path:
    """PLANBOT_STATE, or state.db under $XDG_STATE_HOME/planbot (~/.local/state/planbot)."""
    env = os.environ if env is None else env
    if env.get("PLANBOT_STATE", "").strip():
        return Path(env["PLANBOT_STATE"].strip()).expanduser()
    base = Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "planbot" / "state.db"


class StateStore:
    """One SQLite file of small records, each with an expiry."""

    def __init__(self, path: Path, clock=time.time):
        self.path = Path(path)
        self.clock = clock
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5, isolation_level=None)
            self.conn.execute("pragma busy_timeout = 5000")
            self.conn.execute("pragma journal_mode = wal")
            if self.conn.execute("pragma quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            self.conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise StateUnavailable(
                f"{self.path}: 状態ファイルを開けません ({e})。PLANBOT_STATE で書き込める場所を指定するか、"
                "壊れたファイルを削除してください"
            ) from None

    # -- conversation context ----------------------------------------------------------------------
    def get(self, key: str) -> dict | None:
        """The value stored under key, or None when there is none or it has expired."""
        row = self._one("select value from context where key = ? and expires > ?", (key, self.clock()))
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: dict, ttl: float) -> None:
        """Store a JSON-able value under key for ttl seconds (replacing what was there)."""
        data = json.dumps(value, ensure_ascii=False)
        self._write(
            "insert into context (key, value, expires) values (?, ?, ?) "
            "on conflict (key) do update set value = excluded.value, expires = excluded.expires",
            (key, data, self.clock() + ttl),
        )

    # -- Slack events ------------------------------------------------------------------------------
    def claim(self, event_id: str, payload: dict | None = None) -> bool:
        """True for the first claim of an event id (this process answers it); False for a repeat."""
        now = self.clock()
        data = json.dumps(payload, ensure_ascii=False) if payload is not None else None
        with self._lock:
            try:
                cur = self.conn.execute(
                    "insert into events (id, state, payload, claimed, expires) values (?, 'claimed', ?, ?, ?) "
                    "on conflict (id) do nothing",
                    (event_id, data, now, now + EVENT_TTL),
                )
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None
            return cur.rowcount == 1

    def finish(self, event_id: str) -> None:
        """Mark a claimed event answered: its payload is dropped (no user text kept once answered)."""
        self._write("update events set state = 'answered', payload = null where id = ?", (event_id,))

    def unfinished(self) -> list[tuple[str, dict]]:
        """Claimed events not yet answered, oldest first, with their payloads (for after a restart)."""
        with self._lock:
            rows = self.conn.execute(
                "select id, payload from events where state = 'claimed' and payload is not null order by claimed"
            ).fetchall()
        return [(event_id, json.loads(payload)) for event_id, payload in rows]

    # -- the question log ----------------------------------------------------------------------------
    def log_question(self, surface: str, question: str, normalized: str, intent: str, projects: list[str],
                     outcome: str) -> int:  # fmt: skip
        """Record a question and how it was answered (no user id); returns its id for feedback."""
        with self._lock:
            try:
                cur = self.conn.execute(
                    "insert into questions (at, surface, question, normalized, intent, projects, outcome) "
                    "values (?, ?, ?, ?, ?, ?, ?)",
                    (self.clock(), surface, question, normalized, intent, json.dumps(projects), outcome),
                )
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None
            return cur.lastrowid

    def set_feedback(self, question_id: int, feedback: str) -> bool:
        """Record 👍 ('up') or 👎 ('down') on a logged answer; False if there is no such question."""
        return self._update("update questions set feedback = ? where id = ?", (feedback, question_id))

    def set_label(self, question_id: int, label: str) -> bool:
        """Record what the question was really about: a project id, or 'none' (not in the report)."""
        return self._update("update questions set label = ? where id = ?", (label, question_id))

    def questions(self, since: float | None = None) -> list[dict]:
        """Logged questions (oldest first), each as a dict with `projects` as a list."""
        with self._lock:
            try:
                cur = self.conn.execute("select * from questions where at >= ? order by id", (since or 0,))
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルを読めません ({e})") from None
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
        for r in rows:
            r["projects"] = json.loads(r["projects"])
        return rows

    # -- upkeep --------------------------------------------------------------------------------------
    def purge(self, keep_questions: float | None = None) -> int:
        """Delete expired records, and logged questions older than keep_questions seconds; how many went."""
        now = self.clock()
        with self._lock:
            n = self.conn.execute("delete from context where expires <= ?", (now,)).rowcount
            n += self.conn.execute("delete from events where expires <= ?", (now,)).rowcount
            if keep_questions is not None:
                n += self.conn.execute("delete from questions where at < ?", (now - keep_questions,)).rowcount
        return n

    def _update(self, sql: str, args: tuple) -> bool:
        with self._lock:
            try:
                return self.conn.execute(sql, args).rowcount == 1
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self.conn.close()

    def _one(self, sql: str, args: tuple):
        with self._lock:
            try:
                return self.conn.execute(sql, args).fetchone()
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルを読めません ({e})") from None

    def _write(self, sql: str, args: tuple) -> None:
        with self._lock:
            try:
                self.conn.execute(sql, args)
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None
