"""The direct answer: one to three plain sentences that answer the question itself (docs/design.md §3–4).

Every figure is the report's own string with its unit; computed figures (changes, counts) are
derived from those strings; quoted sentences are verbatim passages.
"""

from __future__ import annotations

from knowledge.figures import Change, IndicatorStatus, lead_indicator, status
from knowledge.model import ENTRY_KINDS, IndicatorValue, Project, Report
from knowledge.passages import Passage
from knowledge.text import fy_label, parse_number

MAX_LISTED = 8  # projects or indicators named in one answer; the card lists them all


def figure(raw: str, unit: str) -> str:
    """A published figure with its unit ('1,368,052' 冊 → '1,368,052冊'); '—' when empty."""
    if not raw:
        return "—"
    return raw if not unit or raw.endswith(unit) else f"{raw}{unit}"


def gap_sentence(ind_name: str, unit: str, plan: IndicatorValue, actual: IndicatorValue) -> str:
    """How far an actual is from a target: 「目標まであと452冊です」 or 「目標を11,843件上回っています」."""
    target, done = parse_number(plan.plan), parse_number(actual.actual)
    if target is None or done is None:
        return ""
    said = f"（{fy_label(actual.fy)}の実績{figure(actual.actual, unit)}、"
    said += f"{fy_label(plan.fy)}の目標{figure(plan.plan, unit)}）"
    if done >= target:
        return f"{ind_name}は目標を{amount(done - target, unit)}上回っています{said}。"
    if plan.fy > actual.fy:  # a later year's target: still ahead
        return f"{ind_name}は目標まであと{amount(target - done, unit)}です{said}。"
    return f"{ind_name}は目標を{amount(target - done, unit)}下回りました{said}。"


def ratio_sentence(ind_name: str, unit: str, before: IndicatorValue, after: IndicatorValue) -> str:
    """How many times an actual grew between two years: 「約1.94倍です」."""
    a, b = parse_number(after.actual), parse_number(before.actual)
    if a is None or not b:
        return ""
    return (
        f"{ind_name}は{fy_label(before.fy)}の{figure(before.actual, unit)}から{fy_label(after.fy)}の"
        f"{figure(after.actual, unit)}へ、約{a / b:.2f}倍です。"
    )


def amount(delta: float, unit: str) -> str:
    """A computed difference without sign, with the unit: 14,428冊, 1ポイント (for %)."""
    size = abs(delta)
    text = f"{size:,.1f}".rstrip("0").rstrip(".") if size % 1 else f"{size:,.0f}"
    return f"{text}ポイント" if unit == "%" else f"{text}{unit}"


def project_title(p: Project) -> str:
    """'3-(1)-① 電子書籍サービスの活用'."""
    return f"{p.id} {p.name}"


def status_line(p: Project, report: Report, grades: dict[str, str]) -> str:
    """The one-line status of a project (a bare topic): grade and the latest figures, or the latest actual."""
    if p.grade:
        meaning = grades.get(p.grade, "").rstrip("。")
        line = f"{project_title(p)}は進捗 {p.grade}（{meaning}）です（{report.as_of}時点）。"
        # The grade with the figure behind it: how a key project is doing is its lead indicator too.
        lead = lead_indicator(p)
        s = (status(p, lead, report.as_of_fy) or status(p, lead)) if lead is not None else None
        return line + indicator_sentence(s) if s is not None and s.value.actual else line
    latest = [e for e in p.entries if e.kind == "actual" and e.text.strip() not in ("", "-")]
    if latest:
        e = max(latest, key=lambda e: (e.fy or 0, -e.row))
        return f"{project_title(p)}の{fy_label(e.fy) if e.fy else ''}の実績: {e.text}"
    return f"{project_title(p)}（{report.as_of}時点）。"


