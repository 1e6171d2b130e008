"""The plan's vocabulary explained from the report itself.

A term the report defines (the grade legend, 別紙2 and 参考資料) is explained with the report's own
prose, quoted verbatim. A term it does not define (重点, 新規, 取組目標, 成果指標) is explained only by
what the report's structure shows — which projects carry the mark, which rows the sheets have — and
says so. Terms and the words staff ask them by live in data/glossary.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from knowledge.model import Report
from knowledge.structure import later_years
from knowledge.text import fy_label, nfkc

TERMS = Path(__file__).parent / "data" / "glossary.toml"


@dataclass(frozen=True)
class Term:
    """One explained term: what it means here and where that comes from."""

    key: str
    name: str
    lines: tuple[str, ...]  # the explanation, sentence by sentence
    defined: bool  # True: the report defines it (quoted); False: read from the report's structure
    source: str  # where in the report: 「進捗状況の区分」, 「別紙1 事業一覧の重点欄」…


@cache
def _terms(path: Path = TERMS) -> dict[str, dict]:
    with open(path, "rb") as f:
        return tomllib.load(f)["terms"]


def _notes(report: Report, phrases: list[str]) -> list[str]:
    """The report's own prose lines holding any of the phrases, verbatim, in the report's order."""
    return [n for n in report.notes if any(p in n for p in phrases)]


def _ids(projects) -> str:
    return "、".join(f"{p.id} {p.name}" for p in projects)


def _grades(report: Report, spec: dict) -> Term:
    lines = [f"{g.code}：{g.meaning}" + (f"（{g.count}事業）" if g.count is not None else "") for g in report.grades]
    keyed = [p for p in report.projects if p.grade]
    lines.append(f"この区分は重点事業（別紙2の{len(keyed)}事業）に付いています: {_ids(keyed)}。")
    return Term("grades", spec["name"], tuple(lines), True, "進捗状況の区分")


def _key(report: Report, spec: dict) -> Term:
    keyed = [p for p in report.projects if p.is_key]
    sheets = sorted({p.sheet for p in keyed})
    lines = [
        "報告書は「重点」を文章で定義していません。",
        f"事業一覧（別紙1）で重点欄に印のある事業は{len(keyed)}事業です: {_ids(keyed)}。",
        f"これらは進捗管理票{'・'.join(sheets)}に載っています。",
        # Said only when every key project's sheet does hold them.
        "各票には年次計画・成果指標と進捗状況（a・b・c・－）が記載されています。"
        if keyed and all(p.indicators and p.grade for p in keyed)
        else "",
        *_notes(report, spec.get("notes", [])),
    ]
    return Term("key", spec["name"], tuple(x for x in lines if x), False, "別紙1 事業一覧の重点欄・別紙2")


def _new(report: Report, spec: dict) -> Term:
    new = [p for p in report.projects if p.is_new]
    lines = [
        "報告書は「新規」を文章で定義していません。",
        f"事業一覧（別紙1）で新規欄に印のある事業は{len(new)}事業です: {_ids(new)}。",
    ]
    return Term("new", spec["name"], tuple(lines), False, "別紙1 事業一覧の新規欄")


def _indicators(report: Report, spec: dict) -> Term:
    rows: dict[str, list[str]] = {}
    years: set[int] = set()
    for p in report.projects:
        for ind in p.indicators:
            head = "取組目標" if ind.kind == "取組目標" else "成果指標"
            rows.setdefault(head, []).append(f"{ind.name}（{p.id}）")
            years |= {v.fy for v in ind.values}
    span = f"{fy_label(min(years))}～{fy_label(max(years))}" if years else ""
    lines = [
        "報告書は両者の違いを文章で定義していません。重点事業の進捗管理票（別紙2）の行の見出しです。",
        f"取組目標の行は「年次計画」と「実績」を持ちます: {'、'.join(rows.get('取組目標', []))}。",
        f"成果指標（①②③）の行は「指標」と「実績」を持ちます: {'、'.join(rows.get('成果指標', []))}。",
    ]
    if span:
        lines.append(f"どちらも{span}の計画値と、その年度までの実績が載っています。")
    return Term("indicators", spec["name"], tuple(lines), False, "別紙2 進捗管理票の行見出し")


def _sheets(report: Report, spec: dict) -> Term:
    key = sorted({p.sheet for p in report.projects if p.sheet.startswith("別紙2")})
    ref = sorted({p.sheet for p in report.projects if p.sheet.startswith("参考資料")})
    n_key = sum(1 for p in report.projects if p.sheet.startswith("別紙2"))
    n_ref = sum(1 for p in report.projects if p.sheet.startswith("参考資料"))
    lines = [
        *_notes(report, spec.get("notes", [])),
        f"別紙2（{'・'.join(key)}）は{n_key}事業、参考資料（{'・'.join(ref)}）は{n_ref}事業です。",
        *_notes(report, ["別紙1"]),
    ]
    return Term("sheets", spec["name"], tuple(lines), True, "報告内容 2 各事業の進捗")


def _period(report: Report, spec: dict) -> Term:
    # The sheets head their year columns 前期 and 後期3年間: the latter is the plan's last three years.
    lines = [
        f"計画期間は{report.plan_period}です（報告書の表題）。この報告は{report.as_of}時点の進捗です。",
        f"{later_years(report)}です（別紙2の年度欄の見出し）。",
        *_notes(report, ["後期3年間"]),
        f"進捗状況の区分は「{report.grades[0].meaning.split('の目標')[0]}の目標」を基準にしています。"
        if report.grades and "後期" in report.grades[0].meaning
        else "",
    ]
    return Term("period", spec["name"], tuple(x for x in lines if x), True, "報告書の表題・進捗状況の区分")


_EXPLAIN = {
    "grades": _grades,
    "key": _key,
    "new": _new,
    "indicators": _indicators,
    "sheets": _sheets,
    "period": _period,
}


def glossary(report: Report) -> list[Term]:
    """Every term of the plan, explained from this report."""
    return [_EXPLAIN[key](report, spec) for key, spec in _terms().items() if key in _EXPLAIN]


def term(report: Report, key: str) -> Term:
    """One term by its key (grades, key, new, indicators, sheets, period); KeyError if unknown."""
    return _EXPLAIN[key](report, _terms()[key])


def asked_terms(text: str) -> list[str]:
    """The keys of the terms a text asks about, in glossary order (empty when it asks about none)."""
    folded = nfkc(text).lower()
    return [key for key, spec in _terms().items() if any(nfkc(a).lower() in folded for a in spec["asks"])]


def explain(report: Report, text: str) -> list[Term]:
    """The terms a text asks about (「aとは？」「重点って何」), explained; empty when it asks about none."""
    return [term(report, key) for key in asked_terms(text)]
