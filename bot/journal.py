"""Work acknowledged while the state file was locked by another process, kept in a plain file until the
state store takes it (bot/work.py). One file per process beside the state file, locked (flock) while its
process lives: a file nobody holds is a dead process's, and the next start moves its work into the store.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock, so a journal is never taken for a dead process's; its own still works
    fcntl = None

log = logging.getLogger("planbot")


class Journal:
    """An append-only file of (work id, record) lines, each written and synced before the ack."""

    def __init__(self, state_path: Path):
        self.state_path = Path(state_path)
        self.path = self.state_path.with_name(f"{self.state_path.name}.journal-{os.getpid()}")
        self._file = None
        self._lock = threading.Lock()

    def append(self, work_id: str, record: dict) -> None:
        """Write one piece of work durably (OSError when the disk refuses)."""
        line = json.dumps({"id": work_id, "record": record}, ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open while we live)
                if fcntl is not None:
                    fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())

    def entries(self) -> list[tuple[str, dict]]:
        """What this process has written and the store has not taken yet."""
        with self._lock:
            if self._file is None:
                return []
            self._file.seek(0)
            return list(_read(self._file.read()))

    def clear(self) -> None:
        """The store holds everything written: start the file afresh."""
        with self._lock:
            if self._file is not None:
                self._file.truncate(0)

    def close(self) -> None:
        """Release the file; removed when empty."""
        with self._lock:
            if self._file is None:
                return
            empty = self._file.tell() == 0 or os.path.getsize(self.path) == 0
            self._file.close()
            self._file = None
            if empty:
                Path(self.path).unlink(missing_ok=True)

    def orphans(self) -> Iterator[tuple[str, dict]]:
        """Work in the journals of processes that are gone; each file is removed once read."""
        if fcntl is None:
            return
        for path in sorted(self.state_path.parent.glob(f"{self.state_path.name}.journal-*")):
            if path == self.path:
                continue
            try:
                with open(path, "r+", encoding="utf-8") as f:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: its process is alive
                    entries = list(_read(f.read()))
            except (BlockingIOError, OSError):
                continue
            yield from entries
            path.unlink(missing_ok=True)


def _read(text: str) -> Iterator[tuple[str, dict]]:
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            yield entry["id"], entry["record"]
        except (ValueError, KeyError, TypeError):
            log.error("skipped an unreadable line in the work journal")  # a line cut short by a crash
