"""The year-end digest tells the year: the sheets' highlights and concerns, grouped by goal, within limits."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from bot.cards import MAX_BLOCKS, MAX_HEADER, MAX_SECTION
from bot.digest import NEWS_IN_OVERVIEW, NEWS_PER_GOAL, build_digest
from knowledge.highlights import Tone, highlights, this_year_first


@pytest.fixture(scope="module", params=["this year", "next year"])
def any_kb(request, kb, kb_next):
    return kb if request.param == "this year" else kb_next


def text_of(messages) -> str:
    return json.dumps([m.blocks for m in messages], ensure_ascii=False)


@pytest.mark.parametrize("tone", list(Tone))
def test_the_overview_tells_the_top_highlights_and_concerns(any_kb, tone):
    report = any_kb.report
    text = text_of(build_digest(any_kb).parent)
    top = this_year_first(highlights(report, tone=tone), report.as_of_fy)[: NEWS_IN_OVERVIEW[tone]]
    assert top
    for h in top:
        assert json.dumps(h.text, ensure_ascii=False)[1:-1] in text
    assert "今年度のハイライト" in text and "課題・遅れ" in text


def test_each_goals_reply_tells_the_news_of_its_own_projects(any_kb):
    report = any_kb.report
    digest = build_digest(any_kb)
    for goal, message in zip(report.goals, digest.threads):
        ids = [p.id for p in report.projects if p.goal == goal.number]
        text = text_of([message])
        for tone in Tone:
            for h in this_year_first(highlights(report, ids, tone), report.as_of_fy)[: NEWS_PER_GOAL[tone]]:
                assert h.project_id in ids and json.dumps(h.text, ensure_ascii=False)[1:-1] in text


def test_the_digest_stays_within_block_kit_limits(any_kb):
    digest = build_digest(any_kb)
    assert len(digest.parent) == 1 and len(digest.threads) == len(any_kb.report.goals)
    for m in [*digest.parent, *digest.threads]:
        assert len(m.blocks) <= MAX_BLOCKS and len(json.dumps(m.blocks, ensure_ascii=False)) < 12_000
        for block in m.blocks:
            assert Block.parse(block).to_dict() == block
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= MAX_HEADER
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION


def test_the_dry_run_shows_the_highlights(capsys, db_path):
    from bot.cli import main

    assert main(["post-summary", "--channel", "C9", "--dry-run", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "今年度のハイライト" in out and "この1年の動き" in out and "約7.5倍" in out
