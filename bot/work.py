"""Acknowledged work: what Slack was told "got it" for and has not been answered yet.

Answers run here, on a pool of their own, so a slow Web API never holds up the 3-second ack of the
next request. Every piece of work is in the state store from the moment it is accepted (before the
ack) until its answer is posted: a restart finishes what was left, and a retry of something already
accepted — even after a restart — is not answered again (DESIGN.md §9, issue: reliability).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.state import StateStore, StateUnavailable

log = logging.getLogger("planbot")


class WorkQueue:
    """Runs accepted work on its own threads; kinds of work are registered with a function each."""

    def __init__(self, store: StateStore | None, workers: int = 16, on_error: Callable[[dict], None] | None = None):
        self.store = store
        self.kinds: dict[str, Callable[[dict], None]] = {}
        self.on_error = on_error or (lambda payload: None)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="planbot-answer")
        self._seen: set[str] = set()  # without a store: at least once per process
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._running = 0
        self.closing = False

    def register(self, kind: str, run: Callable[[dict], None]) -> None:
        """How to do one kind of work: run(payload) answers and posts."""
        self.kinds[kind] = run

    def accept(self, work_id: str, kind: str, payload: dict) -> bool:
        """Record the work and start it; False (nothing started) when it was accepted before."""
        if kind not in self.kinds:
            raise KeyError(kind)
        record = {"kind": kind, "payload": payload}
        if not self._claim(work_id, record):
            return False
        self._start(work_id, record)
        return True

    def resume(self) -> int:
        """Start again every piece of work accepted and not answered (after a restart)."""
        if self.store is None:
            return 0
        try:
            left = self.store.unfinished()
        except StateUnavailable as e:
            log.error("cannot resume unanswered work: %s", e)
            return 0
        for work_id, record in left:
            if record.get("kind") in self.kinds:
                self._start(work_id, record)
        if left:
            log.info("resuming %d acknowledged, unanswered request(s) from before the restart", len(left))
        return len(left)

    def drain(self, timeout: float) -> int:
        """Stop accepting and wait up to timeout seconds for work under way; returns how much is left.

        What is left stays recorded, so the next start finishes it.
        """
        with self._idle:
            self.closing = True
            self._idle.wait_for(lambda: self._running == 0, timeout=timeout)
            left = self._running
        self._pool.shutdown(wait=False, cancel_futures=True)
        return left

    @property
    def running(self) -> int:
        """Work started and not finished."""
        with self._lock:
            return self._running

    def _claim(self, work_id: str, record: dict) -> bool:
        if self.store is not None:
            try:
                return self.store.claim(work_id, record)
            except StateUnavailable as e:
                log.error("work not recorded, answering anyway: %s", e)
        with self._lock:
            if work_id in self._seen:
                return False
            self._seen.add(work_id)
            return True

    def _start(self, work_id: str, record: dict) -> None:
        with self._lock:
            self._running += 1
        try:
            self._pool.submit(self._run, work_id, record)
        except RuntimeError:  # shut down while draining: left recorded for the next start
            self._done()

    def _run(self, work_id: str, record: dict) -> None:
        try:
            self.kinds[record["kind"]](record["payload"])
        except Exception:
            log.exception("answering %s failed", work_id)
            try:
                self.on_error(record["payload"])
            except Exception:
                log.exception("could not tell the user about the failure of %s", work_id)
        finally:
            self._finish(work_id)
            self._done()

    def _finish(self, work_id: str) -> None:
        if self.store is None:
            return
        try:
            self.store.finish(work_id)
        except StateUnavailable as e:
            log.error("answered %s but could not record it: %s", work_id, e)

    def _done(self) -> None:
        with self._idle:
            self._running -= 1
            self._idle.notify_all()