def indicator_sentence(s: IndicatorStatus, part: str = "actual") -> str:
    """'令和5年度の電子書籍所蔵タイトル数は6,691冊です（目標 7,500冊、達成率 89.2%）。' — plan or actual first."""
    ind, v = s.indicator, s.value
    year = fy_label(v.fy)
    rate = f"、達成率 {s.achievement}%" if s.achievement is not None else ""
    if part == "plan":
        actual = f"（実績 {figure(v.actual, ind.unit)}{rate}）" if v.actual else "（実績はまだ記載がありません）"
        return f"{year}の{ind.name}の目標は{figure(v.plan, ind.unit)}です{actual}。"
    if part == "achievement" and s.achievement is not None:
        return (
            f"{year}の{ind.name}の達成率は{s.achievement}%です"
            f"（実績 {figure(v.actual, ind.unit)} / 目標 {figure(v.plan, ind.unit)}）。"
        )
    if not v.actual:
        return f"{year}の{ind.name}の実績は、報告書にまだ記載がありません（目標 {figure(v.plan, ind.unit)}）。"
    return f"{year}の{ind.name}は{figure(v.actual, ind.unit)}です（目標 {figure(v.plan, ind.unit)}{rate}）。"


def target_judgement(s: IndicatorStatus, asked_below: bool) -> str:
    """はい/いいえ for 「目標を達成した？」「下回っている？」, with the figures."""
    ind, v = s.indicator, s.value
    reached = not s.below
    yes = reached != asked_below
    verb = "目標を達成しています" if reached else "目標を下回っています"
    rate = f"（達成率 {s.achievement}%）" if s.achievement is not None else ""
    return (
        f"{'はい' if yes else 'いいえ'}。{fy_label(v.fy)}の{ind.name}は{figure(v.actual, ind.unit)}で、"
        f"目標の{figure(v.plan, ind.unit)}に対し{verb}{rate}。"
    )


def change_sentence(c: Change, yesno_direction: str = "") -> str:
    """'令和7年度の電子書籍貸出数は46,843件で、令和6年度の45,267件から1,576件増えました（+3.5%）。'."""
    unit = c.indicator.unit
    if c.delta == 0:
        moved = "から変わっていません"
    else:
        verb = "増えました" if c.delta > 0 else "減りました"
        pct = f"（{c.percent:+.1f}%）" if c.percent is not None and unit != "%" else ""
        moved = f"から{amount(c.delta, unit)}{verb}{pct}"
    lead = ""
    if yesno_direction:
        went = "up" if c.delta > 0 else "down" if c.delta < 0 else ""
        lead = "はい。" if went == yesno_direction else "いいえ。"
    return (
        f"{lead}{fy_label(c.after.fy)}の{c.indicator.name}は{figure(c.after.actual, unit)}で、"
        f"{fy_label(c.before.fy)}の{figure(c.before.actual, unit)}{moved}。"
    )


def changes_list(changes: list[Change], direction: str, base_fy: int, fy: int) -> str:
    """'令和6年度から令和7年度に増えた指標は2件です: 電子書籍所蔵タイトル数（+663冊）、…'."""
    word = "増えた（改善した）" if direction == "up" else "減った（悪化した）"
    head = f"{fy_label(base_fy)}から{fy_label(fy)}に実績が{word}指標は{len(changes)}件です"
    if not changes:
        return head + "。"
    items = "、".join(
        f"{c.indicator.name}（{figure(c.before.actual, unit)} → {figure(c.after.actual, unit)}）"
        for c in changes[:MAX_LISTED]
        for unit in [c.indicator.unit]
    )
    return f"{head}: {items}。"


def trend_sentence(ind) -> str:
    """'応募作品数の推移: 令和5年度 982作品（目標 1,200作品）、…、令和8年度 目標 1,500作品。'."""
    years = []
    for v in ind.values:
        if v.actual:
            years.append(f"{fy_label(v.fy)} {figure(v.actual, ind.unit)}（目標 {figure(v.plan, ind.unit)}）")
        elif v.plan:
            years.append(f"{fy_label(v.fy)} 目標 {figure(v.plan, ind.unit)}")
    return f"{ind.name}の推移: {'、'.join(years)}。"


