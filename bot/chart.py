"""The progress chart as a file (`planbot chart`): plan vs actual per indicator over the years, with
Japanese labels, as PNG, SVG or PDF. In Slack the charts are Slack's own (bot/blockkit.py).

matplotlib is an optional extra (`pip install 'planbot[chart]'`), imported here only, so answering
questions never pays for it. The Japanese font (IPAexGothic) comes from matplotlib-fontja.
"""

from __future__ import annotations

import io
import textwrap

from knowledge.errors import PlanbotError
from knowledge.model import Report
from knowledge.text import fy_label, parse_number

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}  # file suffix → what matplotlib writes
INSTALL = "pip install 'planbot[chart]'"


class ChartUnavailable(PlanbotError):
    """The chart cannot be drawn: the plotting extra is not installed, or the format is not one of ours."""


def chart_format(suffix: str) -> str:
    """The format a file name asks for; ChartUnavailable for one planbot does not write."""
    try:
        return FORMATS[suffix.lower()]
    except KeyError:
        kinds = " ".join(FORMATS)
        raise ChartUnavailable(
            f"グラフは {kinds} のどれかで書き出せます ({suffix or '拡張子なし'} は書けません)"
        ) from None


def chart_png(report: Report) -> bytes:
    """The chart as PNG."""
    return chart_image(report, "png")


def chart_image(report: Report, fmt: str = "png") -> bytes:
    """Draw every indicator of the key projects: bars for the plan, a line for the actual."""
    # A Figure of its own, not pyplot: pyplot's global state is not safe on Bolt's worker threads.
    try:
        import matplotlib_fontja  # noqa: F401  (registers IPAexGothic and makes it the default font)
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter
    except ImportError as e:
        raise ChartUnavailable(f"グラフを描くには matplotlib が必要です: {INSTALL} ({e.name} がありません)") from None

    indicators = [(p, i) for p in report.projects for i in p.indicators]
    cols = 3
    rows = max(1, -(-len(indicators) // cols))
    fig = Figure(figsize=(cols * 4.6, rows * 3.6))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, (project, ind) in zip(axes.flat, indicators):
        years = [fy_label(v.fy).removesuffix("年度") for v in ind.values]
        plan = [parse_number(v.plan) for v in ind.values]
        actual = [parse_number(v.actual) for v in ind.values]
        xs = range(len(years))
        ax.bar(xs, [p or 0 for p in plan], color="#c9d7e8", label="目標（年次計画・指標）")
        shown = [(x, a) for x, a in zip(xs, actual) if a is not None]
        if shown:
            ax.plot([x for x, _ in shown], [a for _, a in shown], "o-", color="#d9480f", label="実績")
            for x, a in shown:
                below = plan[x] is not None and a < plan[x]
                ax.annotate(_short(a, ind.unit), (x, a), textcoords="offset points", xytext=(0, 6), ha="center",
                            fontsize=8, color="#c92a2a" if below else "#2b8a3e")  # fmt: skip
        ax.set_xticks(list(xs), years, fontsize=8)
        title = "\n".join(textwrap.wrap(f"{project.id} {ind.name}", 18)[:2])
        ax.set_title(title, fontsize=9.5)
        ax.set_ylabel(f"単位: {ind.unit}" if ind.unit else "", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}"))  # 1,400,000, not 1.4e6
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        top = max([v for v in plan + actual if v is not None] or [1])
        ax.set_ylim(0, top * 1.18)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.suptitle(f"重点事業の指標：目標と実績（{report.as_of}時点）", fontsize=13)
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=110)
    return out.getvalue()


def _short(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:g}%"
    return f"{value:,.0f}"
