"""Export the indexed report for spreadsheets (CSV, UTF-8 with BOM for Excel) or other tools (JSON)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from knowledge.figures import achievement
from knowledge.model import Report
from knowledge.text import fy_label

CSV_COLUMNS = [
    "事業番号",
    "事業名",
    "基本目標",
    "施策",
    "計画書掲載頁",
    "重点",
    "新規",
    "担当課",
    "進捗管理票",
    "進捗状況",
    "区分",
    "項目",
    "行",
    "年度",
    "年次計画・指標",
    "実績",
    "達成率(%)",
    "単位",
    "内容",
]


def to_json(report: Report) -> str:
    """The whole report as one JSON document: document fields, goals, policies and projects."""
    data = asdict(report)
    data.pop("warnings")
    for project in data["projects"]:
        for ind in project["indicators"]:
            for v in ind["values"]:
                v["year_label"] = fy_label(v["fy"])
                v["achievement"] = achievement(v["plan"], v["actual"])
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(report: Report) -> str:
    """One row per indicator year and per narrative entry, with the project's fields repeated."""
    goals = {g.number: g.title for g in report.goals}
    policies = {p.id: p.name for p in report.policies}
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in report.projects:
        head = [
            p.id,
            p.name,
            f"基本目標{p.goal} {goals.get(p.goal, '')}",
            f"{p.policy_id} {policies.get(p.policy_id, '')}",
            p.page,
            "○" if p.is_key else "",
            "○" if p.is_new else "",
            p.department,
            p.sheet,
            p.grade,
        ]
        for ind in p.indicators:
            for v in ind.values:
                rate = achievement(v.plan, v.actual)
                writer.writerow(
                    head
                    + [
                        ind.kind,
                        ind.name,
                        1,
                        fy_label(v.fy),
                        v.plan,
                        v.actual,
                        "" if rate is None else rate,
                        ind.unit,
                        "",
                    ]
                )
        for e in p.entries:
            writer.writerow(head + ["文章", e.label, e.row, fy_label(e.fy) if e.fy else "", "", "", "", "", e.text])
    return out.getvalue()
