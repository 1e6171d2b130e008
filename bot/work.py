"""Acknowledged work: what Slack was told "got it" for and has not been answered yet.

Answers run here, on threads of their own, so a slow Web API never holds up the 3-second ack of the
next request. Every piece of work is recorded before the ack (in the state store, or in this process's
journal when another process holds the store's lock) and stays recorded until its answer is posted:

- a failure Slack may recover from (5xx, 429, a reset or a timeout) is tried again later, with backoff,
  on a free thread (no thread sleeps through a Retry-After); past `Retry.expire` the asker is told
  instead, tried the same way for as long again;
- a failure that will not recover (a bug, a channel that is gone) tells the asker at once;
- each attempt first takes the work's lease in the store (bot/state.py), so work another live process
  holds, or has answered, is never tried here; leases are renewed while this process lives and handed
  back when it stops, so the next start (or another instance) takes what is left;
- an answer that was posted but could not be recorded (a full disk) is recorded again until it is.

(docs/design.md §5; what holds and what does not is in README, "Running it in production".)
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.journal import Journal
from bot.state import EVENT_TTL, StateBusy, StateStore, StateUnavailable

log = logging.getLogger("planbot")


@dataclass(frozen=True)
class Retry:
    """How work is retried: backoff from `first` doubling to `most` seconds, for `expire` seconds after it
    was accepted; leases of `lease` seconds renewed every `tick`."""

    first: float = 1.0
    most: float = 60.0
    expire: float = 15 * 60.0  # then telling, 15 min more: a slash command's response_url lasts 30 min
    lease: float = 60.0
    tick: float = 10.0

    def delay(self, attempts: int, at_least: float = 0.0) -> float:
        """Seconds before the next try, with jitter so that retries after an outage do not arrive together."""
        return max(at_least, min(self.most, self.first * 2 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2))


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    id: str = field(compare=False)
    record: dict = field(compare=False)  # {"kind", "payload", "until", "attempts", "telling"}


def never_transient(error: BaseException) -> float | None:
    """No failure is worth retrying (the default when no Slack classifier is given)."""
    return None


class WorkQueue:
    """Runs accepted work on its own threads; kinds of work are registered with a function each.

    `transient(error)` says whether a failure may pass (seconds to wait at least, else None); `on_error`
    tells the asker (it raises when it cannot, and is then retried like an answer).
    """

    def __init__(self, store: StateStore | None, workers: int = 16, on_error: Callable[[dict], None] | None = None,
                 transient: Callable[[BaseException], float | None] = never_transient, retry: Retry | None = None,
                 clock: Callable[[], float] = time.time, grace: float = 11.0):  # fmt: skip
        self.store = store
        self.kinds: dict[str, Callable[[dict], None]] = {}
        self.on_error = on_error or (lambda payload: None)
        self.transient = transient
        self.retry = retry or Retry()
        self.clock = clock
        # After the drain, how long calls already sent may take to return (the Web API timeout): what they
        # posted is then recorded, instead of being handed back and posted again by the next process.
        self.grace = grace
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}"
        self.journal = Journal(store.path) if store is not None else None
        self._seen: set[str] = set()  # accepted here while the store could not say (no store, or busy)
        self._unrecorded: set[str] = set()  # answered, not yet recorded as answered
        self._held: set[str] = set()  # work this process holds (queued or running)
        self._attempting: set[str] = set()  # work whose Web API calls are under way right now
        self._heap: list[_Job] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()
        # Idle threads sleep until told (no polling): new work wakes one of them, stopping wakes all.
        self._wake = threading.Condition(self._lock)  # work waiting for a thread
        self._task_ready = threading.Condition(self._lock)  # a background task waiting for a thread
        self._idle = threading.Condition(self._lock)  # drain() waits here for work to finish
        self._running = 0
        self._tasks = 0
        self.closing = False
        self._stopped = False
        self._last_upkeep = self.clock()
        self._threads = [threading.Thread(target=self._work, name=f"planbot-answer-{n}", daemon=True)
                         for n in range(workers)]  # fmt: skip
        self._task_threads = [threading.Thread(target=self._work, args=(True,), name=f"planbot-task-{n}",
                                               daemon=True) for n in range(max(2, workers // 2))]  # fmt: skip
        self._task_queue: list[Callable[[], None]] = []
        self.upkeep_also: list[Callable[[], None]] = []  # more periodic upkeep (the store's purge)
        for t in self._threads + self._task_threads:
            t.start()
        # Daemon threads: a Web API call that never returns cannot keep the process past --drain.
        self._ticker = threading.Thread(target=self._tick, name="planbot-upkeep", daemon=True)
        self._ticker.start()

    def register(self, kind: str, run: Callable[[dict], None]) -> None:
        """How to do one kind of work: run(payload) answers and posts, raising when it could not."""
        self.kinds[kind] = run

    # -- the ack path: never waits on the Web API, nor on a lock held elsewhere ----------------------------
    def accept(self, work_id: str, kind: str, payload: dict) -> bool:
        """Record the work and queue it; False (nothing queued) when it was accepted before."""
        if kind not in self.kinds:
            raise KeyError(kind)
        record = {"kind": kind, "payload": payload, "until": self.clock() + self.retry.expire, "attempts": 0}
        if not self._claim(work_id, record):
            return False
        self._queue(work_id, record, self.clock())
        return True

    def seen(self, key: str, ttl: float | None = None) -> bool:
        """True when a key (an event id, a click) was seen before; marks it. For de-duplication on the ack path."""
        if self.store is not None:
            try:
                return not self.store.mark(key, ttl or EVENT_TTL, quick=True)
            except StateUnavailable as e:
                log.warning("de-duplication in memory for now: %s", e)
        with self._lock:
            if key in self._seen:
                return True
            self._seen.add(key)
            return False

    def _claim(self, work_id: str, record: dict) -> bool:
        if self.store is not None:
            try:
                return self.store.claim(work_id, record, self.owner, self.clock() + self.retry.lease, quick=True)
            except StateBusy:
                return self._journal(work_id, record)
            except StateUnavailable as e:
                log.error("work not recorded, answering anyway (not kept across a restart): %s", e)
        with self._lock:
            if work_id in self._seen:
                return False
            self._seen.add(work_id)
            return True

    def _journal(self, work_id: str, record: dict) -> bool:
        """The store is locked elsewhere: keep the work in this process's journal until it is free."""
        with self._lock:
            if work_id in self._seen or work_id in self._held:
                return False
            self._seen.add(work_id)
        try:
            self.journal.append(work_id, record)
        except OSError as e:
            log.error("work not recorded, answering anyway (not kept across a restart): %s", e)
        return True

    # -- background tasks (buttons, App Home): not durable, but never on the threads that ack ----------
    def background(self, task: Callable[[], None]) -> None:
        """Run a task on the task threads (a listener's work after its ack); failures are the task's own."""
        with self._lock:
            self._tasks += 1
            self._task_queue.append(task)
            self._task_ready.notify()

    # -- after a restart, and for work another process left ----------------------------------------------
    def resume(self) -> int:
        """Queue every piece of work accepted and not answered that no live process holds."""
        if self.store is None:
            return 0
        try:
            for work_id, record in self.journal.orphans():
                self.store.claim(work_id, record)
            with self._lock:
                skip = self._held | self._unrecorded
            taken = self.store.take(self.owner, self.clock() + self.retry.lease, skip)
        except StateUnavailable as e:
            log.error("cannot resume unanswered work now (tried again in %.0f s): %s", self.retry.tick, e)
            return 0
        for work_id, record in taken:
            if record.get("kind") in self.kinds:
                self._queue(work_id, record, self.clock())
        if taken:
            log.info("resuming %d acknowledged, unanswered request(s) no running process holds", len(taken))
        return len(taken)

    def upkeep(self) -> None:
        """Periodic: renew leases, record answers not yet recorded, move the journal into the store, take
        work whose owner died, and the extra upkeep (purge)."""
        if self.store is None:
            return
        try:
            self.store.renew(self.owner, self.clock() + self.retry.lease)
            for work_id in list(self._unrecorded):
                self.store.finish(work_id)
                with self._lock:
                    self._unrecorded.discard(work_id)
            written = self.journal.entries()
            for work_id, record in written:
                self.store.claim(work_id, record, self.owner, self.clock() + self.retry.lease)
            if written:
                self.journal.clear()
        except StateUnavailable as e:
            log.warning("state store upkeep postponed: %s", e)
            return
        if not self.closing:
            self.resume()
        for also in self.upkeep_also:
            try:
                also()
            except StateUnavailable as e:
                log.warning("state store upkeep postponed: %s", e)

    # -- stopping --------------------------------------------------------------------------------------------
    def drain(self, timeout: float) -> int:
        """Stop accepting and wait up to timeout seconds for work under way; returns how much is left.

        No attempt starts after that; attempts already calling Slack get up to `grace` seconds more to
        return, so what they posted is recorded. What is left stays recorded and is handed back, so the
        next start (or another instance) finishes it; work still in a call past the grace keeps its
        lease, and is taken up when the lease runs out.
        """
        with self._lock:
            self.closing = True
            self._idle.wait_for(lambda: self._running == 0 and self._tasks == 0, timeout=timeout)
            self._stopped = True
            self._wake.notify_all()
            self._task_ready.notify_all()
            self._idle.wait_for(lambda: not self._attempting, timeout=self.grace)
            left, calling = self._running, set(self._attempting)
        if self.store is not None:
            try:
                for work_id in list(self._unrecorded):
                    self.store.finish(work_id)
                    self._unrecorded.discard(work_id)
                for work_id, record in self.journal.entries():
                    self.store.claim(work_id, record)
                self.journal.clear()
                self.store.release(self.owner, keep=calling)
            except StateUnavailable as e:
                log.error("could not hand back unanswered work (%s): it is taken up again %.0f s after its lease "
                          "ran out", e, self.retry.lease)  # fmt: skip
            self.journal.close()
        if self._unrecorded:
            log.error("%d answer(s) posted but not recorded: they may be posted again at the next start",
                      len(self._unrecorded))  # fmt: skip
        return left

    @property
    def running(self) -> int:
        """Work accepted and not yet answered or given up (waiting for a retry included), and tasks."""
        with self._lock:
            return self._running + self._tasks

    # -- the threads ----------------------------------------------------------------------------------------
    def _queue(self, work_id: str, record: dict, due: float) -> None:
        with self._wake:
            if work_id in self._held:
                return
            self._held.add(work_id)
            self._running += 1
            heapq.heappush(self._heap, _Job(due, next(self._seq), work_id, record))
            self._wake.notify()

    def _next(self, tasks: bool):
        with self._lock:
            while not self._stopped:
                if tasks and self._task_queue:
                    return self._task_queue.pop(0)
                if tasks:
                    self._task_ready.wait()
                elif self._heap and self._heap[0].due <= self.clock():
                    job = heapq.heappop(self._heap)
                    self._attempting.add(job.id)  # from here until recorded, never handed back by a drain
                    if self._heap:
                        self._wake.notify()  # more is due: another thread may take it
                    return job
                else:
                    self._wake.wait(max(0.001, self._heap[0].due - self.clock()) if self._heap else None)
            return None

    def _work(self, tasks: bool = False) -> None:
        while (item := self._next(tasks)) is not None:
            if tasks:
                try:
                    item()
                except Exception:
                    log.exception("a background task failed")
                finally:
                    with self._lock:
                        self._tasks -= 1
                        self._idle.notify_all()
            else:
                self._attempt(item)

    def _tick(self) -> None:
        while not self._stopped:
            time.sleep(self.retry.tick)
            if self.clock() - self._last_upkeep >= self.retry.tick and not self._stopped:
                self._last_upkeep = self.clock()
                try:
                    self.upkeep()
                except Exception:
                    log.exception("state store upkeep failed")

    def _attempt(self, job: _Job) -> None:
        """One try of a job taken off the heap; it counts as under way (not handed back) until recorded."""
        try:
            self._try(job)
        finally:
            self._attempted(job.id)

    def _try(self, job: _Job) -> None:
        record = job.record
        if self._stopped:  # taken off the heap as the drain ended: left recorded for whoever comes next
            return self._later(job, 0.0)
        record["attempts"] = record.get("attempts", 0) + 1
        if self.store is not None:
            try:
                if not self.store.attempt(job.id, record, self.owner, self.clock() + self.retry.lease):
                    log.info("%s is answered or held by another process: not answered here", job.id)
                    return self._done(job.id)
            except StateUnavailable as e:
                # Nothing is posted that could not then be recorded: tried again when the store is back.
                log.warning("%s waits for the state store: %s", job.id, e)
                return self._later(job, self.retry.delay(record["attempts"]))
        telling = record.get("telling", False)
        try:
            (self.on_error if telling else self.kinds[record["kind"]])(record["payload"])
        except Exception as e:
            wait = self.transient(e)
            if wait is not None and self.clock() < record.get("until", 0):
                log.warning("%s: %s failed (%s); trying again", job.id, "telling" if telling else "answering", e)
                return self._later(job, self.retry.delay(record["attempts"], wait))
            if telling:
                log.error("%s: could not tell the asker after %d tries; giving up (%s)", job.id,
                          record["attempts"], e)  # fmt: skip
            else:
                if wait is None:
                    log.exception("answering %s failed", job.id)
                else:
                    log.error("%s: not answered after %d tries; telling the asker", job.id, record["attempts"])
                # Telling is work too: tried with the same backoff, for as long again.
                record.update(telling=True, attempts=0, until=self.clock() + self.retry.expire)
                return self._later(job, 0.0)
        self._finish(job.id)
        self._done(job.id)

    def _attempted(self, work_id: str) -> None:
        with self._lock:
            self._attempting.discard(work_id)
            self._idle.notify_all()

    def _later(self, job: _Job, delay: float) -> None:
        with self._lock:
            if self._stopped:  # draining is over: left recorded for the next start
                self._held.discard(job.id)
                self._running -= 1
                self._idle.notify_all()
                return
            job.due = self.clock() + delay
            heapq.heappush(self._heap, job)
            self._wake.notify()

    def _finish(self, work_id: str) -> None:
        if self.store is None:
            return
        try:
            self.store.finish(work_id)
        except StateUnavailable as e:
            log.error("answered %s but could not record it yet (recorded later): %s", work_id, e)
            with self._lock:
                self._unrecorded.add(work_id)

    def _done(self, work_id: str) -> None:
        with self._lock:
            self._held.discard(work_id)
            self._running -= 1
            self._idle.notify_all()
