"""The Web API client, built in one place: SLACK_API_URL when set, short timeouts, and the retries Slack
needs — in the client for what passes in a second or two, in the work queue (bot/work.py) for the rest."""

from __future__ import annotations

import http.client
import logging
import random
import threading
import time
from urllib.error import URLError

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import default_retry_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

from bot.settings import Settings

log = logging.getLogger("planbot")
TIMEOUT = 10  # seconds per Web API call: Slack answers in well under one; a hung call frees its thread
RETRY_AFTER_CAP = 3  # seconds of Retry-After slept in the client; a longer wait goes back to the work queue
# Slack's error codes that say "try again later" rather than "this request is wrong".
TRANSIENT_ERRORS = {"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"}


class Undelivered(Exception):
    """A post that Slack may accept later (429 or 5xx from a response_url); retry_after in seconds."""

    def __init__(self, message: str, retry_after: float = 0.0):
        super().__init__(message)
        self.retry_after = retry_after


class CappedRateLimitRetry(RateLimitErrorRetryHandler):
    """A 429 retried in the client only when Retry-After is short: a long one would hold an answer thread,
    so the call fails and the work queue tries again after Retry-After, with the thread free meanwhile."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return super()._can_retry(state=state, request=request, response=response, error=error) and (
            _retry_after(response.headers) <= RETRY_AFTER_CAP
        )


def retry_handlers() -> list:
    """slack_sdk's defaults (a reset connection is retried) plus 429 (a short Retry-After) and 5xx retries.

    Passing `retry_handlers=` replaces the defaults, so they are listed here again on purpose.
    """
    return [
        *default_retry_handlers(),
        CappedRateLimitRetry(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings) -> WebClient:
    """The Web API client for the bot token: GovSlack or a local stand-in via SLACK_API_URL."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        timeout=TIMEOUT,
        retry_handlers=retry_handlers(),
    )


def transient(error: BaseException) -> float | None:
    """Seconds to wait at least before trying again when Slack may recover from this failure; None when
    trying again cannot help (the request itself is wrong, or a fault of ours)."""
    if isinstance(error, Undelivered):
        return error.retry_after
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        if status == 429:
            return float(_retry_after(response.headers))
        code = response.get("error") if isinstance(response.data, dict) else None
        return 0.0 if status >= 500 or code in TRANSIENT_ERRORS else None
    if isinstance(error, (URLError, TimeoutError, ConnectionError, http.client.HTTPException, SlackClientError)):
        return 0.0
    return None


def _retry_after(headers) -> int:
    for key, value in (headers or {}).items():
        if key.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            return int(value) if str(value).isdigit() else 1
    return 1


class LazyIdentity:
    """Bolt's `authorize` for our one workspace: the bot token at once, and the bot's ids from auth.test once
    Slack answers it, fetched on a thread of its own. So HTTP mode starts, verifies, acks and queues with
    the Web API down (Bolt's own start-up calls auth.test and exits on any failure)."""

    def __init__(self, client: WebClient):
        self.client = client
        self.ids: dict[str, str] = {}
        self._fetching = threading.Lock()

    def authorize(self):
        """The function Bolt calls (it reads the parameter names, so a plain function, not a method)."""

        def authorize(enterprise_id=None, team_id=None, user_id=None) -> AuthorizeResult:
            if not self.ids and self._fetching.acquire(blocking=False):
                threading.Thread(target=self._fetch, name="planbot-auth-test", daemon=True).start()
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                   bot_token=self.client.token, bot_id=self.ids.get("bot_id"),
                                   bot_user_id=self.ids.get("user_id"))  # fmt: skip

        return authorize

    def _fetch(self) -> None:
        try:
            result = self.client.auth_test()
            self.ids = {k: result.get(k) for k in ("bot_id", "user_id", "team_id") if result.get(k)}
        except Exception as e:  # Slack unreachable: asked again with a later request
            log.warning("auth.test failed (%s): the bot's own id is not known yet", e)
            time.sleep(random.uniform(1, 3))  # spaced out: not a call per request while Slack is down
        finally:
            self._fetching.release()
