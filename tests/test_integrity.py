"""An index is checked before it is served (knowledge/integrity.py): a structurally bad file is refused in
one line at start, and while serving the index in use is kept."""

from __future__ import annotations

import logging
import shutil
import sqlite3

import pytest

from knowledge.errors import IndexUnavailable
from knowledge.index import build_index
from knowledge.live import CHECK_EVERY, LiveKnowledge

BREAKAGES = {
    "a NULL text cell in search": "update search set body = null where rowid = 1",
    "notes that are not JSON": "update document set notes = 'not json'",
    "a NULL project name": "update projects set name = null where rowid = 1",
    "no projects at all": "pragma foreign_keys = off; delete from projects",
}


def broken(tmp_path, how: str):
    db, _ = build_index(None, tmp_path / "bad" / "planbot.db")
    conn = sqlite3.connect(db)
    conn.executescript(BREAKAGES[how])
    conn.commit()
    conn.close()
    return db


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("how", BREAKAGES)
def test_a_bad_index_swapped_in_while_serving_is_refused_and_the_good_one_kept(tmp_path, how, caplog):
    db, _ = build_index(None, tmp_path / "planbot.db")
    clock = Clock()
    live = LiveKnowledge(db, clock=clock)
    shutil.copy(broken(tmp_path, how), tmp_path / "new.db")
    (tmp_path / "new.db").replace(db)  # `planbot index` writes beside and renames, as here
    clock.now += CHECK_EVERY
    with caplog.at_level(logging.ERROR, logger="planbot"):
        assert live.answer("ブックポストは区内に何か所ある？").direct.startswith("22か所です")
        assert live.answer("全体のまとめ").direct
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert str(db) in line and "still serving" in line


@pytest.mark.parametrize("how", BREAKAGES)
def test_a_bad_index_at_start_is_refused_in_one_line(tmp_path, how):
    db = broken(tmp_path, how)
    with pytest.raises(IndexUnavailable) as refused:
        LiveKnowledge(db)
    assert str(db) in str(refused.value) and "\n" not in str(refused.value)
