"""What a request to /slack/events must pass before Bolt reads it: Slack's signature, then its shape.

Each check answers with the body as Slack meant it, or a `Refusal` (the HTTP status and the reason).
Nothing here raises on any input: odd timestamps and signatures are refused 401, odd bodies 400, so
no request can reach a traceback. Every refusal is logged, at most one line per reason per
`Refusals.every` seconds (with how many were folded into it), so a flood of forged requests or a
server clock that is off shows in the log without filling it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("planbot")
MAX_AGE = 5 * 60  # seconds: an older (or newer) timestamp is a replay, or a clock that is off
MAX_DEPTH = 32  # Slack's payloads nest a dozen levels at most; deeper is not Slack's
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would take '²' or 5,000 digits
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a lone surrogate (JSON's \ud800) cannot be stored or sent
# Fields Bolt and the handlers read, by where they sit, with the JSON type each must have when present.
_TOP = {"event": dict, "user": dict, "channel": dict, "container": dict, "view": dict, "message": dict,
        "team": dict, "actions": list, "type": str, "event_id": str, "command": str, "text": str,
        "response_url": str, "trigger_id": str, "user_id": str, "channel_id": str}  # fmt: skip
_EVENT = {"type": str, "text": str, "ts": str, "thread_ts": str, "channel": str, "user": str, "channel_type": str,
          "subtype": str, "bot_id": str, "tab": str}  # fmt: skip
_ACTION = {"action_id": str, "value": str, "block_id": str, "selected_option": dict}


@dataclass(frozen=True)
class Refusal:
    """A request turned away: the HTTP status, and why (for the log; the response says little)."""

    status: str
    reason: str
    detail: str = ""


class Refusals:
    """Logs refusals, one line per reason per `every` seconds, counting the ones folded into it."""

    def __init__(self, every: float = 10.0, clock=time.monotonic):
        self.every = every
        self.clock = clock
        self._last: dict[str, float] = {}
        self._folded: dict[str, int] = {}
        self._lock = threading.Lock()

    def note(self, refusal: Refusal) -> None:
        """Log one refusal, unless its reason was logged less than `every` seconds ago."""
        now = self.clock()
        with self._lock:
            if now - self._last.get(refusal.reason, -self.every) < self.every:
                self._folded[refusal.reason] = self._folded.get(refusal.reason, 0) + 1
                return
            self._last[refusal.reason] = now
            folded = self._folded.pop(refusal.reason, 0)
        more = f"; {folded} more since the last line" if folded else ""
        detail = f" ({refusal.detail})" if refusal.detail else ""
        log.warning("refused a request: %s %s%s%s", refusal.status.split()[0], refusal.reason, detail, more)


def verify(secret: str, body: bytes, timestamp: str, signature: str, now: float | None = None) -> Refusal | str:
    """The body as text if Slack signed it in the last five minutes; else the refusal."""
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return Refusal("401 Unauthorized", "missing or malformed signature headers")
    skew = (time.time() if now is None else now) - int(timestamp)
    if abs(skew) > MAX_AGE:
        # Every request refused for this reason at once: this server's clock (or Slack's) is off.
        return Refusal("401 Unauthorized", "stale timestamp", f"clock skew {skew:+.0f} s")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal("400 Bad Request", "body is not UTF-8")  # slack_sdk verifies text; Slack sends UTF-8
    if not SignatureVerifier(secret).is_valid(text, timestamp, signature):
        return Refusal("401 Unauthorized", "invalid signature")
    return text


def parse(text: str, content_type: str) -> Refusal | dict:
    """The request as Bolt should read it: a JSON object, or form fields (a `payload` field's JSON object).

    Form fields are returned as they are even when the text merely contains "payload" somewhere (a slash
    command's text, a channel name): Bolt alone would take such a body for an interaction.
    """
    try:
        if content_type.startswith("application/json"):
            body = json.loads(text)
        else:
            pairs = parse_qsl(text, strict_parsing=bool(text), keep_blank_values=True)
            body = dict(pairs)
            if len(body) != len(pairs):
                return Refusal("400 Bad Request", "a form field given twice")
            if "payload" in body:
                body = json.loads(body["payload"])
    except RecursionError:
        return Refusal("400 Bad Request", "JSON nested too deeply")
    except ValueError:
        return Refusal("400 Bad Request", "body is not JSON or form data")
    if not isinstance(body, dict):
        return Refusal("400 Bad Request", "body is not a JSON object")
    problem = _odd(body)
    return Refusal("400 Bad Request", problem) if problem else body


def _odd(body: dict) -> str:
    """What is wrong with a parsed body ('' when nothing): depth, lone surrogates, fields of the wrong type."""
    problem = _typed(body, _TOP) or _typed(body.get("event") or {}, _EVENT)
    for action in body.get("actions") or []:
        problem = problem or (_typed(action, _ACTION) if isinstance(action, dict) else "an action is not an object")
    return problem or _deep(body, 0)


def _typed(obj: dict, fields: dict) -> str:
    for key, kind in fields.items():
        if obj.get(key) is not None and not isinstance(obj[key], kind):
            return f"`{key}` is not {'an object' if kind is dict else 'a list' if kind is list else 'a string'}"
    return ""


def _deep(value, depth: int) -> str:
    if depth > MAX_DEPTH:
        return "JSON nested too deeply"
    if isinstance(value, str):
        return "a lone surrogate in a string" if _SURROGATE.search(value) else ""
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((p for v in value if (p := _deep(v, depth + 1))), "")
    return ""
