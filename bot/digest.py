"""The year-end digest: an overview message, each goal's projects in a thread reply under it, and the
indicators' charts (Slack's own data_visualization blocks: nothing to draw or upload).

Built from the knowledge index and rendered with the card templates; posted with the Web API client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from slack_sdk.errors import SlackApiError

from bot.blockkit import chart_text
from bot.cards import MAX_SECTION, Message, clip, esc, fallback, render_blocks, split
from knowledge.answer import KnowledgeBase
from knowledge.errors import PlanbotError
from knowledge.highlights import Highlight, Tone, highlights, this_year_first
from knowledge.model import Report

# How much of the sheets' news each part of the digest tells: the overview, and each goal's reply.
NEWS_IN_OVERVIEW = {Tone.HIGHLIGHT: 5, Tone.CONCERN: 3}
NEWS_PER_GOAL = {Tone.HIGHLIGHT: 4, Tone.CONCERN: 2}
JST = timezone(timedelta(hours=9), "JST")  # Minato City's time; Japan has no daylight saving
MAX_SCHEDULE_AHEAD = timedelta(days=120)  # chat.scheduleMessage's limit
SLACK_ERRORS = {
    "not_in_channel": "planbot がチャンネル {channel} に参加していません。"
    "チャンネルで `/invite @planbot` してください。",
    "channel_not_found": "チャンネル {channel} が見つかりません。チャンネル ID (例: C0123456789) を確かめてください。",
    "is_archived": "チャンネル {channel} はアーカイブされています。",
    "invalid_auth": "SLACK_BOT_TOKEN が正しくありません。",
    "not_authed": "SLACK_BOT_TOKEN が設定されていません。",
    "time_in_past": "予約時刻が過去です。",
    "time_too_far": "予約時刻が120日より先です。",
}


class DigestError(PlanbotError):
    """The digest could not be posted or scheduled; the message says why and what to do."""


@dataclass(frozen=True)
class Digest:
    """What a year-end post consists of."""

    parent: list[Message]
    threads: list[Message]  # one or more per goal, posted under the parent
    chart_title: str
    charts: list[Message]  # the indicators' charts, posted last in the thread


def build_digest(kb: KnowledgeBase) -> Digest:
    """Render the digest: the overview and one thread reply per goal."""
    answer = kb.summary()
    report = kb.report
    context = dict(a=answer, report=report, goals={g.number: g.title for g in report.goals})
    context.update(news_of(report, None, NEWS_IN_OVERVIEW))
    parent = split(render_blocks("digest.json.j2", **context), fallback(answer))
    threads: list[Message] = []
    for goal in report.goals:
        projects = [p for p in report.projects if p.goal == goal.number]
        policies = [p for p in report.policies if p.goal == goal.number]
        news = news_of(report, [p.id for p in projects], NEWS_PER_GOAL)
        blocks = render_blocks(
            "digest_goal.json.j2", goal=goal, projects=projects, policies=policies, report=report, **news
        )
        threads += split(blocks, f"基本目標{goal.number} {goal.title}（{len(projects)}事業）")
    title = f"重点事業の指標：目標と実績（{report.as_of}時点）"
    alt = chart_alt_text(report)
    charts = split(render_blocks("digest_charts.json.j2", report=report, alt=alt), clip(alt, MAX_SECTION))
    return Digest(parent, threads, title, charts)


def chart_alt_text(report) -> str:
    """What the charts show, in words: the message's text for notifications and screen readers."""
    parts = [chart_text(i) for p in report.projects for i in p.indicators]
    return f"重点事業の指標の目標と実績（{report.as_of}時点）。" + " / ".join(parts)


def news_of(report: Report, ids: list[str] | None, limits: dict[Tone, int]) -> dict[str, list[str]]:
    """The year's highlights and concerns from the sheets, as digest lines (`highlights`, `concerns`)."""
    out = {}
    for tone, key in ((Tone.HIGHLIGHT, "highlights"), (Tone.CONCERN, "concerns")):
        found = this_year_first(highlights(report, ids, tone), report.as_of_fy)[: limits[tone]]
        out[key] = [news_line(h, report) for h in found]
    return out


def news_line(h: Highlight, report: Report) -> str:
    """'• `3-(1)-③` 来館困難な利用者への資料提供：電子申請件数が約7.5倍となり、増加した。（令和7年度の評価…）'."""
    name = report.project(h.project_id).name
    return f"• `{h.project_id}` {esc(name)}：{esc(h.text)}（{esc(h.column)}）"


def parse_at(text: str, now: datetime | None = None) -> datetime:
    """Read --at 'YYYY-MM-DD HH:MM' (Japan time); refuse a time past or more than 120 days ahead."""
    try:
        at = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=JST)
    except ValueError:
        raise DigestError(
            f"--at は 'YYYY-MM-DD HH:MM' の形で指定してください (例: 2026-03-31 09:00): {text!r}"
        ) from None
    now = now or datetime.now(JST)
    if at <= now:
        raise DigestError(f"予約時刻 {text} (日本時間) は過去です。これから先の時刻を指定してください。")
    if at - now > MAX_SCHEDULE_AHEAD:
        raise DigestError(f"予約時刻 {text} は120日より先です。Slack が予約できるのは120日先までです。")
    return at


def post_digest(client, kb: KnowledgeBase, channel: str, at: datetime | None = None, chart: bool = True) -> dict:
    """Post (or schedule) the digest to a channel. Returns what was posted; raises DigestError."""
    digest = build_digest(kb)
    try:
        if at is not None:
            # A scheduled message has no ts until it is sent, so nothing can be threaded under it yet.
            ids = []
            for m in digest.parent:
                r = client.chat_scheduleMessage(
                    channel=channel, post_at=int(at.timestamp()), text=m.text, blocks=m.blocks
                )
                ids.append(r["scheduled_message_id"])
            return {"scheduled": ids, "post_at": at.isoformat()}
        first = None
        for m in digest.parent:
            r = client.chat_postMessage(channel=channel, text=m.text, blocks=m.blocks, thread_ts=first)
            first = first or r["ts"]
        replies = [
            client.chat_postMessage(channel=channel, thread_ts=first, text=m.text, blocks=m.blocks)["ts"]
            for m in digest.threads
        ]
        if chart:
            for m in digest.charts:
                replies.append(
                    client.chat_postMessage(channel=channel, thread_ts=first, text=m.text, blocks=m.blocks)["ts"]
                )
        return {"ts": first, "thread": replies}
    except SlackApiError as e:
        error = e.response.get("error", "unknown_error")
        hint = SLACK_ERRORS.get(error, "Slack がエラーを返しました。")
        raise DigestError(f"{hint.format(channel=channel)} ({error})") from None