def biggest_change(changes: list[Change], direction: str) -> str:
    """'前年度から最も伸びた指標は電子書籍所蔵タイトル数で、7,885冊 → 8,548冊（+8.4%）です。'."""
    word = "伸びた" if direction == "up" else "下がった"
    if not changes:
        return "前年度と比べられる指標がありません。"
    c = changes[0]
    unit = c.indicator.unit
    return (
        f"前年度から最も{word}指標は{c.indicator.name}（{c.project.id}）で、"
        f"{fy_label(c.before.fy)} {figure(c.before.actual, unit)} → "
        f"{fy_label(c.after.fy)} {figure(c.after.actual, unit)}（{c.percent:+.1f}%）です。"
    )


def ranking_sentence(ranked: list[IndicatorStatus], low: bool) -> str:
    """'達成率が最も高い指標は電子書籍貸出数（3-(1)-①）で133.8%です（…）。'."""
    if not ranked:
        return "達成率を計算できる指標がありません。"
    s = ranked[0]
    ind, v = s.indicator, s.value
    which = "低い" if low else "高い"
    return (
        f"{fy_label(v.fy)}の達成率が最も{which}指標は{ind.name}（{s.project.id}）で、{s.achievement}%です"
        f"（実績 {figure(v.actual, ind.unit)} / 目標 {figure(v.plan, ind.unit)}）。"
    )


def statuses_list(title: str, statuses: list[IndicatorStatus]) -> str:
    """'目標を下回っている指標は3件です: 蔵書に満足している利用者の割合（77% / 目標 88%）、…'."""
    if not statuses:
        return f"{title}はありません。"
    items = "、".join(
        _versus(s) + (f"、{s.achievement}%" if s.achievement is not None else "") + "）" for s in statuses[:MAX_LISTED]
    )
    return f"{title}は{len(statuses)}件です: {items}。"


def _versus(s: IndicatorStatus) -> str:
    unit = s.indicator.unit
    return f"{s.indicator.name}（{figure(s.value.actual, unit)} / 目標 {figure(s.value.plan, unit)}"


def project_list(title: str, projects: list[Project]) -> str:
    """'重点の事業は3事業です: 1-(1)-④ …、3-(1)-① …、4-(1)-② …。'."""
    if not projects:
        return f"{title}はありません。"
    names = "、".join(project_title(p) + (f"（進捗{p.grade}）" if p.grade else "") for p in projects[:MAX_LISTED])
    more = f" ほか{len(projects) - MAX_LISTED}事業" if len(projects) > MAX_LISTED else ""
    return f"{title}は{len(projects)}事業です: {names}{more}。"


def count_sentence(what: str, total: str, breakdown: list[tuple[str, str]] = ()) -> str:
    """'基本目標3の事業は12事業です。', or per filter value:
    '基本目標1は9事業、基本目標2は10事業で、合わせて19事業です。'."""
    if len(breakdown) > 1:
        parts = "、".join(f"{label}は{k}" for label, k in breakdown)
        return f"{parts}で、合わせて{total}です。"
    return f"{what}は{total}です。"


def quote(p: Passage, project: Project) -> str:
    """'1-(3)-① 資料の受取及び返却方法の拡充の「今後の取組」に「区内22か所…」とあります。'."""
    label = p.label or ENTRY_KINDS.get(p.kind, "")
    row = f"（{p.row}行目）" if p.row > 1 else ""
    return f"{project_title(project)}の「{label}」{row}に「{p.text}」とあります。"


def fact_sentence(span: str, p: Passage, project: Project) -> str:
    """The answering span first, then the sentence it comes from."""
    return (f"{span}です。" if span else "") + quote(p, project)


def missing(what: str, close: str = "") -> str:
    """'報告書には「予算」の記載はありません。' with what is close, if anything."""
    near = f"近い内容: {close}" if close else ""
    return f"報告書には{what}の記載はありません。{near}".strip()
