"""Accuracy and speed of answering, beside two naive peers, on the development and staff question sets;
and direct-answer accuracy beside an earlier version of planbot (its "today's behaviour").

Prints Markdown tables (paste them into README.md). Not a test: it measures and reports.

    .venv/bin/python benchmarks/bench_answer.py [--rounds 20] [--baseline REV]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cards import render  # noqa: E402
from bot.feedback import QuestionLog  # noqa: E402
from bot.state import StateStore  # noqa: E402
from knowledge.answer import KnowledgeBase  # noqa: E402
from knowledge.index import build_index, connect  # noqa: E402
from knowledge.questions import expand_synonyms  # noqa: E402
from knowledge.text import normalize  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "development": SHARED / "dev_questions.jsonl",
    "staff": ROOT / "benchmarks" / "staff_questions.jsonl",
}
# Direct answers: does the reply open with the fact asked, say what the report lacks, cover two topics.
ANSWER_SETS = {
    "development answers": SHARED / "dev_answers.jsonl",
    "staff answers": ROOT / "benchmarks" / "staff_answers.jsonl",
    "outside tryout": SHARED / "dev_tryout.jsonl",
}
THREAD_SETS = {
    "development conversations": SHARED / "dev_threads.jsonl",
    "staff conversations": ROOT / "benchmarks" / "staff_threads.jsonl",
}
BASELINE = "189d295"  # the last version before questions were read by words


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def passes(case: dict, projects: list[str]) -> bool:
    first = projects[0] if projects else None
    ok = True
    if "top" in case:
        ok &= first == case["top"]
    if "top_any" in case:
        ok &= first in case["top_any"]
    if "set" in case:
        ok &= set(projects) == set(case["set"])
    if case.get("none"):
        ok &= not projects
    return ok


class WRatioPeer:
    """rapidfuzz WRatio of the whole question against the 43 names; a score below 60 is 'not found'."""

    def __init__(self, kb: KnowledgeBase):
        self.names = {p.id: p.name for p in kb.report.projects}

    def __call__(self, q: str) -> list[str]:
        hit = process.extractOne(q, self.names, scorer=fuzz.WRatio, processor=normalize, score_cutoff=60)
        return [hit[2]] if hit else []


class TrigramPeer:
    """FTS5 trigram over each project's name and all its text, the question as one phrase, bm25 order."""

    def __init__(self, kb: KnowledgeBase):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("create virtual table t using fts5(id unindexed, body, tokenize='trigram')")
        for p in kb.report.projects:
            body = " ".join([p.name, *p.aliases, *(i.name for i in p.indicators), *(e.text for e in p.entries)])
            self.db.execute("insert into t values (?, ?)", (p.id, body))

    def __call__(self, q: str) -> list[str]:
        phrase = '"' + q.replace('"', " ") + '"'
        try:
            rows = self.db.execute("select id from t where t match ? order by bm25(t) limit 5", (phrase,)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]


def timed(fn, questions, rounds):
    for q in questions:  # a warm process: templates compiled, the dictionary loaded, before timing
        fn(q)
    samples = []
    for _ in range(rounds):
        for q in questions:
            expand_synonyms.cache_clear()  # every question as if asked for the first time
            t = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def questions_of_all_sets() -> list[str]:
    sets = [*SETS.values(), *ANSWER_SETS.values()]
    return [c["q"] for path in sets if path.exists() for c in load(path) if "q" in c]


def log_overhead(kb: KnowledgeBase, questions: list[str], tmp: Path) -> None:
    """What logging a question (and its answer) to the state store adds to each answer."""
    log = QuestionLog(StateStore(tmp / "log.db"))
    answers = [kb.answer(q) for q in questions]
    samples = []
    for _ in range(5):
        for a in answers:
            t = time.perf_counter()
            log.record("mention", a)
            samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    print(
        f"\nquestion log: {len(samples)} answers logged, record() p50 {statistics.median(samples):.3f} ms, "
        f"p99 {samples[int(len(samples) * 0.99) - 1]:.3f} ms (target < 1 ms)"
    )


