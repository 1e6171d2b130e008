"""The knowledge base the server answers from, following the index file: when `planbot index`
rebuilds or replaces it, the next question is answered from the new one, with no restart.

The index is copied into memory when loaded, so a file truncated or rewritten in place cannot break
answers under way. Every index is checked before it is used (knowledge/integrity.py): a bad one at
start is refused with one line, and a bad new file is logged in one line while the one in use is kept.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from knowledge.answer import KnowledgeBase
from knowledge.errors import IndexUnavailable
from knowledge.index import connect_in_memory, ensure_index
from knowledge.integrity import load_checked

log = logging.getLogger("planbot")
CHECK_EVERY = 1.0  # seconds between looks at the file (a stat: microseconds)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class LiveKnowledge:
    """Behaves as the KnowledgeBase of the index at db_path, switching to a new file between questions."""

    def __init__(self, db_path: Path, clock=time.monotonic):
        self.path = ensure_index(db_path)
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp = _stamp(self.path)
        self._kb = _load(self.path)
        self._checked = clock()
        self._say("serving")

    def current(self) -> KnowledgeBase:
        """The knowledge base to answer this question from."""
        now = self._clock()
        if now - self._checked >= CHECK_EVERY:
            with self._lock:
                if now - self._checked >= CHECK_EVERY:
                    self._checked = now
                    self._refresh()
        return self._kb

    def __getattr__(self, name: str):
        return getattr(self.current(), name)

    def _refresh(self) -> None:
        stamp = _stamp(self.path)
        if stamp is None or stamp == self._stamp:
            return
        try:
            kb = _load(self.path)
        except IndexUnavailable as e:
            log.error("%s changed but is not usable (%s): still serving %s", self.path, e, self._kb.report.as_of)
            self._stamp = stamp  # do not try the same broken file again every second
            return
        self._kb, self._stamp = kb, stamp
        self._say("switched to")

    def _say(self, what: str) -> None:
        """Which report is served, from where."""
        r = self._kb.report
        log.info("%s %s (%s時点, %d事業) from %s", what, r.source_name, r.as_of, len(r.projects), self.path)


def _load(path: Path) -> KnowledgeBase:
    """The checked knowledge base of the index at path; IndexUnavailable (one line, naming the file)."""
    try:
        return load_checked(connect_in_memory(path))
    except IndexUnavailable as e:
        message = str(e)
        raise IndexUnavailable(message if message.startswith(str(path)) else f"{path}: {message}") from None
    except sqlite3.Error as e:
        raise IndexUnavailable(f"{path}: 索引として読めません ({e})") from None
