"""Whatever anyone types, the reply is valid Block Kit within Slack's limits and pings no one.

Slack's limits are written out here (https://api.slack.com/reference/block-kit), not imported from
the code under test, so a wrong constant in the code cannot make this pass.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from test_cards import NATIVE_DATA

from bot.cards import render

BLOCKS_PER_MESSAGE = 50
HEADER_TEXT = 150
SECTION_TEXT = 3000
FIELDS = 10
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
MESSAGE_TEXT_BUDGET = 13_000  # Slack rejects messages somewhere past ~11–13k characters of block text

# Words of the report and Slack markup, mixed with anything at all.
PIECES = st.sampled_from(
    ["電子書籍", "の進捗は？", "去年", "と", "ブックポスト", "何か所", "<!channel>", "<@U123>", "<https://x|y>",
     "&", "*", "`", "一番", "100%", "令和9年度", "3-(1)-①", "予算", "いつから", "ー", "\\n", "　"]
)  # fmt: skip
QUESTIONS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=12).map("".join))


def check(block: dict) -> None:
    kind = block["type"]
    if kind in NATIVE_DATA:  # Slack's data blocks: checked by their own limits
        NATIVE_DATA[kind](block)
        return
    assert Block.parse(block).to_dict() == block  # slack_sdk's own validation of field limits
    if kind == "header":
        assert len(block["text"]["text"]) <= HEADER_TEXT
    if kind == "section":
        assert 0 < len(block.get("text", {}).get("text", "x")) <= SECTION_TEXT
        assert len(block.get("fields", [])) <= FIELDS
    if kind == "context":
        assert len(block["elements"]) <= CONTEXT_ELEMENTS
    if kind == "actions":
        assert len(block["elements"]) <= ACTIONS_ELEMENTS
        for e in block["elements"]:
            if e["type"] == "button":
                assert len(e["text"]["text"]) <= BUTTON_TEXT and len(e.get("value", "")) <= BUTTON_VALUE


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTIONS)
def test_any_text_renders_valid_block_kit_within_slacks_limits(kb, question):
    for message in render(kb.answer(question)):
        assert message.text and len(message.blocks) <= BLOCKS_PER_MESSAGE
        assert len(json.dumps(message.blocks, ensure_ascii=False)) <= MESSAGE_TEXT_BUDGET
        for block in message.blocks:
            check(block)
        shown = json.dumps(message.blocks, ensure_ascii=False) + message.text
        for markup in ("<!channel>", "<@U123>", "<https://x|y>"):
            assert markup not in shown  # escaped: typing it cannot ping anyone or forge a link
