"""The state store (docs/design.md §5): conversation context, Slack events claimed and answered, and
acknowledged work not yet answered, in one small SQLite file (WAL), apart from the index.

The interface is narrow on purpose — get/put a context by key with a time-to-live, claim/finish an
event id, log a question and its feedback — so another implementation (PostgreSQL, for several
instances) can stand behind it. It stores no tokens and no user ids. Every method is safe to call from
Bolt's listener threads.

Work (a question acknowledged and not yet answered) carries a lease: the process answering it is its
owner until `lease`, renewed while it lives. Another process on the same file — a second instance, or
the next start after a crash — takes only work whose lease has run out, so live work is never answered
twice. The ack path writes through a connection of its own that waits at most ACK_WAIT for SQLite's
lock: a lock held elsewhere (an admin's sqlite3 shell, a VACUUM) raises StateBusy at once instead of
holding up Slack's 3-second ack.
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
# Columns added to `events` since the first version, created in place on an older file.
WORK_COLUMNS = {"owner": "text", "lease": "real", "attempts": "integer not null default 0"}
EVENT_TTL = 7 * 24 * 3600  # Slack retries for minutes; a week of answered ids is plenty and stays small
BUSY_WAIT = 5.0  # seconds an answer thread waits for another writer's lock
ACK_WAIT = 0.05  # seconds the ack path waits for it: the ack must not wait on a lock held elsewhere
BUSY_BACKOFF = 1.0  # once the lock was found held, the ack path skips SQLite this long (no 50 ms each)


class StateUnavailable(PlanbotError):
    """The state file cannot be opened or written; the message names the file and what to do."""


class StateBusy(StateUnavailable):
    """Another connection holds the state file's write lock longer than the ack may wait."""


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
        self._quick_lock = threading.Lock()
        self._busy_until = 0.0  # time.monotonic() before which the ack path does not try SQLite
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = self._connect(BUSY_WAIT)
            self.conn.execute("pragma journal_mode = wal")
            if self.conn.execute("pragma quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            self.conn.executescript(SCHEMA)
            have = {row[1] for row in self.conn.execute("pragma table_info(events)")}
            for name, kind in WORK_COLUMNS.items():
                if name not in have:
                    self.conn.execute(f"alter table events add column {name} {kind}")
            self._probe_write()
            self.quick = self._connect(ACK_WAIT)
        except sqlite3.OperationalError as e:  # read-only, no space, a folder it cannot create files in
            raise StateUnavailable(
                f"{self.path}: 状態ファイルに書き込めません ({e})。所有者・権限・空き容量を確認するか、"
                "PLANBOT_STATE で書き込める場所を指定してください (未回答の質問はこのファイルにあります)"
            ) from None
        except sqlite3.DatabaseError as e:  # not SQLite, or damaged
            raise StateUnavailable(_advice(self.path, e)) from None
        except OSError as e:
            raise StateUnavailable(
                f"{self.path}: 状態ファイルを作れません ({e.strerror or e})。"
                "PLANBOT_STATE で書き込める場所を指定してください"
            ) from None

    def _probe_write(self) -> None:
        """Write once at start, so a file that can be read but not written fails here (its unanswered work
        untouched) instead of at the first answer. A lock held elsewhere is not a fault: work waits for it."""
        try:
            self.conn.execute("create table if not exists opened (id integer primary key, at real)")
            self.conn.execute("insert or replace into opened (id, at) values (1, ?)", (self.clock(),))
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise

    def _connect(self, wait: float) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=wait, isolation_level=None)
        conn.execute(f"pragma busy_timeout = {int(wait * 1000)}")
        return conn

    # -- conversation context ----------------------------------------------------------------------
    def get(self, key: str) -> dict | None:
        """The value stored under key, or None when there is none or it has expired."""
        row = self._one("select value from context where key = ? and expires > ?", (key, self.clock()))
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: dict, ttl: float) -> None:
        """Store a JSON-able value under key for ttl seconds (replacing what was there)."""
        data = _json(value)
        self._write(
            "insert into context (key, value, expires) values (?, ?, ?) "
            "on conflict (key) do update set value = excluded.value, expires = excluded.expires",
            (key, data, self.clock() + ttl),
        )

    # -- Slack events and work -----------------------------------------------------------------------
    def claim(self, event_id: str, payload: dict | None = None, owner: str | None = None, lease: float = 0.0,
              quick: bool = False) -> bool:  # fmt: skip
        """True for the first claim of an id (this process answers it); False for a repeat.

        Work (with a payload) is held by `owner` until `lease`; quick=True is the ack path: StateBusy
        after ACK_WAIT instead of waiting for another writer.
        """
        now = self.clock()
        data = _json(payload) if payload is not None else None
        sql = ("insert into events (id, state, payload, claimed, expires, owner, lease) "
               "values (?, 'claimed', ?, ?, ?, ?, ?) on conflict (id) do nothing")  # fmt: skip
        cur = self._run(sql, (event_id, data, now, now + EVENT_TTL, owner, lease), quick)
        return cur.rowcount == 1

    def mark(self, key: str, ttl: float = EVENT_TTL, quick: bool = False) -> bool:
        """True the first time a key is marked within ttl seconds (de-duplication); one write."""
        now = self.clock()
        cur = self._run(
            "insert into events (id, state, claimed, expires) values (?, 'answered', ?, ?) "
            "on conflict (id) do update set claimed = excluded.claimed, expires = excluded.expires "
            "where events.expires <= ? and events.state = 'answered' returning id",
            (key, now, now + ttl, now),
            quick,
            rows=True,
        )
        return bool(cur)

    def attempt(self, work_id: str, record: dict, owner: str, lease: float) -> bool:
        """Take (or keep) the lease on a piece of work before trying it, saving its progress; False when it
        is answered already or another live process holds it (then this process must not answer it)."""
        now = self.clock()
        data = _json(record)
        rows = self._run(
            "insert into events (id, state, payload, claimed, expires, owner, lease, attempts) "
            "values (?, 'claimed', ?, ?, ?, ?, ?, 1) "
            "on conflict (id) do update set payload = excluded.payload, owner = excluded.owner, "
            "lease = excluded.lease, attempts = events.attempts + 1 "
            "where events.state = 'claimed' and (events.owner = excluded.owner or events.owner is null "
            "or events.lease < ?) returning id",
            (work_id, data, now, now + EVENT_TTL, owner, lease, now),
            rows=True,
        )
        return bool(rows)

    def take(self, owner: str, lease: float, skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, dict]]:
        """Work no live process holds (never leased, released, or its owner's lease ran out), now this owner's."""
        now = self.clock()
        with self._lock:
            try:
                rows = self.conn.execute(
                    "select id, payload from events where state = 'claimed' and payload is not null "
                    "and (owner is null or lease < ? or owner = ?) order by claimed",
                    (now, owner),
                ).fetchall()
                taken = []
                for work_id, payload in rows:
                    if work_id in skip:
                        continue
                    cur = self.conn.execute(
                        "update events set owner = ?, lease = ? where id = ? and state = 'claimed' "
                        "and (owner is null or lease < ? or owner = ?)",
                        (owner, lease, work_id, now, owner),
                    )
                    if cur.rowcount == 1:
                        taken.append((work_id, json.loads(payload)))
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルを読めません ({e})") from None
        return taken

    def renew(self, owner: str, lease: float) -> None:
        """Extend the lease on all of this owner's unanswered work (the owner is alive)."""
        self._write("update events set lease = ? where owner = ? and state = 'claimed'", (lease, owner))

    def release(self, owner: str, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Give up this owner's unanswered work, so the next start (or another instance) takes it at once;
        work in `keep` (a call to Slack still under way) keeps its lease until it runs out."""
        marks = ",".join("?" * len(keep))
        self._write(f"update events set owner = null, lease = 0 where owner = ? and state = 'claimed' "
                    f"and id not in ({marks})", (owner, *keep))  # fmt: skip

    def finish(self, event_id: str) -> None:
        """Mark a claimed event answered: its payload is dropped (no user text kept once answered)."""
        self._write("update events set state = 'answered', payload = null, owner = null where id = ?", (event_id,))

    def unfinished(self) -> list[tuple[str, dict]]:
        """Claimed events not yet answered, oldest first, with their payloads (whoever holds them)."""
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
        """Delete expired records, and logged questions older than keep_questions seconds; how many went.

        Unanswered work is never deleted here, whatever the clock says: it leaves by being answered, or
        by its asker being told (bot/work.py).
        """
        now = self.clock()
        with self._lock:
            n = self.conn.execute("delete from context where expires <= ?", (now,)).rowcount
            n += self.conn.execute("delete from events where expires <= ? and state != 'claimed'", (now,)).rowcount
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
        with self._lock, self._quick_lock:
            self.conn.close()
            self.quick.close()

    def _run(self, sql: str, args: tuple, quick: bool = False, rows: bool = False):
        """One write, on the ack path's connection when quick (StateBusy rather than a wait)."""
        conn, lock = (self.quick, self._quick_lock) if quick else (self.conn, self._lock)
        with lock:
            if quick and time.monotonic() < self._busy_until:  # checked once the ack's turn has come
                raise StateBusy(f"{self.path}: 状態ファイルが他のプロセスにロックされています")
            try:
                cur = conn.execute(sql, args)
                return cur.fetchall() if rows else cur
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    if quick:  # acks arriving meanwhile go straight to the fallback
                        self._busy_until = time.monotonic() + BUSY_BACKOFF
                    raise StateBusy(f"{self.path}: 状態ファイルが他のプロセスにロックされています ({e})") from None
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None
            except sqlite3.Error as e:
                raise StateUnavailable(f"{self.path}: 状態ファイルに書けません ({e})") from None

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


def _json(value) -> str:
    """JSON as stored: readable UTF-8, or escaped when the text holds a lone surrogate (which SQLite cannot
    store as UTF-8; Socket Mode has no gate in front to refuse it)."""
    data = json.dumps(value, ensure_ascii=False)
    try:
        data.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return data


def _advice(path: Path, error: Exception) -> str:
    """What to say about a file SQLite cannot read: keep it (it may hold unanswered questions)."""
    return (
        f"{path}: 状態ファイルが壊れているか、状態ファイルではありません ({error})。"
        f"ファイルを別名で保存して調べるか、PLANBOT_STATE で別の場所を指定してください"
    )
