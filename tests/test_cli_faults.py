"""The command line under odd input: questions that once crashed answer, and what it writes is safe to open."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest


@pytest.fixture
def planbot(db_path, tmp_path):
    env = {"PLANBOT_DB": str(db_path), "PLANBOT_STATE": str(tmp_path / "state.db"), "HOME": str(tmp_path)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, encoding="utf-8")  # fmt: skip

    return run


@pytest.mark.parametrize(
    "question",
    [
        "令和5年度に一番増えた指標は？",  # the plan's first data year: no change to rank
        "一昨年に一番下がった指標は？",
        "2年前に一番増えた指標は？",
    ],
)
def test_a_ranking_of_changes_in_a_year_without_changes_answers_without_a_crash(planbot, question):
    out = planbot("ask", "--json", question)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["answer"] and "Traceback" not in out.stderr


def test_questions_as_csv_never_start_a_cell_with_a_formula(planbot, tmp_path, kb):
    from bot.feedback import QuestionLog
    from bot.state import StateStore

    log = QuestionLog(StateStore(tmp_path / "state.db"))
    for question in ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "電子書籍の進捗は？"):
        log.record("slash", kb.answer(question))
    out = planbot("questions", "--format", "csv")
    assert out.returncode == 0, out.stderr
    cells = [row[0] for row in csv.reader(io.StringIO(out.stdout))][1:]
    assert sorted(cells) == sorted(
        ['\'=HYPERLINK("http://x","y")', "'+1+1", "'-2+3", "'@SUM(A1)", "電子書籍の進捗は？"]
    )


@pytest.mark.parametrize(("value", "safe"), [("=1+1", "'=1+1"), ("\t=1", "'\t=1"), ("電子", "電子"), (3, 3), ("", "")])
def test_a_cell_is_made_safe_for_a_spreadsheet(value, safe):
    from bot.feedback import spreadsheet_safe

    assert spreadsheet_safe(value) == safe
