"""`planbot brief` on the command line and the brief card Slack gets."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block

from bot.brief_card import brief_messages
from bot.cards import MAX_HEADER, MAX_SECTION
from bot.cli import main
from knowledge.brief import Audience, Length, brief


@pytest.mark.parametrize(
    ("argv", "head"),
    [
        (["重点", "--lines", "3", "--for", "答弁"], "【答弁用】重点事業の進捗"),
        (["基本目標2", "--for", "会議"], "【会議用】基本目標2"),
        (["3-(1)-①", "--style", "一言"], "3-(1)-① 電子書籍サービスの活用の進捗"),
        ([], "計画全体の進捗"),
    ],
)
def test_the_brief_command_prints_the_plain_text(capsys, db_path, argv, head):
    assert main(["brief", *argv, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(head) and "（出典：" in out


def test_the_brief_as_json_has_each_lines_source_and_the_blocks(capsys, db_path):
    assert main(["brief", "3-(1)-①", "--lines", "3", "--json", "--db", str(db_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["lines"]) == 3 and data["lines"][0]["project_id"] == "3-(1)-①"
    assert data["plain"] and data["blocks"][0]["type"] == "header"


def test_a_scope_that_names_nothing_is_one_line_and_exit_1(capsys, db_path):
    assert main(["brief", "存在しない事業xyz", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("planbot: ") and err.count("\n") == 1


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("scope", ["全体", "重点", "基本目標4", "4-(1)-②"])
def test_the_brief_card_is_valid_block_kit_with_a_copy_block(indexed, scope, audience):
    b = brief(indexed, scope, style=Length.BULLETS, audience=audience)
    [message] = brief_messages(b)
    for block in message.blocks:
        assert Block.parse(block).to_dict() == block
    header, *_, copy = message.blocks
    assert len(header["text"]["text"]) <= MAX_HEADER
    assert copy["text"]["text"].startswith("*コピー用*\n```") and len(copy["text"]["text"]) <= MAX_SECTION
    assert b.lines[0].text.replace("&", "&amp;") in copy["text"]["text"]
    assert message.text


def test_the_card_escapes_what_the_report_says(indexed):
    [message] = brief_messages(brief(indexed, "4-(1)-②", style=Length.BULLETS))
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert "<!" not in text and "<@" not in text
