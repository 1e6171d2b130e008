"""What planbot says as an agent in Slack: its description, greeting and suggested prompts.

One list, read by the listeners (handlers/assistant.py); `manifest.yml` and the README carry the same
words, and tests/test_manifest.py checks that the three agree.
"""

from __future__ import annotations

from typing import NamedTuple

DESCRIPTION = "港区図書館サービス推進計画の進捗を、事業名や番号で聞いてください。"
GREETING = "こんにちは。港区図書館サービス推進計画の事業の進捗についてお答えします。事業名や番号で聞いてください。"
PROMPTS_TITLE = "たとえば"


class Prompt(NamedTuple):
    """A suggested prompt: the label shown, and the message sent when it is picked."""

    title: str
    message: str


PROMPTS: tuple[Prompt, ...] = (
    Prompt("電子書籍の進捗", "電子書籍の進捗は？"),
    Prompt("目標を下回っている指標", "目標を下回っている指標は？"),
    Prompt("全体のまとめ", "全体のまとめ"),
    Prompt("重点事業の一覧", "重点事業は？"),
)


def prompts_payload() -> list[dict[str, str]]:
    """The prompts as Slack's assistant.threads.setSuggestedPrompts takes them."""
    return [p._asdict() for p in PROMPTS]
