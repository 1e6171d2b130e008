"""The slash command (/shinchoku by default): an ephemeral answer with a 「チャンネルに共有」 button."""

from __future__ import annotations

from bot.cards import clip, render

HELP_WORDS = {"", "help", "ヘルプ", "使い方", "?", "？"}


def share_button(question: str) -> dict:
    """The actions block that posts the same answer to the channel."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "planbot_share",
                "text": {"type": "plain_text", "text": "チャンネルに共有"},
                "value": clip(question, 2000),
            }
        ],
    }


def register(app, kb, settings) -> None:
    """Listen for the slash command."""

    @app.command(settings.command)
    def answer_command(ack, command, respond):
        ack()
        text = command.get("text", "").strip()
        answer = kb.answer("使い方" if text.lower() in HELP_WORDS else text)
        messages = render(answer)
        for i, m in enumerate(messages):
            last = i == len(messages) - 1
            blocks = m.blocks + [share_button(text)] if last and answer.intent != "help" else m.blocks
            respond(text=m.text, blocks=blocks, response_type="ephemeral")
