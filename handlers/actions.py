"""Buttons on cards: 詳細, 指標の推移, 関連事業, 「もしかして」 candidates, and チャンネルに共有."""

from __future__ import annotations

import re

from slack_sdk.errors import SlackApiError

from bot.cards import render
from handlers._reply import acked_then, follow_up
from handlers.commands import post_summary_for

NOT_IN_CHANNEL = "このチャンネルにはまだ planbot がいません。`/invite @planbot` で招待してから共有してください。"


def _shows(title: str, answer_for):
    # A factory, not default arguments: Bolt fills a listener's parameters by name.
    def show(ack, action, body, client, respond):
        ack()
        follow_up(body, client, respond, answer_for(action["value"]), title)

    return show


def register(app, kb, settings) -> None:
    """Listen for the card buttons (their work runs after the ack, on the work queue's task threads)."""
    later = acked_then(app.work.background)

    # Buttons whose value is a project id and whose answer follows the card: action → (title, answer).
    follow_ups = {
        "planbot_detail": ("詳細", lambda pid: render(kb.project_card(pid), detail=True)),
        "planbot_trend": ("指標の推移", lambda pid: render(kb.trend(pid))),
        "planbot_related": ("関連事業", lambda pid: render(kb.related(pid))),
        re.compile(r"^planbot_candidate_\d+$"): ("もしかして", lambda pid: render(kb.project_card(pid))),
    }
    for action_id, (title, answer_for) in follow_ups.items():
        app.action(action_id)(later(_shows(title, answer_for)))

    @app.action("planbot_open_project")
    @later
    def open_project_from_digest(ack, action, body, client, respond):
        ack()
        chosen = action["selected_option"]["value"]
        follow_up(body, client, respond, render(kb.project_card(chosen)), "事業の進捗")

    @app.action("planbot_post_summary")
    @later
    def post_summary(ack, body, client, respond):
        ack()
        said = post_summary_for(body["user"]["id"] in settings.admins, body["channel"]["id"], kb, client)
        respond(text=said, response_type="ephemeral", replace_original=False)

    @app.action("planbot_share")
    @later
    def share_to_channel(ack, action, body, client, respond):
        ack()
        user = body["user"]["id"]
        channel = body["channel"]["id"]
        messages = render(kb.answer(action["value"]))
        shared = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"<@{user}> さんが共有しました"}]}
        try:
            for m in messages:
                client.chat_postMessage(channel=channel, text=m.text, blocks=[*m.blocks, shared])
        except SlackApiError as e:
            if e.response.get("error") not in ("not_in_channel", "channel_not_found"):
                raise
            respond(text=NOT_IN_CHANNEL, response_type="ephemeral", replace_original=False)
            return
        respond(text="チャンネルに共有しました。", response_type="ephemeral", replace_original=True)
