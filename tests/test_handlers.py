"""Listeners in isolation: each acks, asks knowledge once, and replies where it should."""

from __future__ import annotations

import re
from unittest.mock import Mock

import pytest

from bot.app import Seen
from bot.conversation import Conversations
from bot.settings import Settings
from handlers import actions, commands, home, messages


class FakeApp:
    """Collects what handlers register, so a listener can be called directly."""

    def __init__(self):
        self.listeners = {}

    def _keep(self, kind, key):
        def decorator(fn):
            self.listeners[(kind, key.pattern if isinstance(key, re.Pattern) else key)] = fn
            return fn

        return decorator

    def __getattr__(self, kind):
        return lambda key: self._keep(kind, key)


@pytest.fixture
def app(kb):
    fake = FakeApp()
    settings = Settings(bot_token="xoxb-test")
    messages.register(fake, Conversations(kb, None), Seen())
    commands.register(fake, kb, settings)
    actions.register(fake, kb, settings)
    home.register(fake, kb)
    return fake.listeners


def test_the_slash_command_acks_before_answering(app):
    order = []
    ack = Mock(side_effect=lambda *a, **k: order.append("ack"))
    respond = Mock(side_effect=lambda *a, **k: order.append("respond"))
    app[("command", "/shinchoku")](ack=ack, command={"text": "大使館"}, respond=respond, client=Mock())
    assert order == ["ack", "respond"]
    assert respond.call_args.kwargs["response_type"] == "ephemeral"
    assert respond.call_args.kwargs["blocks"][-1]["elements"][0]["action_id"] == "planbot_share"


def test_a_mention_is_answered_in_its_thread(app):
    say = Mock()
    app[("event", "app_mention")](event={"text": "<@UBOT> 書評合戦", "ts": "5.0", "channel": "C1"}, say=say)
    assert say.call_args.kwargs["thread_ts"] == "5.0"
    assert "2-(1)-⑤" in str(say.call_args.kwargs["blocks"])


def test_a_channel_message_that_is_not_a_dm_is_ignored(app):
    say = Mock()
    app[("event", "message")](
        event={"text": "電子書籍", "ts": "6.0", "channel": "C1", "channel_type": "channel"}, say=say
    )
    say.assert_not_called()


def test_type_ahead_acks_with_options(app):
    ack = Mock()
    app[("options", "planbot_project_select")](ack=ack, payload={"value": "ブックポスト"})
    assert ack.call_args.kwargs["options"][0]["value"] == "1-(3)-①"


def test_a_candidate_button_shows_that_project(app):
    ack, client, respond = Mock(), Mock(), Mock()
    body = {"container": {"type": "message", "message_ts": "7.0", "channel_id": "C1"}, "message": {"ts": "7.0"}}
    app[("action", r"^planbot_candidate_\d+$")](
        ack=ack, action={"value": "4-(2)-⑤"}, body=body, client=client, respond=respond
    )
    ack.assert_called_once()
    assert client.chat_postMessage.call_args.kwargs["thread_ts"] == "7.0"
    assert "大使館との連携事業の実施" in str(client.chat_postMessage.call_args.kwargs["blocks"])


def test_app_home_is_published_for_the_user(app):
    client = Mock()
    app[("event", "app_home_opened")](event={"user": "U9", "tab": "home"}, client=client)
    view = client.views_publish.call_args.kwargs["view"]
    assert (
        client.views_publish.call_args.kwargs["user_id"] == "U9"
        and view["type"] == "home"
        and len(view["blocks"]) <= 100
    )
