"""The year-end digest: its content, the thread, the chart, scheduling, the dry run and who may post."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from test_cards import check_slack_limits

from bot.chart import chart_png
from bot.cli import main
from bot.digest import JST, DigestError, build_digest, parse_at, post_digest


@pytest.fixture
def client(stub):
    return WebClient(token="xoxb-test", base_url=stub.api_url)


def text_of(messages) -> str:
    return json.dumps([m.blocks for m in messages], ensure_ascii=False)


def test_the_overview_has_period_counts_grades_indicators_highlights_and_concerns(kb):
    digest = build_digest(kb)
    text = text_of(digest.parent)
    for fact in ["令和7年度末時点", "計画期間 令和3年度～令和8年度", "43事業", "基本目標3 あらゆる人々が読書を楽しむための利便性の向上（12事業）",
                 "*a* 2事業 — 後期3年間の目標を上回って達成する見込みである。", "*c* 0事業",
                 "電子書籍貸出数", "目標 35,000件 / 実績 46,843件", "達成率 133.8%", "前年度比 +1,576件",
                 "前年度比 -1ポイント", "目標を上回った指標（3）", "目標を下回った指標（3）",
                 "• 調べ学習講座開催回数（4-(1)-②）実績 68回 / 目標 72回 · 94.4%"]:  # fmt: skip
        assert fact in text, fact


def test_each_goals_projects_go_in_a_thread_reply_with_a_menu_to_open_them(kb):
    digest = build_digest(kb)
    assert len(digest.threads) == 4
    text = text_of(digest.threads)
    for p in kb.report.projects:
        assert f"`{p.id}`" in text and f'"value": "{p.id}"' in text
    assert "planbot_open_project" in text


@pytest.mark.parametrize("report", ["kb", "kb_next"], ids=["this year", "next year"])
def test_every_digest_message_is_valid_block_kit_within_limits(request, report):
    digest = build_digest(request.getfixturevalue(report))
    for m in [*digest.parent, *digest.threads]:
        assert m.text and len(m.blocks) <= 50 and len(json.dumps(m.blocks, ensure_ascii=False)) < 12_000
        for block in m.blocks:
            assert Block.parse(block).to_dict() == block
    check_slack_limits(digest.charts)


def test_posting_puts_the_overview_first_and_everything_else_in_its_thread(kb, stub, client):
    result = post_digest(client, kb, "C9")
    posts = stub.of("chat.postMessage")
    assert len(posts) == 6 and "thread_ts" not in posts[0]
    assert all(p["thread_ts"] == result["ts"] for p in posts[1:])
    charts = [b for b in posts[-1]["blocks"] if b["type"] == "data_visualization"]
    assert len(charts) == 6 and "電子書籍貸出数" in posts[-1]["text"]  # the text says what the charts show
    assert stub.of("files.getUploadURLExternal") == [] and stub.uploads == []  # nothing to upload any more


def test_the_charts_text_names_every_indicator_with_its_figures(kb):
    [charts] = build_digest(kb).charts
    for ind in [i for p in kb.report.projects for i in p.indicators]:
        assert ind.name in charts.text
    assert "令和7年度 目標35,000件・実績46,843件" in charts.text


def test_scheduling_sends_the_overview_at_the_time(kb, stub, client):
    at = datetime.now(JST).replace(second=0, microsecond=0) + timedelta(days=3)
    result = post_digest(client, kb, "C9", at=at)
    [scheduled] = stub.of("chat.scheduleMessage")
    assert int(scheduled["post_at"]) == int(at.timestamp()) and result["scheduled"] == ["Q1"]
    assert stub.of("chat.postMessage") == []


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=JST)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-28 09:00", "過去"),
        ("2026-03-01 12:00", "過去"),
        ("2026-06-30 12:01", "120日"),
        ("3月31日", "YYYY-MM-DD"),
    ],
)
def test_a_time_past_too_far_or_malformed_is_refused(text, reason):
    with pytest.raises(DigestError, match=reason):
        parse_at(text, NOW)


def test_a_time_within_120_days_is_japan_time():
    assert parse_at("2026-06-29 09:00", NOW) == datetime(2026, 6, 29, 9, 0, tzinfo=JST)


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "ratelimited_forever"])
def test_a_slack_error_gives_a_clear_message(kb, stub, client, error):
    stub.errors["chat.postMessage"] = error
    with pytest.raises(DigestError, match=error):
        post_digest(client, kb, "C9", chart=False)


def test_the_dry_run_posts_nothing_and_needs_no_token(monkeypatch, capsys, db_path, stub):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_API_URL", stub.api_url)
    assert main(["post-summary", "--channel", "C9", "--dry-run", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "何も投稿していません" in out and "基本目標4" in out and stub.calls == []


def test_post_summary_from_the_command_line(monkeypatch, capsys, db_path, stub, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", stub.api_url)
    assert main(["post-summary", "--channel", "C9", "--no-chart", "--db", str(db_path)]) == 0
    assert len(stub.of("chat.postMessage")) == 5 and "C9 に投稿しました" in capsys.readouterr().out
    stub.errors["chat.postMessage"] = "not_in_channel"
    assert main(["post-summary", "--channel", "C9", "--no-chart", "--db", str(db_path)]) == 1
    assert "/invite @planbot" in capsys.readouterr().err


def test_summary_json_and_chart_commands(capsys, db_path, tmp_path):
    assert main(["summary", "--json", "--db", str(db_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["thread"]) == 4 and data["parent"][0]["blocks"][0]["type"] == "header"
    out = tmp_path / "chart.png"
    assert main(["chart", "--out", str(out), "--db", str(db_path)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_the_chart_is_a_png(kb):
    assert chart_png(kb.report)[:8] == b"\x89PNG\r\n\x1a\n"
