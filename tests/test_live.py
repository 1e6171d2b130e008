"""The server follows the index file: a rebuilt or replaced index is used from the next question on;
a file broken in place is logged and the index in use keeps answering."""

from __future__ import annotations

import logging

from knowledge.index import build_index
from knowledge.live import CHECK_EVERY, LiveKnowledge


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_rebuilt_index_is_used_from_the_next_question_on(tmp_path, next_year_file, caplog):
    db = tmp_path / "planbot.db"
    build_index(None, db)
    clock = Clock()
    with caplog.at_level(logging.INFO, logger="planbot"):
        live = LiveKnowledge(db, clock=clock)
        assert "令和7年度末時点" in caplog.text  # the log says which report it serves
        assert live.answer("電子書籍貸出数").direct.startswith("令和7年度の電子書籍貸出数は46,843件")
        build_index([next_year_file], db)  # `planbot index r8.txt` while the server runs
        clock.now += CHECK_EVERY
        assert live.answer("電子書籍貸出数").direct.startswith("令和8年度の電子書籍貸出数は48,000件")
        assert "switched to" in caplog.text and "令和8年度末時点" in caplog.text


def test_an_index_truncated_in_place_does_not_break_answers(tmp_path, caplog):
    db = tmp_path / "planbot.db"
    build_index(None, db)
    clock = Clock()
    live = LiveKnowledge(db, clock=clock)
    with open(db, "r+b") as f:
        f.truncate(4096)
    clock.now += CHECK_EVERY
    with caplog.at_level(logging.ERROR, logger="planbot"):
        assert live.answer("ブックポストは区内に何か所ある？").direct.startswith("22か所です")
    assert "not usable" in caplog.text
