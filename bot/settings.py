"""Settings, read once from the environment; a `.env` file fills in what the environment lacks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.state import default_state_path
from knowledge.errors import PlanbotError


class SettingsError(PlanbotError):
    """A required setting is missing or malformed; the message lists every problem."""


@dataclass(frozen=True)
class Settings:
    """Everything the Slack side needs. Secrets are never printed (see __repr__)."""

    bot_token: str
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = ""
    db_path: Path | None = None
    command: str = "/shinchoku"
    admins: frozenset[str] = field(default_factory=frozenset)
    state_path: Path = field(default_factory=default_state_path)

    def __repr__(self) -> str:
        hidden = {"bot_token", "signing_secret", "app_token"}
        shown = ", ".join(
            f"{k}={'***' if k in hidden and v else v!r}" for k, v in self.__dict__.items() if not k.startswith("_")
        )
        return f"Settings({shown})"

    @classmethod
    def load(cls, mode: str = "socket", env: dict[str, str] | None = None, dotenv: Path | None = Path(".env")):
        """Read the settings for a mode ('socket', 'http', 'web': Web API only, 'cli': no Slack at all);
        fail listing what is missing."""
        values = dict(read_dotenv(dotenv)) if dotenv else {}
        values.update(os.environ if env is None else env)
        required = {} if mode == "cli" else {"SLACK_BOT_TOKEN": "bot token (xoxb-…)"}
        if mode == "socket":
            required["SLACK_APP_TOKEN"] = "app-level token for Socket Mode (xapp-…)"
        if mode == "http":
            required["SLACK_SIGNING_SECRET"] = "signing secret for HTTP requests"
        problems = [f"{name} ({what})" for name, what in required.items() if not values.get(name, "").strip()]
        api_url = values.get("SLACK_API_URL", "").strip()
        if api_url and not api_url.endswith("/"):
            problems.append("SLACK_API_URL must end with '/' (例: https://slack.com/api/)")
        command = values.get("PLANBOT_COMMAND", "").strip() or "/shinchoku"
        if not command.startswith("/"):
            problems.append("PLANBOT_COMMAND must start with '/' (例: /shinchoku)")
        if problems:
            raise SettingsError("設定が足りません (missing settings): " + "; ".join(problems))
        db = values.get("PLANBOT_DB", "").strip()
        return cls(
            bot_token=values.get("SLACK_BOT_TOKEN", "").strip(),
            signing_secret=values.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=values.get("SLACK_APP_TOKEN", "").strip(),
            api_url=api_url,
            db_path=Path(db).expanduser() if db else None,
            command=command,
            admins=frozenset(a.strip() for a in values.get("PLANBOT_ADMINS", "").split(",") if a.strip()),
            state_path=default_state_path(values),
        )


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments, blank lines, `export` and quotes allowed)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    out = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key.strip()] = value
    return out
