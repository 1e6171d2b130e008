"""The SQLite index: built from a parsed report, atomically; read back into the same model.

The file is plain SQLite with primary and foreign keys and a few views, so the sqlite-utils CLI or
Datasette can open it. Search columns hold character bigrams (docs/design.md §1) for FTS5's default
tokenizer; the question side splits its text the same way (knowledge.text.search_terms).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import IndexUnavailable
from knowledge.figures import achievement
from knowledge.model import Entry, Goal, Grade, Indicator, IndicatorValue, Policy, Project, Report
from knowledge.passages import write_passages
from knowledge.report import BUNDLED_REPORT, read_report
from knowledge.text import parse_number, search_terms

SCHEMA_VERSION = 5  # bump when tables change: a bundled index of an older version is rebuilt

# Search columns in order, with their bm25 weights: a hit in a name counts far more than in prose.
SEARCH_COLUMNS = {"name": 10.0, "aliases": 8.0, "indicators": 5.0, "reading": 4.0, "context": 1.5, "body": 1.0}
# Columns that say what a project is; hiragana-only evidence counts only here (not in prose).
TITLE_COLUMNS = ("name", "aliases", "indicators", "reading")

VIEWS = {
    "project_overview": """
        select p.id, p.name, p.goal, g.title as goal_title, p.policy_id, po.name as policy_name,
               p.page, p.is_key, p.is_new, p.department, p.sheet, p.grade, gr.meaning as grade_meaning
        from projects p
        join goals g on g.number = p.goal
        join policies po on po.id = p.policy_id
        left join grades gr on gr.code = p.grade
        order by p.goal, p.policy, p.number""",
    "indicator_progress": """
        select i.project_id, p.name as project_name, i.kind, i.name as indicator, i.unit,
               v.fy, v.year_label, v.plan, v.actual, v.achievement
        from indicator_values v
        join indicators i on i.id = v.indicator_id
        join projects p on p.id = i.project_id
        order by p.goal, p.policy, p.number, i.position, v.fy""",
    "indicators_latest": """
        select i.project_id, i.kind, i.name as indicator, i.unit, v.year_label, v.plan, v.actual,
               v.achievement, case when v.actual_number < v.plan_number then 1 else 0 end as below_target
        from indicators i
        join indicator_values v on v.indicator_id = i.id
        where v.fy = (select max(fy) from indicator_values w
                      where w.indicator_id = i.id and w.actual != '')""",
    "project_texts": """
        select e.project_id, p.name, e.row, e.kind, e.label, e.fy, e.text
        from entries e join projects p on p.id = e.project_id
        order by p.goal, p.policy, p.number, e.row, e.id""",
}


@dataclass(frozen=True)
class IndexInfo:
    """What an index was built from."""

    source_name: str
    source_sha256: str
    bundled: bool
    schema_version: int


def build_index(sources: list[Path] | None, db_path: Path) -> tuple[Path, Report]:
    """Parse the sources (default: the bundled report) and write the index atomically.

    Several sources are read in order and the last one wins: a report describes the whole plan as
    of one date, so the newest one is the index. A source that fails raises ParseError and leaves
    any existing index as it was.
    """
    db_path = Path(db_path)
    bundled = not sources
    reports = [read_report(s) for s in (sources or [BUNDLED_REPORT])]
    report = max(reports, key=lambda r: r.as_of_fy)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".planbot-", suffix=".db", dir=db_path.parent)
    except OSError as e:
        raise IndexUnavailable(
            f"{db_path}: 索引を書けません ({e.strerror})。PLANBOT_DB で場所を指定してください"
        ) from None
    os.close(fd)
    try:
        _write(report, Path(tmp), bundled)
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _remember_source(db_path, None if bundled else report.source_name)
    return db_path, report


def _named_marker(db_path: Path) -> Path:
    """Beside an index built from a report someone named: that report's name. If the index goes missing,
    the bundled report is not quietly served in its place."""
    return db_path.with_name(db_path.name + ".source")


def _remember_source(db_path: Path, source_name: str | None) -> None:
    marker = _named_marker(db_path)
    try:
        if source_name is None:
            marker.unlink(missing_ok=True)
        else:
            marker.write_text(source_name + "\n", encoding="utf-8")
    except OSError:  # the index itself is written; only the guard against a silent fallback is missing
        pass


def _write(report: Report, path: Path, bundled: bool) -> None:
    import sqlite_utils  # only the build needs it; answering reads with plain sqlite3

    db = sqlite_utils.Database(path, recreate=True)
    db.conn.execute("pragma foreign_keys = on")
    db["document"].insert(
        {
            "id": 1,
            "title": report.title,
            "plan_period": report.plan_period,
            "plan_start_fy": report.plan_start_fy,
            "plan_end_fy": report.plan_end_fy,
            "as_of": report.as_of,
            "as_of_fy": report.as_of_fy,
            "project_count": report.project_count,
            "source_name": report.source_name,
            "source_sha256": report.source_sha256,
            "bundled": int(bundled),
            "schema_version": SCHEMA_VERSION,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "notes": json.dumps(report.notes, ensure_ascii=False),
            "warnings": json.dumps(report.warnings, ensure_ascii=False),
        },
        pk="id",
    )
    db["grades"].insert_all(
        [{"code": g.code, "meaning": g.meaning, "count": g.count} for g in report.grades],
        pk="code",
        columns={"count": int},
    )
    db["goals"].insert_all([{"number": g.number, "title": g.title} for g in report.goals], pk="number")
    db["policies"].insert_all(
        [{"id": p.id, "goal": p.goal, "number": p.number, "name": p.name} for p in report.policies],
        pk="id",
        foreign_keys=[("goal", "goals", "number")],
    )
    db["projects"].insert_all(
        [
            {
                "id": p.id,
                "goal": p.goal,
                "policy_id": p.policy_id,
                "policy": p.policy,
                "number": p.number,
                "marker": p.marker,
                "name": p.name,
                "page": p.page,
                "is_key": int(p.is_key),
                "is_new": int(p.is_new),
                "department": p.department,
                "sheet": p.sheet,
                "grade": p.grade or None,
                "source_line": p.source_line,
            }
            for p in report.projects
        ],
        pk="id",
        foreign_keys=[("goal", "goals", "number"), ("policy_id", "policies", "id"), ("grade", "grades", "code")],
        columns={"grade": str},
    )
    db["aliases"].insert_all(
        [{"project_id": p.id, "alias": a} for p in report.projects for a in p.aliases],
        pk=("project_id", "alias"),
        foreign_keys=[("project_id", "projects", "id")],
        columns={"project_id": str, "alias": str},
    )
    indicators = [i for p in report.projects for i in p.indicators]
    db["indicators"].insert_all(
        [
            {
                "id": i.id,
                "project_id": i.project_id,
                "kind": i.kind,
                "position": i.position,
                "name": i.name,
                "unit": i.unit,
                "evaluation": i.evaluation,
                "source_line": i.source_line,
            }
            for i in indicators
        ],
        pk="id",
        foreign_keys=[("project_id", "projects", "id")],
    )
    db["indicator_values"].insert_all(
        [
            {
                "indicator_id": i.id,
                "fy": v.fy,
                "year_label": v.year_label,
                "plan": v.plan,
                "actual": v.actual,
                "plan_number": parse_number(v.plan),
                "actual_number": parse_number(v.actual),
                "achievement": achievement(v.plan, v.actual),
            }
            for i in indicators
            for v in i.values
        ],
        pk=("indicator_id", "fy"),
        foreign_keys=[("indicator_id", "indicators", "id")],
        columns={"plan_number": float, "actual_number": float, "achievement": float},
    )
    db["entries"].insert_all(
        [
            {
                "project_id": e.project_id,
                "row": e.row,
                "kind": e.kind,
                "fy": e.fy,
                "label": e.label,
                "indicator_id": e.indicator or None,
                "text": e.text,
                "source_line": e.source_line,
            }
            for p in report.projects
            for e in p.entries
        ],
        pk="id",
        foreign_keys=[("project_id", "projects", "id"), ("indicator_id", "indicators", "id")],
        columns={"fy": int, "indicator_id": str},
    )
    goals = {g.number: g.title for g in report.goals}
    policies = {p.id: p.name for p in report.policies}
    db["search"].insert_all(
        [
            {"project_id": p.id, **_search_row(p, f"{policies.get(p.policy_id, '')} {goals.get(p.goal, '')}")}
            for p in report.projects
        ],
        pk="project_id",
    )
    db["search"].enable_fts(list(SEARCH_COLUMNS), create_triggers=False)
    write_passages(db, report.projects)
    for name, sql in VIEWS.items():
        db.create_view(name, sql)
    db.conn.commit()
    db.conn.execute("vacuum")
    db.close()


_kakasi = None


def _reading(text: str) -> str:
    """The hiragana reading of a text, so a question typed in kana (でんししょせき) finds it."""
    global _kakasi
    if _kakasi is None:
        import pykakasi  # loads a dictionary (~0.6 s): index time only, never when answering

        _kakasi = pykakasi.kakasi()
    return "".join(part["hira"] for part in _kakasi.convert(text))


def _search_row(p: Project, context: str) -> dict[str, str]:
    names = [p.name, *p.aliases]
    body = [e.text for e in p.entries] + [i.evaluation for i in p.indicators]
    return {
        "name": " ".join(search_terms(p.name)),
        "aliases": " ".join(search_terms(" ".join(p.aliases))),
        "indicators": " ".join(search_terms(" ".join(i.name for i in p.indicators))),
        "reading": " ".join(search_terms(" ".join(_reading(n) for n in names))),
        "context": " ".join(search_terms(context)),
        "body": " ".join(search_terms(" ".join(body))),
    }


# -- reading it back ------------------------------------------------------------------------------
def connect(db_path: Path) -> sqlite3.Connection:
    """Open an index read-only; IndexUnavailable if it is missing or not an index."""
    if not db_path.exists():
        raise IndexUnavailable(f"{db_path}: 索引がありません。`planbot index` で作成してください")
    try:
        # as_uri() escapes '#', '?' and '%' in the path, which a URI built by hand would read as its own.
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("select 1 from document").fetchone()
    except sqlite3.DatabaseError as e:
        raise IndexUnavailable(f"{db_path}: 索引として読めません ({e})") from None
    return conn


def connect_in_memory(db_path: Path) -> sqlite3.Connection:
    """A copy of the index in memory (about 1 MB): what happens to the file later cannot reach it."""
    source = connect(db_path)
    try:
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(memory)
    except sqlite3.DatabaseError as e:
        raise IndexUnavailable(f"{db_path}: 索引として読めません ({e})") from None
    finally:
        source.close()
    memory.row_factory = sqlite3.Row
    return memory


def index_info(db_path: Path) -> IndexInfo | None:
    """What the index at db_path was built from, or None when there is no usable index."""
    try:
        conn = connect(db_path)
        row = conn.execute("select source_name, source_sha256, bundled, schema_version from document").fetchone()
        conn.close()
    except (IndexUnavailable, sqlite3.DatabaseError):
        return None
    return IndexInfo(row["source_name"], row["source_sha256"], bool(row["bundled"]), row["schema_version"])


def bundled_sha256() -> str:
    """The hash of the report shipped with this version of planbot."""
    return hashlib.sha256(BUNDLED_REPORT.read_bytes()).hexdigest()


def ensure_index(db_path: Path) -> Path:
    """Return a usable index path, building it from the bundled report when needed.

    Built when missing or unreadable; rebuilt when it came from the bundled report and that report
    (or the schema) changed with an upgrade. An index built from a source the user named is kept.
    """
    db_path = Path(db_path)
    info = index_info(db_path)
    if info is None and not db_path.exists() and _named_marker(db_path).exists():
        source = _named_marker(db_path).read_text(encoding="utf-8").strip()
        raise IndexUnavailable(
            f"{db_path}: 索引がありません ({source} から作った索引が消えています)。"
            f"`planbot index {source}` で作り直してください (同梱の報告書に戻すなら `planbot index`)"
        )
    if info is None:
        if db_path.exists() and db_path.stat().st_size > 0:
            # Unreadable but present: do not overwrite what may be someone's file.
            connect(db_path)
        build_index(None, db_path)
    elif info.bundled and (info.source_sha256 != bundled_sha256() or info.schema_version != SCHEMA_VERSION):
        build_index(None, db_path)
    elif info.schema_version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"{db_path}: 古い形式の索引です ({info.source_name})。"
            f"`planbot index {info.source_name}` で作り直してください"
        )
    return db_path


def load_report(conn: sqlite3.Connection) -> Report:
    """Read the whole report back from an index into the model (43 projects: a few ms)."""
    doc = conn.execute("select * from document").fetchone()
    values: dict[str, list[IndicatorValue]] = {}
    for r in conn.execute("select * from indicator_values order by indicator_id, fy"):
        values.setdefault(r["indicator_id"], []).append(IndicatorValue(r["fy"], r["plan"], r["actual"]))
    indicators: dict[str, list[Indicator]] = {}
    for r in conn.execute("select * from indicators order by project_id, position"):
        ind = Indicator(
            r["project_id"],
            r["kind"],
            r["position"],
            r["name"],
            r["unit"],
            values.get(r["id"], []),
            r["evaluation"],
            r["source_line"],
        )
        indicators.setdefault(r["project_id"], []).append(ind)
    entries: dict[str, list[Entry]] = {}
    for r in conn.execute("select * from entries order by id"):
        entry = Entry(
            r["project_id"],
            r["kind"],
            r["text"],
            r["label"],
            r["fy"],
            r["row"],
            r["indicator_id"] or "",
            r["source_line"],
        )
        entries.setdefault(r["project_id"], []).append(entry)
    aliases: dict[str, list[str]] = {}
    for r in conn.execute("select * from aliases"):
        aliases.setdefault(r["project_id"], []).append(r["alias"])
    projects = [
        Project(
            id=r["id"],
            goal=r["goal"],
            policy=r["policy"],
            number=r["number"],
            name=r["name"],
            page=r["page"],
            is_key=bool(r["is_key"]),
            is_new=bool(r["is_new"]),
            department=r["department"],
            sheet=r["sheet"],
            aliases=aliases.get(r["id"], []),
            grade=r["grade"] or "",
            indicators=indicators.get(r["id"], []),
            entries=entries.get(r["id"], []),
            source_line=r["source_line"],
        )
        for r in conn.execute("select * from projects order by goal, policy, number")
    ]
    return Report(
        title=doc["title"],
        plan_period=doc["plan_period"],
        plan_start_fy=doc["plan_start_fy"],
        plan_end_fy=doc["plan_end_fy"],
        as_of=doc["as_of"],
        as_of_fy=doc["as_of_fy"],
        project_count=doc["project_count"],
        grades=[Grade(r["code"], r["meaning"], r["count"]) for r in conn.execute("select * from grades")],
        goals=[Goal(r["number"], r["title"]) for r in conn.execute("select * from goals order by number")],
        policies=[
            Policy(r["goal"], r["number"], r["name"])
            for r in conn.execute("select * from policies order by goal, number")
        ],
        projects=projects,
        source_name=doc["source_name"],
        source_sha256=doc["source_sha256"],
        notes=json.loads(doc["notes"]),
        warnings=json.loads(doc["warnings"]),
    )


def table_counts(db_path: Path) -> dict[str, int]:
    """Rows per table, for `planbot index` to print."""
    conn = connect(db_path)
    tables = [
        "goals",
        "policies",
        "projects",
        "aliases",
        "indicators",
        "indicator_values",
        "entries",
        "passages",
        "grades",
    ]
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    conn.close()
    return counts
