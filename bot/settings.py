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
    db_path: Path = field(default_factory=lambda: default_db_path({}))
    command: str = "/shinchoku"
    admins: frozenset[str] = field(default_factory=frozenset)
    state_path: Path = field(default_factory=lambda: default_state_path({}))
    log_questions: bool = True  # PLANBOT_LOG_QUESTIONS=0 turns the question log off
    log_days: int = 365  # PLANBOT_LOG_DAYS: how long logged questions are kept

    def __repr__(self) -> str:
        hidden = {"bot_token", "signing_secret", "app_token"}
        shown = ", ".join(
            f"{k}={'***' if k in hidden and v else v!r}" for k, v in self.__dict__.items() if not k.startswith("_")
        )
        return f"Settings({shown})"

    @classmethod
    def load(cls, mode: str = "cli", env: dict[str, str] | None = None, dotenv: Path | bool | None = True):
        """Read every setting once: the environment, with a `.env` file filling what it lacks (by default
        the nearest `.env`, see find_dotenv; a path: that file; None: none). `mode` says
        what must be there ('cli': nothing; 'web': the bot token; 'socket', 'http': a server's tokens);
        fail listing every problem at once."""
        values = {}
        if dotenv is True:
            dotenv = find_dotenv()
        if dotenv and Path(dotenv).is_file():
            from dotenv import dotenv_values  # only when there is a .env: `planbot ask` starts faster

            values = {k: v for k, v in dotenv_values(dotenv).items() if v is not None}
        values.update(os.environ if env is None else env)
        problems = []
        log_days = values.get("PLANBOT_LOG_DAYS", "").strip() or "365"
        if not log_days.isdigit():
            problems.append("PLANBOT_LOG_DAYS must be a whole number of days (例: 365)")
        api_url = values.get("SLACK_API_URL", "").strip()
        if api_url and not api_url.endswith("/"):
            problems.append("SLACK_API_URL must end with '/' (例: https://slack.com/api/)")
        command = values.get("PLANBOT_COMMAND", "").strip() or "/shinchoku"
        if not command.startswith("/"):
            problems.append("PLANBOT_COMMAND must start with '/' (例: /shinchoku)")
        settings = cls(
            bot_token=values.get("SLACK_BOT_TOKEN", "").strip(),
            signing_secret=values.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=values.get("SLACK_APP_TOKEN", "").strip(),
            api_url=api_url,
            db_path=default_db_path(values),
            command=command,
            admins=frozenset(a.strip() for a in values.get("PLANBOT_ADMINS", "").split(",") if a.strip()),
            state_path=default_state_path(values),
            log_questions=values.get("PLANBOT_LOG_QUESTIONS", "1").strip().lower() not in ("0", "false", "no", "off"),
            log_days=int(log_days) if log_days.isdigit() else 365,
        )
        problems = settings.missing(mode) + problems
        if problems:
            raise SettingsError("設定が足りません (missing settings): " + "; ".join(problems))
        return settings

    def missing(self, mode: str) -> list[str]:
        """What a mode needs that these settings lack, each named with what it is."""
        needed = {
            "web": [("SLACK_BOT_TOKEN", self.bot_token, "bot token (xoxb-…)")],
            "socket": [
                ("SLACK_BOT_TOKEN", self.bot_token, "bot token (xoxb-…)"),
                ("SLACK_APP_TOKEN", self.app_token, "app-level token for Socket Mode (xapp-…)"),
            ],
            "http": [
                ("SLACK_BOT_TOKEN", self.bot_token, "bot token (xoxb-…)"),
                ("SLACK_SIGNING_SECRET", self.signing_secret, "signing secret for HTTP requests"),
            ],
        }.get(mode, [])
        return [f"{name} ({what})" for name, value, what in needed if not value]

    def require(self, mode: str) -> Settings:
        """These settings, if they hold what the mode needs; else SettingsError listing what is missing."""
        if self.missing(mode):
            raise SettingsError("設定が足りません (missing settings): " + "; ".join(self.missing(mode)))
        return self


def find_dotenv(start: Path | None = None) -> Path | None:
    """The `.env` in the current folder or the nearest folder above it, as git finds its repository:
    a command run from a subfolder of the clone reads the same settings as one run from its top."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".env").is_file():
            return folder / ".env"
    return None


def default_db_path(values: dict[str, str]) -> Path:
    """PLANBOT_DB, or planbot.db in the user's cache folder (the package folder may be read-only)."""
    if values.get("PLANBOT_DB", "").strip():
        return Path(values["PLANBOT_DB"].strip()).expanduser()
    cache = Path(values.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "planbot" / "planbot.db"
