"""The parser reads every fact of the report exactly as published."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.errors import ParseError
from knowledge.report import BUNDLED_REPORT, parse_text, read_report

GOLDEN = Path(__file__).parent / "golden"


def golden_projects() -> list[dict]:
    with open(GOLDEN / "projects.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_document_header_is_read(report):
    assert report.title == "港区図書館サービス推進計画（令和3年度～令和8年度）の進捗について"
    assert report.plan_period == "令和3年度～令和8年度"
    assert (report.plan_start_fy, report.plan_end_fy) == (2021, 2026)
    assert (report.as_of, report.as_of_fy) == ("令和7年度末", 2025)
    assert report.project_count == 43
    assert report.warnings == []


def test_the_grade_legend_and_count_table_are_read(report):
    assert [(g.code, g.meaning, g.count) for g in report.grades] == [
        ("a", "後期3年間の目標を上回って達成する見込みである。", 2),
        ("b", "後期3年間の目標に到達する見込みである。", 1),
        ("c", "後期3年間の目標に到達するには、改善が必要である。", 0),
        ("－", "指標値を把握できない。", None),
    ]


def test_goals_and_policies_are_read(report):
    assert [g.number for g in report.goals] == [1, 2, 3, 4]
    assert report.goals[2].title == "あらゆる人々が読書を楽しむための利便性の向上"
    # The report lists 11 policies: 1-(1..3), 2-(1..2), 3-(1..3), 4-(1..3).
    assert [p.id for p in report.policies] == [
        "1-(1)", "1-(2)", "1-(3)", "2-(1)", "2-(2)", "3-(1)", "3-(2)", "3-(3)", "4-(1)", "4-(2)", "4-(3)",
    ]  # fmt: skip
    assert report.policies[7].name == "図書館の魅力や有用性を伝える広報活動の強化"


@pytest.mark.parametrize("row", golden_projects(), ids=lambda r: r["id"])
def test_every_project_of_the_list_is_read_exactly(report, row):
    p = report.project(row["id"])
    assert (p.name, p.page, p.is_key, p.is_new, p.department, p.sheet) == (
        row["name"], int(row["page"]), row["key"] == "1", row["new"] == "1", row["department"], row["sheet"],
    )  # fmt: skip


def test_there_are_43_projects_in_report_order(report):
    assert [p.id for p in report.projects] == [r["id"] for r in golden_projects()]


def test_sheet_spellings_become_aliases_of_the_canonical_list_name(report):
    assert report.project("2-(1)-⑤").aliases == ["小学生・中学生・高校生の各年代を対象とした取組の推進"]
    assert report.project("2-(1)-⑥").aliases == ["異なる年齢の子どもの本を通じた交流の促進"]
    assert report.project("4-(1)-③").aliases == []  # 「授業カリキュラ ムに応じた」 is only a wrap


def values(report, pid):
    return {
        ind.kind: (ind.name, ind.unit, [(v.fy, v.plan, v.actual) for v in ind.values])
        for ind in report.project(pid).indicators
    }


KEY_PROJECTS = {
    "1-(1)-④": ("b", {
        "取組目標": ("所蔵資料数", "冊", [(2023, "1,330,000", "1,333,888"), (2024, "1,345,000", "1,382,480"),
                                     (2025, "1,360,000", "1,368,052"), (2026, "1,375,000", "")]),
        "成果指標①": ("蔵書に満足している利用者の割合", "%", [(2023, "85%", "83%"), (2024, "86%", "78%"),
                                                        (2025, "88%", "77%"), (2026, "90%", "")]),
    }),
    "3-(1)-①": ("a", {
        "取組目標": ("電子書籍所蔵タイトル数", "冊", [(2023, "7,500", "6,691"), (2024, "8,000", "7,885"),
                                              (2025, "9,000", "8,548"), (2026, "10,000", "")]),
        "成果指標①": ("電子書籍貸出数", "件", [(2023, "25,000", "24,190"), (2024, "30,000", "45,267"),
                                          (2025, "35,000", "46,843"), (2026, "40,000", "")]),
    }),
    "4-(1)-②": ("a", {
        "取組目標": ("調べ学習講座開催回数", "回", [(2023, "50", "68"), (2024, "70", "89"), (2025, "72", "68"),
                                              (2026, "74", "")]),
        "成果指標①": ("「港区図書館を使った調べる学習コンクール」応募作品数", "作品",
                  [(2023, "1,200", "982"), (2024, "1,200", "1,653"), (2025, "1,350", "1,398"), (2026, "1,500", "")]),
    }),
}  # fmt: skip


@pytest.mark.parametrize("pid", KEY_PROJECTS)
def test_key_project_indicators_are_read_for_every_year(report, pid):
    grade, indicators = KEY_PROJECTS[pid]
    assert report.project(pid).grade == grade
    assert values(report, pid) == indicators  # unused 成果指標②③ ('-') are dropped


def texts(report, pid, kind):
    return [e.text for e in report.project(pid).entries if e.kind == kind]


def test_key_sheet_texts_are_read_on_both_layouts(report):
    assert texts(report, "3-(1)-①", "description") == [
        "電子書籍が効果的に活用されるように、貸出状況を分析してタイトル数を増加させる。"
    ]
    evals = report.project("3-(1)-①").indicators[1].evaluation
    assert evals == "電子書籍貸出数は、指標を約11,800件(約1.3倍)上回っており、後期3年間の目標に到達している。"
    assert texts(report, "1-(1)-④", "issues")[0].startswith("各館で地域の特性を踏まえた分野ごとの重点収集")
    # The third sheet: description under its label, grade on its own line, 今後の取組 labelled.
    assert texts(report, "4-(1)-②", "description")[0].startswith("児童・生徒が自主的に調べることができるよう")
    assert texts(report, "4-(1)-②", "issues")[0].startswith("「港区図書館を使った調べる学習コンクール」の区立小中学校")
    assert texts(report, "4-(1)-②", "next_steps")[0].startswith("引き続き図書館での調べ学習講座を実施し")
    assert "お出張講座" in report.project("4-(1)-②").indicators[0].evaluation  # the report's own typo, kept


def entry(report, pid, kind, fy=None, row=1):
    found = [e for e in report.project(pid).entries if e.kind == kind and e.fy == fy and e.row == row]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("pid", "kind", "fy", "row", "text"),
    [
        ("1-(1)-①", "actual", 2024, 1, "4月より、電子雑誌閲覧サービスの開始"),
        ("1-(3)-①", "actual", 2025, 1, "利用者の利便性向上のため、区有施設にブックポストを2台増設"),
        ("2-(1)-②", "evaluation", 2025, 1, "令和7年度末の登録者数は1,711人で、令和6年度末に比べ1.5倍以上増加した。"),
        (
            "2-(1)-⑧",
            "next_steps",
            None,
            1,
            "引き続きオンライン申し込みを受け付けるとともに、自宅にいいても受講できるようなオンライン配信の実施する。",
        ),
        ("3-(1)-⑥", "plan", None, 2, "図書館利用に障害のある人々の利用拡大"),
        (
            "3-(2)-①",
            "actual",
            2025,
            2,
            "・企業・市場情報データベースの提供 ・ビジネス専用レファレンスカウンターの運用を継続",
        ),
        ("3-(2)-②", "plan", None, 2, "国立国会図書館レファレンス協同データベースに参加"),
        ("4-(1)-①", "actual", 2024, 1, "学校図書館等資料展示・選書会や、図書館事業と連携した情報交換の実施"),
        ("4-(2)-⑤", "actual", 2024, 1, "EU(駐日欧州連合)、シンガポールと連携した事業を実施"),
        (
            "4-(2)-⑥",
            "actual",
            2024,
            1,
            "・三田図書館主催で地域企業が参加する「田町・三田情報交流会」を開催 ・地域企業等と連携した講座等の事業を実施",
        ),
        ("4-(2)-②", "next_steps", None, 1, "幼稚園貸出定期便を3～5歳を対象に2園で試行実施する。"),
        ("4-(3)-②", "actual", 2025, 1, "ボランティアの方の活躍フィールドを広げるため、おはなし会を増やして実施"),
        (
            "4-(3)-②",
            "evaluation",
            2025,
            1,
            "館外を含めたおはなし会に多くのボランティアが参加し、ボランティアを生かした図書館事業が実施した。",
        ),
    ],
)
def test_other_sheet_texts_are_read_with_wraps_removed(report, pid, kind, fy, row, text):
    assert entry(report, pid, kind, fy, row).text == text


def test_second_rows_without_an_id_keep_empty_evaluations_empty(report):
    row2 = [e for e in report.project("3-(2)-①").entries if e.row == 2]
    assert {e.kind for e in row2} == {"plan", "actual", "reason"}
    assert [e.text for e in report.project("3-(1)-⑥").entries if e.row == 2 and e.kind == "evaluation"] == [
        "事業の実施だけではなく、来館の機会を創出する取組を実施した。"
    ]


def test_no_year_is_filled_that_the_report_leaves_empty(report):
    assert not [e for p in report.projects for e in p.entries if e.kind == "actual" and e.fy == 2026]
    assert all(v.actual == "" for p in report.projects for i in p.indicators for v in i.values if v.fy == 2026)


def test_next_years_report_indexes_with_no_code_change(next_year_file):
    r8 = read_report(next_year_file)
    assert (r8.as_of, r8.as_of_fy, r8.warnings) == ("令和8年度末", 2026, [])
    assert r8.project("3-(1)-①").grade == "b"
    assert [g.count for g in r8.grades[:3]] == [1, 2, 0]
    loans = r8.project("3-(1)-①").indicators[1]
    assert [(v.fy, v.actual) for v in loans.values][-1] == (2026, "48,000")
    ev = entry(r8, "4-(2)-⑤", "evaluation", 2026)
    assert ev.label == "令和8年度の評価と事業の課題"
    assert entry(r8, "4-(2)-⑤", "actual", 2026).text.endswith("(令和8年度も継続)")
    assert {e.fy for e in r8.project("1-(1)-④").entries if e.kind == "evaluation"} == {2026}


MALFORMED = {
    "empty": ("", "空です"),
    "no project list": ("港区図書館サービス推進計画（令和3年度～令和8年度）\nの進捗について\n\n報告内容\n", "事業一覧"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_text_that_is_not_a_report_is_refused_with_a_reason(tmp_path, name):
    text, reason = MALFORMED[name]
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=reason) as e:
        read_report(path)
    assert "bad.txt" in str(e.value)


def test_a_truncated_report_names_file_and_line(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(BUNDLED_REPORT.read_text(encoding="utf-8")[:9000], encoding="utf-8")
    with pytest.raises(ParseError, match=r"cut\.txt:\d+: .*(進捗管理票|事業数|途中で切れて)"):
        read_report(path)


def test_binary_missing_and_non_utf8_files_are_refused(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x7fELF\x00\x01")
    (tmp_path / "sjis.txt").write_bytes("図書館\n".encode("cp932"))
    for name, reason in [("bin.txt", "binary"), ("sjis.txt", "UTF-8"), ("missing.txt", "not found")]:
        with pytest.raises(ParseError, match=reason):
            read_report(tmp_path / name)


def test_a_line_that_belongs_nowhere_is_reported_with_its_line():
    text = BUNDLED_REPORT.read_text(encoding="utf-8").replace("\nその他の事業\n", "\nここは何の行でしょう\n", 1)
    report = parse_text(text, "odd.txt")
    assert report.warnings == ["odd.txt:149: どの表にも属さない行です: ここは何の行でしょう"]
