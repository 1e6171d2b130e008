"""The SQLite index holds the report exactly, is built atomically, and is rebuilt only when it should be."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys

import pytest
import sqlite_utils

from knowledge.index import build_index, connect, ensure_index, index_info, load_report


def test_the_index_reads_back_exactly_what_was_parsed(report, indexed):
    assert indexed.projects == report.projects
    assert (indexed.grades, indexed.goals, indexed.policies) == (report.grades, report.goals, report.policies)
    assert (indexed.title, indexed.as_of, indexed.project_count) == (report.title, report.as_of, 43)


def test_tables_have_primary_and_foreign_keys(db_path):
    db = sqlite_utils.Database(db_path)
    assert db["projects"].pks == ["id"]
    assert db["indicator_values"].pks == ["indicator_id", "fy"]
    fks = {(fk.column, fk.other_table) for fk in db["projects"].foreign_keys}
    assert fks == {("goal", "goals"), ("policy_id", "policies"), ("grade", "grades")}
    assert {fk.other_table for fk in db["entries"].foreign_keys} == {"projects", "indicators"}
    assert db.execute("pragma foreign_key_check").fetchall() == []
    doc = db["document"].get(1)
    assert doc["source_name"] == "minato-library-plan-progress-r7.txt" and len(doc["source_sha256"]) == 64


def test_views_answer_the_common_questions(db_path):
    db = sqlite_utils.Database(db_path)
    below = [r["indicator"] for r in db.query("select * from indicators_latest where below_target = 1")]
    assert below == ["蔵書に満足している利用者の割合", "電子書籍所蔵タイトル数", "調べ学習講座開催回数"]
    rows = list(db.query("select * from indicator_progress where indicator = '調べ学習講座開催回数' and fy = 2025"))
    assert (rows[0]["plan"], rows[0]["actual"], rows[0]["achievement"]) == ("72", "68", 94.4)
    assert db.execute("select count(*) from project_overview").fetchone()[0] == 43


def test_search_columns_are_bigrams_for_fts5(db_path):
    db = sqlite_utils.Database(db_path)
    row = db["search"].get("3-(1)-①")
    assert "電子 子書 書籍" in row["name"]
    assert "でん んし しし しょ ょせ せき" in row["reading"]
    sql = "select project_id from search join search_fts f on f.rowid = search.rowid where search_fts match ?"
    hits = [r[0] for r in db.execute(sql, ['"書評"'])]
    assert hits == ["2-(1)-⑤"]


def test_a_failed_rebuild_leaves_the_old_index_answering(tmp_path):
    db = tmp_path / "planbot.db"
    build_index(None, db)
    before = db.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text("これは報告書ではありません\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"bad\.txt"):
        build_index([bad], db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "planbot.db"]  # no temp file left


def test_the_first_use_builds_the_index_from_the_bundled_report(tmp_path):
    db = tmp_path / "sub" / "planbot.db"
    ensure_index(db)
    info = index_info(db)
    assert info.bundled and info.source_name == "minato-library-plan-progress-r7.txt"


def test_a_bundled_index_is_rebuilt_when_the_bundled_report_changes(tmp_path):
    db = tmp_path / "planbot.db"
    build_index(None, db)
    with sqlite3.connect(db) as conn:  # as if built by an older planbot from an older bundled report
        conn.execute("update document set source_sha256 = 'old', as_of = '令和6年度末'")
    ensure_index(db)
    assert load_report(connect(db)).as_of == "令和7年度末"


def test_an_index_from_a_named_source_is_kept(tmp_path, next_year_file):
    db = tmp_path / "planbot.db"
    build_index([next_year_file], db)
    ensure_index(db)
    assert load_report(connect(db)).as_of == "令和8年度末"


def test_several_sources_index_the_newest_report(tmp_path, next_year_file):
    from knowledge.report import BUNDLED_REPORT

    _, report = build_index([next_year_file, BUNDLED_REPORT], tmp_path / "p.db")
    assert report.as_of == "令和8年度末"


def planbot(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, encoding="utf-8", env=env
    )


def test_planbot_index_prints_counts_per_table(tmp_path):
    out = planbot("index", "--db", str(tmp_path / "p.db"))
    assert out.returncode == 0, out.stderr
    counts = dict(line.split() for line in out.stdout.splitlines()[1:])
    assert (counts["projects"], counts["indicator_values"], counts["entries"]) == ("43", "24", "267")


def test_planbot_index_on_a_bad_source_names_it_without_a_traceback(tmp_path):
    out = planbot("index", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "p.db"))
    assert out.returncode == 1
    assert "missing.txt" in out.stderr and "Traceback" not in out.stderr


def test_export_csv_opens_in_excel_and_json_holds_every_project(tmp_path):
    db = str(tmp_path / "p.db")
    out = tmp_path / "plan.csv"
    assert planbot("export", "--format", "csv", "--out", str(out), "--db", db).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len({r["事業番号"] for r in rows}) == 43
    loans = [r for r in rows if r["項目"] == "電子書籍貸出数" and r["年度"] == "令和7年度"]
    assert (loans[0]["実績"], loans[0]["単位"], loans[0]["達成率(%)"]) == ("46,843", "件", "133.8")
    data = json.loads(planbot("export", "--format", "json", "--db", db).stdout)
    assert len(data["projects"]) == 43 and data["as_of"] == "令和7年度末"


@pytest.mark.parametrize("name", ["plan#1.db", "plan?x=1.db", "plan%20.db"])
def test_an_index_path_with_uri_characters_opens_that_file_and_no_other(tmp_path, name):
    from knowledge.index import connect

    db, _ = build_index(None, tmp_path / name)
    connect(db).close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".source")) == [name]


def test_a_named_index_that_went_missing_is_an_error_not_the_bundled_report(tmp_path, next_year_file):
    from knowledge.errors import IndexUnavailable
    from knowledge.index import ensure_index

    db, _ = build_index([next_year_file], tmp_path / "planbot.db")
    db.unlink()
    with pytest.raises(IndexUnavailable, match=r"minato-library-plan-progress-r8\.txt"):
        ensure_index(db)
    assert not db.exists()
    build_index(None, db)  # `planbot index`: back to the bundled report, on purpose
    db.unlink()
    assert ensure_index(db) == db  # a bundled index is simply built again
