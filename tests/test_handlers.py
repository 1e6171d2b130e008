"""Listeners in isolation: each acks, asks knowledge once, and replies where it should."""

from __future__ import annotations

import re
from unittest.mock import Mock

import pytest
from slack_sdk import WebClient

from bot.conversation import Conversations
from bot.feedback import QuestionLog
from bot.settings import Settings
from handlers import actions, commands, home, messages


class FakeApp:
    """Collects what handlers register, so a listener (or a middleware) can be called directly."""

    def __init__(self):
        self.listeners = {}
        self.middlewares = []
        self.client = Mock(spec=WebClient)

    def middleware(self, fn):
        self.middlewares.append(fn)
        return fn

    def use(self, middleware):
        pass

    def _keep(self, kind, key):
        def decorator(fn):
            self.listeners[(kind, key.pattern if isinstance(key, re.Pattern) else key)] = fn
            return fn

        return decorator

    def __getattr__(self, kind):
        return lambda key: self._keep(kind, key)


class FakeQueue:
    """Records accepted work; the test runs it."""

    def __init__(self):
        self.kinds, self.accepted, self.closing = {}, [], False

    def register(self, kind, run):
        self.kinds[kind] = run

    def accept(self, work_id, kind, payload):
        self.accepted.append((work_id, kind, payload))
        return True

    def background(self, task):
        task()  # a listener's work after its ack: run here, so the test sees what it posted

    def run_all(self):
        for _, kind, payload in self.accepted:
            self.kinds[kind](payload)


@pytest.fixture
def fake(kb):
    fake = FakeApp()
    fake.queue = fake.work = FakeQueue()
    settings = Settings(bot_token="xoxb-test")
    log = QuestionLog(None)
    messages.register(fake, fake.queue, Conversations(kb, None), None, log)
    commands.register(fake, fake.queue, kb, settings, log)
    actions.register(fake, kb, settings)
    home.register(fake, kb, settings, log)
    return fake


@pytest.fixture
def app(fake):
    return fake.listeners


def through_middleware(fake, body):
    """What the app's middleware answers for a request body: (response or None, next called)."""
    for middleware in fake.middlewares:
        response = middleware(body=body, next=Mock(return_value="next"))
        if response != "next":
            return response, False
    return None, True


def test_the_slash_command_is_acked_empty_at_once_and_answered_through_its_response_url(fake, monkeypatch):
    body = {"command": "/shinchoku", "text": "大使館", "response_url": "https://hooks/x", "trigger_id": "T1"}
    response, passed_on = through_middleware(fake, body)
    assert (response.status, response.body, passed_on) == (200, "", False)
    [(work_id, kind, _)] = fake.queue.accepted
    assert (work_id, kind) == ("command:T1", "command")
    respond = Mock()
    monkeypatch.setattr(commands, "responder", lambda url: respond)
    fake.queue.run_all()
    assert respond.call_args.kwargs["response_type"] == "ephemeral"
    assert respond.call_args.kwargs["blocks"][-1]["elements"][0]["action_id"] == "planbot_share"


def test_a_mention_is_accepted_then_answered_in_its_thread(fake):
    body = {"type": "event_callback", "event": {"type": "app_mention", "text": "<@UBOT> 書評合戦", "ts": "5.0",
                                                "channel": "C1", "user": "U1"}}  # fmt: skip
    response, _ = through_middleware(fake, body)
    assert response.status == 200 and fake.queue.accepted[0][0] == "message:C1:5.0"
    fake.queue.run_all()
    posted = fake.client.chat_postMessage.call_args.kwargs
    assert posted["thread_ts"] == "5.0" and "2-(1)-⑤" in str(posted["blocks"])


def test_a_channel_message_that_is_not_a_dm_is_passed_on_unanswered(fake):
    body = {"type": "event_callback", "event": {"type": "message", "text": "電子書籍", "ts": "6.0", "channel": "C1",
                                                "channel_type": "channel"}}  # fmt: skip
    response, passed_on = through_middleware(fake, body)
    assert response is None and passed_on and fake.queue.accepted == []


def test_a_message_in_the_messages_tab_is_answered_in_the_thread_under_it_with_status(fake):
    dm = {"type": "message", "channel_type": "im", "user": "U1", "text": "ブックポスト", "ts": "8.0", "channel": "D1"}
    through_middleware(fake, {"type": "event_callback", "event": dm})
    through_middleware(fake, {"type": "event_callback", "event": {**dm, "ts": "8.1", "thread_ts": "8.0"}})
    fake.queue.run_all()
    first, second = fake.client.chat_postMessage.call_args_list
    assert first.kwargs["thread_ts"] == "8.0" and second.kwargs["thread_ts"] == "8.0"
    statuses = fake.client.assistant_threads_setStatus.call_args_list
    assert [s.kwargs["status"] for s in statuses] == ["調べています…"] * 2


def test_a_button_that_fails_after_its_ack_tells_the_user_and_does_not_raise(app):
    ack, client, respond = Mock(), Mock(spec=WebClient), Mock()
    client.chat_postMessage.side_effect = RuntimeError("Slack is down")
    body = {"container": {"type": "message", "message_ts": "7.0", "channel_id": "C1"}, "message": {"ts": "7.0"},
            "channel": {"id": "C1"}, "user": {"id": "U1"}}  # fmt: skip
    app[("action", "planbot_detail")](ack=ack, action={"value": "3-(1)-①"}, body=body, client=client, respond=respond)
    ack.assert_called_once()
    assert client.chat_postEphemeral.call_args.kwargs["user"] == "U1"


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
