"""The Web API client, built in one place: SLACK_API_URL when set, and every retry Slack needs."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import default_retry_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

from bot.settings import Settings


def retry_handlers() -> list:
    """slack_sdk's defaults (a reset connection is retried) plus 429 (Retry-After) and 5xx retries.

    Passing `retry_handlers=` replaces the defaults, so they are listed here again on purpose.
    """
    return [
        *default_retry_handlers(),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings) -> WebClient:
    """The Web API client for the bot token: GovSlack or a local stand-in via SLACK_API_URL."""
    return WebClient(
        token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL, retry_handlers=retry_handlers()
    )
