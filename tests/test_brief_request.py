"""Reading a request for a brief: whether a text asks for one, and its scope, length, register and focus."""

from __future__ import annotations

import pytest

from knowledge.brief import Audience, Focus, Length
from knowledge.brief_request import brief_for, default_resolver, read_brief_request


@pytest.mark.parametrize(
    ("text", "scope", "style", "lines", "audience", "focus"),
    [
        ("今年度のハイライト", "all", Length.LINES, None, Audience.GENERAL, Focus.HIGHLIGHTS),
        ("会議用に進捗の概要を3行で", None, Length.LINES, 3, Audience.MEETING, Focus.ALL),
        ("会議用に進捗の概要を３行で", None, Length.LINES, 3, Audience.MEETING, Focus.ALL),
        ("三行でまとめて", None, Length.LINES, 3, Audience.GENERAL, Focus.ALL),
        ("重点事業の状況まとめて", "key", Length.LINES, None, Audience.GENERAL, Focus.ALL),
        ("一言で言うと？", None, Length.ONE, 1, Audience.GENERAL, Focus.ALL),
        ("ひとことで新規事業は", "new", Length.ONE, 1, Audience.GENERAL, Focus.ALL),
        ("箇条書きで基本目標2", "goal", Length.BULLETS, None, Audience.GENERAL, Focus.ALL),
        ("施策3-(1)の数字だけ", "policy", Length.FIGURES, None, Audience.GENERAL, Focus.ALL),
        ("議会答弁用に電子書籍サービスの活用の状況", "project", Length.LINES, None, Audience.ANSWER, Focus.ALL),
        ("部長に説明したいので3-(1)-①の状況を", "project", Length.LINES, 3, Audience.REPORT, Focus.ALL),
        ("課長への報告用に要点を", None, Length.LINES, None, Audience.REPORT, Focus.ALL),
        ("遅れていることは？", None, Length.LINES, None, Audience.GENERAL, Focus.CONCERNS),
        ("うまくいったことを教えて", None, Length.LINES, None, Audience.GENERAL, Focus.HIGHLIGHTS),
        ("今年度あたらしく始めたことは？", "all", Length.LINES, None, Audience.GENERAL, Focus.NEW),
    ],
)
def test_a_request_for_a_brief_is_read(indexed, text, scope, style, lines, audience, focus):
    req = read_brief_request(text, indexed)
    assert req is not None
    assert (req.scope.kind if req.scope else None) == scope
    assert (req.style, req.lines, req.audience, req.focus) == (style, lines, audience, focus)
    assert req.cues


@pytest.mark.parametrize(
    "text", ["電子書籍の進捗は？", "報告書には何が書いてある？", "課題は？", "ブックポストは何か所？", ""]
)
def test_a_question_that_asks_for_no_brief_is_left_to_the_router(indexed, text):
    assert read_brief_request(text, indexed) is None


def test_the_routers_resolver_decides_which_projects_a_text_names(indexed):
    req = read_brief_request("宅配の状況を一言で", indexed, resolve=lambda text: ["3-(1)-③"])
    assert req.scope.ids == ("3-(1)-③",)
    assert req.build(indexed).lines[0].project_id == "3-(1)-③"


def test_without_a_resolver_full_ids_and_names_are_found_in_text_order(indexed):
    resolve = default_resolver(indexed)
    assert resolve("絵本貸出定期便の実施と3-(1)-①をまとめて") == ["2-(1)-②", "3-(1)-①"]


def test_brief_for_reads_and_builds_in_one_call(indexed):
    assert brief_for("電子書籍の進捗は？", indexed) is None
    b = brief_for("答弁用に重点事業を一言で", indexed)
    assert b.scope.kind == "key" and len(b.lines) == 1 and b.text().endswith("。")


@pytest.mark.parametrize(
    ("text", "ids"), [("電子書籍の数字だけ", ["3-(1)-①"]), ("図書館の概要", []), ("重点事業の状況まとめて", [])]
)
def test_without_a_resolver_a_word_only_one_or_two_names_hold_names_them(indexed, text, ids):
    assert default_resolver(indexed)(text) == ids


def test_a_request_with_no_scope_builds_the_default_scope_given(indexed):
    req = read_brief_request("3行でまとめて", indexed)
    assert req.build(indexed).scope.kind == "all"
    assert req.build(indexed, "重点").scope.kind == "key"
