"""Parse the progress report (a text export of the PDF, tables as tab-separated lines).

The parser is driven by table headers and row labels, never by line numbers, so next year's report
(令和8年度 actuals filled in, other numbers changed) indexes with no code change. Every line it cannot
place is reported as a warning naming the file and line; anything that would leave the model
incomplete (a missing project, a sheet with no project) is a ParseError.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import ParseError
from knowledge.model import ENTRY_KINDS, Entry, Goal, Grade, Indicator, IndicatorValue, Policy, Project, Report
from knowledge.text import CIRCLED, circled_to_int, fy_label, nfkc, reiwa_to_fy, squash, unwrap

BUNDLED_REPORT = Path(__file__).parent / "data" / "minato-library-plan-progress-r7.txt"

_GOAL = re.compile(r"^基本目標\s*(\d+)\s+(.+)$")
_POLICY_CELL = re.compile(r"^\((\d+)\)\s*(.+)$")
_NAME_CELL = re.compile(rf"^([{CIRCLED}])\s*(.+)$")
_PROJECT_ID = re.compile(rf"^(\d+)-\((\d+)\)-([{CIRCLED}])$")
_LEGEND = re.compile(r"^[\s\-]*([abc]|－)\s*[:：]\s*(.+)$")
_TITLE_PERIOD = re.compile(r"\((令和\d+年度)[~～〜](令和\d+年度)\)")
_AS_OF = re.compile(r"\((令和\d+年度末)時点\)")
_COUNT = re.compile(r"^(\d+)事業$")
_YEAR = re.compile(r"^令和\d+年度$")
_EVAL_HEADER = re.compile(r"^実績の評価\((令和\d+年度)\)$")
_OTHER_EVAL_HEADER = re.compile(r"^(令和\d+年度)の評価と事業の課題$")
_INDICATOR_LABEL = re.compile(rf"^(取組目標|成果指標[{CIRCLED}])$")
_ROW_KIND = re.compile(rf"^(年次計画|指標[{CIRCLED}]?|実績)$")
_VALUE = re.compile(r"^(?:-|－|[\d,.]+%?)$")
# Unit words the report writes after a figure in the evaluation of an indicator (「約8,000冊」).
_UNIT_IN_TEXT = re.compile(r"\d[\d,.]*\s*(冊|件|回|作品|人|館|校|タイトル)")
# Fallback when the evaluation names no figure: the unit implied by the indicator's name.
_UNIT_BY_SUFFIX = (("割合", "%"), ("回数", "回"), ("作品数", "作品"), ("貸出数", "件"), ("資料数", "冊"))
_KNOWN_HEADINGS = {"その他の事業", "<進捗状況の区分>", "《進捗状況別事業数一覧》"}


def read_report(path: Path | str) -> Report:
    """Read and parse a report file; raise ParseError naming the file when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"{path}: ファイルが見つかりません (file not found)") from None
    except IsADirectoryError:
        raise ParseError(f"{path}: フォルダです。報告書のテキストファイルを指定してください") from None
    except OSError as e:
        raise ParseError(f"{path}: 読み込めません ({e.strerror})") from None
    if not data.strip():
        raise ParseError(f"{path}: ファイルが空です (empty file)")
    if b"\x00" in data:
        raise ParseError(f"{path}: テキストではありません (binary file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ParseError(f"{path}:{line}: UTF-8 のテキストではありません (not UTF-8)") from None
    report = parse_text(text, source_name=path.name)
    report.source_sha256 = hashlib.sha256(data).hexdigest()
    return report


def parse_text(text: str, source_name: str = "<text>") -> Report:
    """Parse the report's text into a Report; raise ParseError if it is incomplete."""
    return _Parser(text.splitlines(), source_name).run()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _unit(name: str, values: list[IndicatorValue], evaluation: str) -> str:
    if any(v.plan.endswith("%") or v.actual.endswith("%") for v in values):
        return "%"
    m = _UNIT_IN_TEXT.search(evaluation)
    if m:
        return m.group(1)
    return next((unit for suffix, unit in _UNIT_BY_SUFFIX if name.endswith(suffix)), "")


@dataclass
class _Sheet:
    """Reading state for one key-project sheet."""

    project: Project
    years: list[int] = field(default_factory=list)
    eval_fy: int | None = None
    indicator: Indicator | None = None
    pending: tuple[str, int] | None = None  # (plan|actual, first value column) awaiting a value row
    text_kind: str = "issues"  # what the second text column holds; 今後の取組 switches it
    grade_col: int | None = None
    unused: list[Indicator] = field(default_factory=list)


class _Parser:
    def __init__(self, lines: list[str], source: str):
        self.lines = lines
        self.source = source
        self.title_lines: list[str] = []
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.grades: dict[str, Grade] = {}
        self.counts: dict[str, int | None] = {}
        self.goals: list[Goal] = []
        self.policies: dict[str, Policy] = {}
        self.projects: dict[str, Project] = {}
        self.as_of = ""
        self.count: int | None = None
        self.count_line = 0

    # -- helpers ---------------------------------------------------------------------------------
    def where(self, i: int) -> str:
        return f"{self.source}:{i + 1}"

    def warn(self, i: int, what: str) -> None:
        self.warnings.append(f"{self.where(i)}: {what}")

    def blank(self, i: int) -> bool:
        return i >= len(self.lines) or not self.lines[i].strip()

    def expect_row(self, i: int, what: str) -> None:
        if self.blank(i + 1):
            raise ParseError(f"{self.where(i)}: {what} (途中で切れていますか)")

    # -- the walk --------------------------------------------------------------------------------
    def run(self) -> Report:
        i = 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            if not line.strip():
                i += 1
                continue
            cells = _cells(line)
            keys = [squash(c) for c in cells]
            plain = nfkc(line).strip()
            if "事業名" in keys and "計画書掲載頁" in keys:
                i = self.project_list(i)
            elif keys[0].startswith("No."):
                i = self.other_sheets(i) if "実績" in keys else self.key_sheet(i)
            elif keys[0] == "進捗状況" and "計" in keys:
                i = self.count_table(i)
            elif m := _GOAL.match(plain):
                self.goals.append(Goal(int(m.group(1)), m.group(2).strip()))
                i += 1
            elif m := _LEGEND.match(line.strip()):
                code, meaning = m.group(1), m.group(2).strip()
                self.grades.setdefault(code, Grade(code, meaning))
                i += 1
            else:
                self.prose(i, line.strip())
                i += 1
        return self.finish()

    def prose(self, i: int, text: str) -> None:
        plain = nfkc(text)
        if not self.title_lines or (not self.notes and not self.blank(i - 1)):
            # The title is the first paragraph (the PDF breaks it over two lines).
            self.title_lines.append(text)
            return
        if m := _AS_OF.search(plain):
            self.as_of = m.group(1)
        if m := _COUNT.match(plain):
            self.count, self.count_line = int(m.group(1)), i
        if self.goals and plain not in _KNOWN_HEADINGS:
            # After the introduction every line belongs to a table; a stray one is worth a look.
            self.warn(i, f"どの表にも属さない行です: {plain[:40]}")
        self.notes.append(text)

    # -- 別紙1: the project list -----------------------------------------------------------------
    def project_list(self, i: int) -> int:
        cols = {squash(c): k for k, c in enumerate(_cells(self.lines[i]))}
        if not self.goals:
            raise ParseError(f"{self.where(i)}: 事業一覧の前に基本目標の見出しがありません")
        goal = self.goals[-1].number
        policy: Policy | None = None
        i += 1
        while not self.blank(i):
            row = _cells(self.lines[i]) + [""] * len(cols)
            cell = {key: row[k] for key, k in cols.items()}
            if m := _POLICY_CELL.match(nfkc(cell["施策"])):
                policy = Policy(goal, int(m.group(1)), m.group(2).strip())
                self.policies[policy.id] = policy
            name = _NAME_CELL.match(cell["事業名"])
            page = cell["計画書掲載頁"]
            if policy is None or not name or not page.isdigit():
                self.warn(i, "事業一覧の行として読めません")
                i += 1
                continue
            pid = f"{goal}-({policy.number})-{name.group(1)}"
            flags = cell["重点新規"]
            self.projects[pid] = Project(
                id=pid,
                goal=goal,
                policy=policy.number,
                number=circled_to_int(name.group(1)),
                name=unwrap(name.group(2)),
                page=int(page),
                is_key="重点" in flags,
                is_new="新規" in flags,
                department=unwrap(cell["担当課"]),
                sheet=squash(cell["進捗管理票記載頁"]),
                source_line=i + 1,
            )
            i += 1
        return i

    def sheet_project(self, i: int, raw_id: str, name: str) -> Project:
        pid = squash(raw_id)
        project = self.projects.get(pid)
        if project is None:
            raise ParseError(f"{self.where(i)}: 事業一覧にない事業番号です: {raw_id}")
        name = unwrap(name)
        if name and name != project.name and name not in project.aliases:
            project.aliases.append(name)  # the list is canonical; the sheet's spelling is an alias
        return project

    # -- 別紙2: key-project sheets ---------------------------------------------------------------
    def key_sheet(self, i: int) -> int:
        header = _cells(self.lines[i])
        cols = {squash(c): k for k, c in enumerate(header) if c}
        id_col = next(k for key, k in cols.items() if key.startswith("No."))
        self.expect_row(i, "別紙2 の見出しの次に事業の行がありません")
        values = _cells(self.lines[i + 1]) + [""] * len(header)
        project = self.sheet_project(i + 1, values[id_col], values[cols.get("事業名", 0)])
        sheet = _Sheet(project)
        if "進捗状況" in cols:
            project.grade = values[cols["進捗状況"]]
        i += 2
        while not self.blank(i):
            self.key_row(i, sheet)
            i += 1
        project.indicators = [ind for ind in project.indicators if ind not in sheet.unused]
        for ind in project.indicators:
            ind.unit = _unit(ind.name, ind.values, ind.evaluation)
        if not project.grade:
            self.warn(i - 1, f"{project.id} の進捗状況(a/b/c)が見つかりません")
        return i

    def key_row(self, i: int, sheet: _Sheet) -> None:
        row = _cells(self.lines[i])
        keys = [squash(c) for c in row]
        project = sheet.project
        if sheet.grade_col is not None:  # the grade sits under its label, one row down
            project.grade = row[sheet.grade_col] if sheet.grade_col < len(row) else ""
            row[sheet.grade_col] = keys[sheet.grade_col] = ""
            sheet.grade_col = None
        if "進捗状況" in keys:
            sheet.grade_col = keys.index("進捗状況")
            row[sheet.grade_col] = keys[sheet.grade_col] = ""
        if keys[0] == "事業・取組の内容":
            text = " ".join(c for c in row[1:] if c)
            if text:
                self.add(project, "description", text, i)
            return
        if not any(keys):
            return
        if _INDICATOR_LABEL.match(keys[0]):
            ind = Indicator(project.id, keys[0], len(project.indicators) + 1, unwrap(row[1]), "", source_line=i + 1)
            project.indicators.append(ind)
            sheet.indicator = ind
            if ind.name in ("-", "－"):
                sheet.unused.append(ind)
        elif sheet.indicator is None and keys[0] and not self.has_description(project):
            # Text on its own line before any indicator: the description under 事業・取組の内容.
            self.add(project, "description", " ".join(c for c in row if c), i)
            return
        kind_col = next((k for k, key in enumerate(keys) if _ROW_KIND.match(key)), None)
        first = 0
        if kind_col is not None:
            kind = "actual" if keys[kind_col] == "実績" else "plan"
            sheet.pending = (kind, kind_col + 1)
            first = kind_col + 1
        for k in range(first, len(keys)):
            if m := _YEAR.match(keys[k]):
                sheet.years.append(reiwa_to_fy(m.group(0)))
                row[k] = ""
            elif m := _EVAL_HEADER.match(keys[k]):
                sheet.eval_fy = reiwa_to_fy(m.group(1))
                row[k] = ""
            elif keys[k] in ("前期", "後期3年間", "事業の課題や改善が必要な事項"):
                row[k] = ""
        if sheet.pending and sheet.years and sheet.indicator is not None:
            kind, start = sheet.pending
            cells = row[start : start + len(sheet.years)]
            if any(cells) and all(_VALUE.match(c) for c in cells if c):
                self.put_values(sheet.indicator, sheet.years, kind, cells)
                sheet.pending = None
                self.key_texts(i, sheet, row, start + len(sheet.years))
                return
        skip = {kind_col} | ({0, 1} if _INDICATOR_LABEL.match(keys[0]) else set())
        leftovers = [c for k, c in enumerate(row) if c and k not in skip]
        if leftovers:
            self.warn(i, f"別紙2 の行として読めません: {leftovers[0][:30]}")

    @staticmethod
    def has_description(project: Project) -> bool:
        return any(e.kind == "description" for e in project.entries)

    def put_values(self, ind: Indicator, years: list[int], kind: str, cells: list[str]) -> None:
        cells = cells + [""] * (len(years) - len(cells))
        by_fy = {v.fy: v for v in ind.values}
        for fy, raw in zip(years, cells):
            old = by_fy.get(fy, IndicatorValue(fy))
            new = IndicatorValue(fy, raw, old.actual) if kind == "plan" else IndicatorValue(fy, old.plan, raw)
            by_fy[fy] = new
        ind.values = [by_fy[fy] for fy in sorted(by_fy)]

    def key_texts(self, i: int, sheet: _Sheet, row: list[str], start: int) -> None:
        """Texts right of the figures: first column evaluation, second issues (or 今後の取組)."""
        project, ind = sheet.project, sheet.indicator
        for offset, text in enumerate(row[start:]):
            if not text:
                continue
            if squash(text) == "今後の取組":
                sheet.text_kind = "next_steps"
            elif offset == 0 and ind is not None and ind not in sheet.unused:
                text = unwrap(text)
                ind.evaluation = f"{ind.evaluation}\n{text}".strip()
                label = f"実績の評価({_label(sheet.eval_fy)})" if sheet.eval_fy else "実績の評価"
                self.add(project, "evaluation", text, i, fy=sheet.eval_fy, indicator=ind.id, label=label)
            elif offset == 0:
                # Beside an unused indicator the text is about the project, not that indicator:
                # the export folded the issues column into the evaluation column on this layout.
                self.add(project, "issues", text, i)
            elif offset == 1:
                self.add(project, sheet.text_kind, text, i)
            else:
                self.warn(i, f"別紙2 の余分な列です: {text[:30]}")

    def add(self, project: Project, kind: str, text: str, i: int, row: int = 1, **extra) -> None:
        label = extra.pop("label", ENTRY_KINDS[kind])
        project.entries.append(Entry(project.id, kind, unwrap(text), label, row=row, source_line=i + 1, **extra))

    # -- 参考資料: the other projects --------------------------------------------------------------
    def other_sheets(self, i: int) -> int:
        header = _cells(self.lines[i])
        cols: dict[str, int] = {}
        eval_fy = None
        for k, cell in enumerate(header):
            key = squash(cell)
            if key.startswith("No."):
                cols["id"] = k
            elif m := _OTHER_EVAL_HEADER.match(key):
                cols["evaluation"], eval_fy = k, reiwa_to_fy(m.group(1))
            elif key:
                cols[key] = k
        missing = [c for c in ("id", "事業名", "実績", "今後の取組", "evaluation") if c not in cols]
        if missing:
            raise ParseError(f"{self.where(i)}: 参考資料の表の見出しに {', '.join(missing)} がありません")
        self.expect_row(i, "参考資料の表の見出しの次に年度の行がありません")
        years = {k: reiwa_to_fy(c) for k, c in enumerate(_cells(self.lines[i + 1])) if _YEAR.match(squash(c))}
        if not years:
            raise ParseError(f"{self.where(i + 1)}: 参考資料の表に実績の年度の見出しがありません")
        texts = {
            "plan": cols.get("計画に記載している事業・取組の内容"),
            "reason": cols.get("実績が計画と異なる理由"),
            "evaluation": cols["evaluation"],
            "next_steps": cols["今後の取組"],
        }
        labels = {kind: unwrap(header[k]) for kind, k in texts.items() if k is not None}
        i += 2
        project: Project | None = None
        row_no = 1
        while not self.blank(i):
            row = _cells(self.lines[i]) + [""] * len(header)
            if row[cols["id"]]:
                project = self.sheet_project(i, row[cols["id"]], row[cols["事業名"]])
                row_no = 1
            elif project is None:
                self.warn(i, "事業番号のない行です")
                i += 1
                continue
            else:
                row_no += 1  # a second row of the same project carries no id
            for kind, k in texts.items():
                if k is not None and row[k]:
                    fy = eval_fy if kind == "evaluation" else None
                    self.add(project, kind, row[k], i, row=row_no, fy=fy, label=labels[kind])
            for k, fy in years.items():
                if row[k]:
                    self.add(project, "actual", row[k], i, row=row_no, fy=fy, label=f"実績({_label(fy)})")
            i += 1
        return i

    # -- the grade count table --------------------------------------------------------------------
    def count_table(self, i: int) -> int:
        codes = _cells(self.lines[i])
        if self.blank(i + 1):
            self.warn(i, "進捗状況別事業数の数字の行がありません")
            return i + 1
        numbers = _cells(self.lines[i + 1]) + [""] * len(codes)
        for code, raw in zip(codes[1:], numbers[1:]):
            if code:
                self.counts[code] = int(raw) if raw.isdigit() else None
        return i + 2

    # -- checks ---------------------------------------------------------------------------------
    def finish(self) -> Report:
        title = "".join(self.title_lines[:2])
        period = _TITLE_PERIOD.search(nfkc(title))
        if not self.projects:
            raise ParseError(f"{self.source}: 事業一覧(別紙1)が見つかりません。進捗報告のファイルですか？")
        if not period:
            raise ParseError(f"{self.source}:1: 表題に計画期間(令和N年度～令和M年度)がありません")
        if not self.as_of:
            raise ParseError(f"{self.source}: 「(令和N年度末時点)」の記載がありません")
        if self.count is not None and self.count != len(self.projects):
            raise ParseError(
                f"{self.where(self.count_line)}: 事業数は{self.count}とありますが、一覧には{len(self.projects)}件です"
            )
        for p in self.projects.values():
            where = f"{self.source}:{p.source_line}"
            if p.sheet.startswith("別紙2") and not p.indicators:
                raise ParseError(f"{where}: {p.id} の進捗管理票({p.sheet})が見つかりません (途中で切れていますか)")
            if not p.sheet.startswith("別紙2") and not p.entries:
                raise ParseError(f"{where}: {p.id} の進捗管理票({p.sheet})が見つかりません (途中で切れていますか)")
        grades = [Grade(g.code, g.meaning, self.counts.get(g.code)) for g in self.grades.values()]
        self.check_counts(grades)
        return Report(
            title=title,
            plan_period=f"{period.group(1)}～{period.group(2)}",
            plan_start_fy=reiwa_to_fy(period.group(1)),
            plan_end_fy=reiwa_to_fy(period.group(2)),
            as_of=self.as_of,
            as_of_fy=reiwa_to_fy(self.as_of),
            project_count=self.count if self.count is not None else len(self.projects),
            grades=grades,
            goals=self.goals,
            policies=list(self.policies.values()),
            projects=list(self.projects.values()),
            source_name=self.source,
            notes=self.notes,
            warnings=self.warnings,
        )

    def check_counts(self, grades: list[Grade]) -> None:
        for g in grades:
            actual = sum(1 for p in self.projects.values() if p.grade == g.code)
            if g.count is not None and g.count != actual:
                self.warnings.append(
                    f"{self.source}: 進捗状況別事業数の {g.code} は{g.count}件ですが、各票では{actual}件です"
                )


def _label(fy: int | None) -> str:
    return fy_label(fy) if fy else ""
