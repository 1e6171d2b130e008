"""Shared fixtures: the bundled report, its index, and a next-year variant made by editing a copy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge.index import build_index, connect, load_report
from knowledge.report import BUNDLED_REPORT, read_report


def next_year_text() -> str:
    """The bundled report as next year's would look: 令和8年度 actuals filled in, grades and as-of changed.

    Made by editing cells by their labels, the way the city would, not by line number.
    """
    out = []
    r8_actuals = iter(["1,380,000", "79%", "9,600", "48,000", "75", "1,520"])
    for line in BUNDLED_REPORT.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 6 and cells[2] == "実績" and cells[3] not in ("-", ""):
            # key sheet actual row: R5, R6, R7 filled, R8 empty → fill R8
            cells[6] = next(r8_actuals)
        elif len(cells) > 9 and cells[0].startswith(("1-", "2-", "3-", "4-")) and cells[9] == "" and cells[7]:
            cells[9] = f"{cells[8]}(令和8年度も継続)"
        line = "\t".join(cells)
        line = line.replace("令和7年度末", "令和8年度末").replace("実績の評価(令和7年度)", "実績の評価(令和8年度)")
        line = line.replace("令和7年度の評価 と事業の課題", "令和8年度の評価 と事業の課題")
        if line.startswith("3-(1)-①\t48\t○"):
            line = line.replace("\ta\t", "\tb\t")
        if line.startswith("事業数\t2\t1\t0"):
            line = "事業数\t1\t2\t0\t\t3"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="session", autouse=True)
def private_state_and_index(tmp_path_factory):
    """Nothing a test does reaches the user's own state file or index."""
    home = tmp_path_factory.mktemp("home")
    saved = {k: os.environ.get(k) for k in ("PLANBOT_STATE", "PLANBOT_DB", "XDG_STATE_HOME")}
    os.environ.update(PLANBOT_STATE=str(home / "state.db"), XDG_STATE_HOME=str(home / "xdg-state"))
    os.environ.pop("PLANBOT_DB", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def report():
    return read_report(BUNDLED_REPORT)


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    path, _ = build_index(None, tmp_path_factory.mktemp("index") / "planbot.db")
    return path


@pytest.fixture(scope="session")
def indexed(db_path):
    conn = connect(db_path)
    yield load_report(conn)
    conn.close()


@pytest.fixture(scope="session")
def next_year_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("r8") / "minato-library-plan-progress-r8.txt"
    path.write_text(next_year_text(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def kb(db_path):
    from knowledge.answer import KnowledgeBase

    return KnowledgeBase(connect(db_path))


@pytest.fixture(scope="session")
def kb_next(next_year_file, tmp_path_factory):
    """The knowledge base over next year's report (令和8年度 actuals filled in)."""
    from knowledge.answer import KnowledgeBase

    path, _ = build_index([next_year_file], tmp_path_factory.mktemp("index-r8") / "planbot.db")
    return KnowledgeBase(connect(path))


@pytest.fixture
def stub():
    """The recording Web API stand-in on 127.0.0.1 (tests/slack_stub.py)."""
    from slack_stub import SlackStub

    s = SlackStub()
    yield s
    s.close()
