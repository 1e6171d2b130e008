"""Settings come from the environment (a .env fills gaps), fail fast listing what is missing, never show secrets."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError

FULL = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s3cret"}


@pytest.mark.parametrize(
    ("mode", "env", "missing"),
    [
        ("socket", {}, ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]),
        ("http", {"SLACK_BOT_TOKEN": "xoxb-1"}, ["SLACK_SIGNING_SECRET"]),
        ("web", {}, ["SLACK_BOT_TOKEN"]),
    ],
)
def test_missing_settings_are_all_listed(mode, env, missing, tmp_path):
    with pytest.raises(SettingsError) as e:
        Settings.load(mode, env=env, dotenv=tmp_path / "none")
    for name in missing:
        assert name in str(e.value)


def test_a_dotenv_file_fills_what_the_environment_lacks(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        '# comment\nexport SLACK_BOT_TOKEN="xoxb-file"\nSLACK_APP_TOKEN=xapp-file\nPLANBOT_ADMINS=U1, U2\n'
    )
    s = Settings.load("socket", env={"SLACK_APP_TOKEN": "xapp-env"}, dotenv=dotenv)
    assert (s.bot_token, s.app_token, s.admins, s.command) == ("xoxb-file", "xapp-env", {"U1", "U2"}, "/shinchoku")


def test_secrets_are_never_shown(tmp_path):
    text = repr(Settings.load("http", env=FULL, dotenv=tmp_path / "none"))
    assert "xoxb-1" not in text and "s3cret" not in text and "xapp-1" not in text


@pytest.mark.parametrize(
    ("name", "value"), [("SLACK_API_URL", "http://127.0.0.1:9/api"), ("PLANBOT_COMMAND", "shinchoku")]
)
def test_malformed_settings_are_refused(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.load("socket", env={**FULL, name: value}, dotenv=tmp_path / "none")


def test_there_is_no_app_at_import_time():
    import bot.app

    assert not hasattr(bot.app, "app")
