"""manifest.yml: valid YAML, within the manifest schema's rules that matter, asking for exactly the
scopes and events planbot uses, and saying what bot/agent.py and the README say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from slack_bolt.request import BoltRequest

from bot.agent import DESCRIPTION, PROMPTS
from bot.app import build_app
from bot.settings import Settings
from bot.slack_surface import EVENTS, LEGACY_EVENTS, SCOPES
from bot.state import StateStore

from slack_stub import SlackStub

ROOT = Path(__file__).parents[1]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
CODE = "\n".join(p.read_text(encoding="utf-8") for d in ("bot", "handlers") for p in (ROOT / d).glob("*.py"))

# The app manifest schema's limits for the fields planbot sets (characters).
LIMITS = [
    (("display_information", "name"), 35),
    (("display_information", "description"), 140),
    (("features", "bot_user", "display_name"), 80),
]


def test_the_manifest_is_valid_yaml_with_the_required_sections():
    assert {"display_information", "features", "oauth_config", "settings"} <= MANIFEST.keys()
    assert MANIFEST["display_information"]["name"] and MANIFEST["features"]["bot_user"]["display_name"]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", MANIFEST["display_information"]["background_color"])


@pytest.mark.parametrize(("path", "limit"), LIMITS)
def test_names_and_descriptions_fit_the_schema(path, limit):
    value = MANIFEST
    for key in path:
        value = value[key]
    assert 0 < len(value) <= limit


def test_the_slash_command_and_shortcut_fit_the_schema_and_mentions_arrive_as_ids():
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/shinchoku" and len(command["command"]) <= 32
    assert len(command["description"]) <= 2000 and len(command["usage_hint"]) <= 1000
    assert command["should_escape"] is True  # <@U…> ids, which planbot drops; unescaped, names would be logged
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["callback_id"] == "planbot_search" and shortcut["type"] == "global"
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150


def test_the_scopes_are_exactly_those_the_code_uses():
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(SCOPES)


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_every_scope_is_used(scope):
    # A use is a Web API method the code calls, an event a listener takes, or a manifest section.
    for use in SCOPES[scope]:
        assert use in CODE or use in EVENTS or use in MANIFEST["features"] or use in MANIFEST, (scope, use)


def test_the_events_are_exactly_those_the_listeners_take():
    assert sorted(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == sorted(EVENTS)


@pytest.fixture(scope="module")
def app(kb, tmp_path_factory):
    stub = SlackStub()
    settings = Settings(bot_token="xoxb-test", api_url=stub.api_url)
    state = StateStore(tmp_path_factory.mktemp("manifest") / "state.db")
    yield build_app(settings, kb, process_before_response=True, state=state)
    stub.close()


EXAMPLES = {
    "app_mention": {"type": "app_mention", "user": "U1", "text": "<@UBOT> 使い方", "ts": "1.0", "channel": "C1"},
    "message.im": {
        "type": "message",
        "channel_type": "im",
        "user": "U1",
        "text": "使い方",
        "ts": "1.0",
        "channel": "D1",
    },
    "app_home_opened": {"type": "app_home_opened", "user": "U1", "tab": "about", "channel": "D1"},
    "app_context_changed": {"type": "app_context_changed", "user": "U1", "context": {}},
    "assistant_thread_started": {
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": "1.0", "context": {}},
    },
    "assistant_thread_context_changed": {
        "type": "assistant_thread_context_changed",
        "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": "1.0", "context": {"channel_id": "C1"}},
    },
}


@pytest.mark.parametrize("name", sorted({**EVENTS, **LEGACY_EVENTS}))
def test_every_event_declared_has_a_listener(app, name, monkeypatch):
    # Nothing is posted: the listeners that would call the Web API are not what is checked here.
    monkeypatch.setattr(app.work, "accept", lambda *a, **k: None)
    body = {"type": "event_callback", "team_id": "T1", "event_id": f"Ev-{name}", "event": EXAMPLES[name]}
    response = app.dispatch(BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]}))
    assert response.status == 200, name


def test_the_agent_view_says_what_the_code_and_the_readme_say():
    agent = MANIFEST["features"]["agent_view"]
    assert "assistant_view" not in MANIFEST["features"]  # new apps can only use agent_view
    assert agent["agent_description"] == DESCRIPTION
    assert [(p["title"], p["message"]) for p in agent["suggested_prompts"]] == [tuple(p) for p in PROMPTS]
    assert len(PROMPTS) <= 4  # Slack shows at most four suggested prompts
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [listed] = re.findall(r"suggested prompts ((?:「[^」]+」)+)", readme)
    assert re.findall(r"「([^」]+)」", listed) == [p.message for p in PROMPTS]


def test_planbot_is_offered_to_slackbot_as_an_mcp_server_without_auth():
    [server] = MANIFEST["mcp_servers"].values()
    assert server["auth_type"] == "no_auth" and server["url"].startswith("https://") and server["url"].endswith("/mcp")
    assert "mcp:connect" in MANIFEST["oauth_config"]["scopes"]["bot"]
