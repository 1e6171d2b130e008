"""The glossary card: every term's lines, their provenance, valid Block Kit within limits."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block

from bot.cards import MAX_SECTION
from bot.glossary_card import glossary_messages
from knowledge.glossary import glossary


def test_the_glossary_card_shows_every_term_and_says_where_it_comes_from(indexed):
    terms = glossary(indexed)
    [message] = glossary_messages(terms, indexed)
    for block in message.blocks:
        assert Block.parse(block).to_dict() == block
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION
    text = json.dumps(message.blocks, ensure_ascii=False)
    for t in terms:
        assert t.name in text and t.source in text
    assert "報告書の定義" in text and "報告書の構成から" in text
    assert message.text.startswith(terms[0].name)