def answer_accuracy(baseline: str, tmp: Path) -> None:
    """Direct-answer accuracy (opening, projects and absence checks) of this version and of the baseline."""
    score_py = SHARED / "score.py"
    if not score_py.exists():
        print(f"\n(direct answers not scored: {score_py} not found)")
        return
    spec = importlib.util.spec_from_file_location("score", score_py)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    systems = {"planbot": [sys.executable, "-m", "bot.cli"]}
    old = tmp / "baseline"
    made = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), baseline], capture_output=True
    )
    if made.returncode == 0:
        systems[f"planbot {baseline} (before reading by words)"] = [sys.executable, "-m", "bot.cli"]
    print("\n| answer set | n | system | passed |")
    print("|---|---:|---|---:|")
    try:
        for set_name, path in ANSWER_SETS.items():
            if not path.exists():
                continue
            cases = [c for c in load(path) if "turns" not in c]
            for name, cmd in systems.items():
                code = old if name != "planbot" else ROOT
                env = {**os.environ, "PYTHONPATH": str(code), "PLANBOT_DB": str(tmp / f"{abs(hash(name))}.db")}
                batch = tmp / "batch.txt"
                batch.write_text("".join(c["q"] + "\n" for c in cases), encoding="utf-8")
                out = subprocess.run([*cmd, "ask", "--json", "--batch", str(batch)], env=env, cwd=code,
                                     capture_output=True, text=True, check=True).stdout  # fmt: skip
                answers = [json.loads(line) for line in out.splitlines()]
                passed = sum(not score.check(c, a) for c, a in zip(cases, answers))
                print(f"| {set_name} | {len(cases)} | {name} | {passed}/{len(cases)} ({passed / len(cases):.0%}) |")
        for set_name, path in THREAD_SETS.items():  # conversations: only versions that have --thread
            if not path.exists():
                continue
            talks = [c for c in load(path) if "turns" in c]
            env = {**os.environ, "PLANBOT_DB": str(tmp / "talks.db"), "PLANBOT_STATE": str(tmp / "state.db")}
            passed = 0
            for n, case in enumerate(talks):
                batch = tmp / "turns.txt"
                batch.write_text("".join(t["q"] + "\n" for t in case["turns"]), encoding="utf-8")
                cmd = [*systems["planbot"], "ask", "--json", "--batch", str(batch), "--thread", f"bench-{set_name}-{n}"]
                out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
                answers = [json.loads(line) for line in out.splitlines()]
                passed += not any(score.check(t, a) for t, a in zip(case["turns"], answers))
            print(f"| {set_name} | {len(talks)} | planbot | {passed}/{len(talks)} ({passed / len(talks):.0%}) |")
    finally:
        if made.returncode == 0:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], capture_output=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare direct answers with")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "planbot.db"

    t = time.perf_counter()
    build_index(None, db)
    build_s = time.perf_counter() - t

    kb = KnowledgeBase(connect(db))
    planbot = lambda q: kb.answer(q).project_ids  # noqa: E731
    with_card = lambda q: render(kb.answer(q))  # noqa: E731
    peers = {"planbot": planbot, "rapidfuzz WRatio (names)": WRatioPeer(kb), "FTS5 trigram (all text)": TrigramPeer(kb)}

    print(f"index build: {build_s * 1000:.0f} ms\n")
    print("| question set | n | system | accuracy | p50 ms | p99 ms |")
    print("|---|---:|---|---:|---:|---:|")
    for set_name, path in SETS.items():
        if not path.exists():
            print(f"| {set_name} | – | (not found: {path}) | | | |")
            continue
        cases = load(path)
        questions = [c["q"] for c in cases]
        for name, fn in peers.items():
            acc = sum(passes(c, fn(c["q"])) for c in cases) / len(cases)
            p50, p99 = timed(fn, questions, args.rounds)
            print(f"| {set_name} | {len(cases)} | {name} | {acc:.1%} | {p50:.2f} | {p99:.2f} |")
        p50, p99 = timed(with_card, questions, args.rounds)
        print(f"| {set_name} | {len(cases)} | planbot incl. rendering the card | | {p50:.2f} | {p99:.2f} |")

    asked = [c["q"] for path in ANSWER_SETS.values() if path.exists() for c in load(path) if "q" in c]
    p50, p99 = timed(with_card, asked, args.rounds)
    print(f"| answer sets | {len(asked)} | planbot incl. rendering the card | | {p50:.2f} | {p99:.2f} |")
    log_overhead(kb, questions_of_all_sets(), tmp)
    answer_accuracy(args.baseline, tmp)

    env = {**os.environ, "PLANBOT_DB": str(db)}
    exe = Path(sys.executable).with_name("planbot")
    cold = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([str(exe), "ask", "電子書籍の進捗は？"], env=env, capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ncold `planbot ask` (index built): median {statistics.median(cold) * 1000:.0f} ms, "
        f"max {max(cold) * 1000:.0f} ms over {len(cold)} runs"
    )
    # The child reads its own high-water mark: VmHWM restarts at exec, while ru_maxrss would also
    # count this (large) process's pages from the fork.
    probe = subprocess.run(
        [sys.executable, "-c", "import bot.cli, re, sys; bot.cli.main(['ask', '電子書籍の進捗は？']); "
         "print(sorted(m for m in sys.modules if m.startswith(('slack', 'sqlite_utils', 'pykakasi')))); "
         "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024)"],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    modules, peak = probe.stdout.strip().splitlines()[-2:]
    print(f"peak memory: `planbot ask` {peak} MiB; this benchmark process (index build + 3 systems) {me:.0f} MiB")
    print(f"modules `planbot ask` imports from slack/sqlite_utils/pykakasi: {modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
