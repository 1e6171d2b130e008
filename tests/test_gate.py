"""The checks before Bolt (bot/gate.py): odd signatures 401, odd bodies 400, and refusals logged sparingly.

Slack's signing scheme is written out here (slack_sdk's SignatureVerifier makes the signatures)."""

from __future__ import annotations

import json
import logging
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.gate import Refusal, Refusals, parse, verify

SECRET = "gate-secret"


def signature(body: str, ts: str) -> str:
    return SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)


@pytest.mark.parametrize(
    ("timestamp", "sig", "reason"),
    [
        ("²", "v0=" + "0" * 64, "malformed"),  # a superscript digit: str.isdigit() says yes, int() says no
        ("9" * 5000, "v0=" + "0" * 64, "malformed"),  # longer than int() reads
        ("", "", "malformed"),
        ("NOW", "v0=00", "malformed"),
        ("1700000000", "v0=ｆｆ" + "0" * 62, "malformed"),  # non-ASCII signature
        ("1700000000", "v0=" + "0" * 64, "stale timestamp"),
    ],
)
def test_odd_signature_headers_are_refused_401(timestamp, sig, reason):
    refused = verify(SECRET, b"{}", timestamp, sig)
    assert isinstance(refused, Refusal) and refused.status.startswith("401") and reason in refused.reason


def test_a_stale_timestamp_says_how_far_the_clocks_are_apart():
    ts = str(int(time.time()) - 600)
    refused = verify(SECRET, b"{}", ts, signature("{}", ts))
    assert refused.reason == "stale timestamp" and "-6" not in refused.detail and "+60" in refused.detail


def test_a_body_signed_by_slack_is_returned_as_text():
    ts = str(int(time.time()))
    assert verify(SECRET, '{"a": "電子"}'.encode(), ts, signature('{"a": "電子"}', ts)) == '{"a": "電子"}'


def test_a_forged_signature_is_refused():
    ts = str(int(time.time()))
    assert verify(SECRET, b"{}", ts, signature("{ }", ts)).reason == "invalid signature"


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "content_type", "reason"),
    [
        (json.dumps({"event": {"text": "a" * 3}, "x": json.loads("[" * 40 + "]" * 40)}), "application/json", "deep"),
        (DEEP, "application/json", "deep"),
        ('{"type": "event_callback", "event": {"type": "app_mention", "text": 12345}}', "application/json", "text"),
        ('{"type": "event_callback", "event": [1, 2]}', "application/json", "event"),
        ('{"type": "event_callback", "event": "x"}', "application/json", "event"),
        ('{"event": {"text": "\\ud800 電子"}}', "application/json", "surrogate"),
        ('{"\\udfff": 1}', "application/json", "surrogate"),
        ("payload=%7B%7D&payload=%7B%7D", "application/x-www-form-urlencoded", "twice"),
        ('payload={"actions": [1]}', "application/x-www-form-urlencoded", "action"),
        ('payload={"actions": [{"value": 3}]}', "application/x-www-form-urlencoded", "value"),
        ("[1, 2]", "application/json", "object"),
        ("{", "application/json", "JSON"),
    ],
)
def test_odd_bodies_are_refused_400(text, content_type, reason):
    refused = parse(text, content_type)
    assert isinstance(refused, Refusal) and refused.status.startswith("400") and reason in refused.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("command=%2Fshinchoku&text=payload+%E3%81%AE%E4%BB%B6", {"command": "/shinchoku", "text": "payload の件"}),
        (
            "command=%2Fshinchoku&text=x&channel_name=payload-team",
            {"command": "/shinchoku", "text": "x", "channel_name": "payload-team"},
        ),
        ('payload={"type": "block_actions"}', {"type": "block_actions"}),
    ],
)
def test_a_form_is_read_as_its_fields_even_when_it_contains_the_word_payload(text, expected):
    assert parse(text, "application/x-www-form-urlencoded") == expected


def test_refusals_are_logged_once_per_reason_per_interval_with_a_count(caplog):
    now = [0.0]
    refusals = Refusals(every=10, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="planbot"):
        for _ in range(50):
            refusals.note(Refusal("401 Unauthorized", "invalid signature"))
        refusals.note(Refusal("400 Bad Request", "body is not UTF-8"))
        now[0] = 11
        refusals.note(Refusal("401 Unauthorized", "invalid signature"))
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    assert "invalid signature" in lines[0] and "49 more" in lines[2] and "UTF-8" in lines[1]
