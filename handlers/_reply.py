"""Where a follow-up goes: a thread under a channel message, the ephemeral reply, or a modal."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from slack_sdk.webhook import WebhookClient

from bot.cards import Message, for_views
from bot.slack_client import TIMEOUT, Undelivered, retry_handlers

log = logging.getLogger("planbot")
SORRY = "申し訳ありません、うまく処理できませんでした。少し時間をおいてもう一度お試しください。"


def responder(url: str):
    """A `respond` for a response_url: retried in place on connection errors, 429 and 5xx; a failure Slack
    may recover from raises Undelivered (the work queue tries again later), any other is logged."""
    client = WebhookClient(url, timeout=TIMEOUT, retry_handlers=retry_handlers())

    def respond(**message) -> None:
        result = client.send_dict(message)
        if result.status_code == 429 or result.status_code >= 500:
            retry_after = next((v for k, v in (result.headers or {}).items() if k.lower() == "retry-after"), "0")
            retry_after = retry_after[0] if isinstance(retry_after, list) else retry_after
            raise Undelivered(f"the response_url answered {result.status_code}",
                              float(retry_after) if str(retry_after).isdigit() else 0.0)  # fmt: skip
        if result.status_code != 200:
            log.error("the response_url answered %s %s: the reply was not shown", result.status_code, result.body[:200])

    return respond


def deliver(work: dict, compose: Callable[[], list[Message]], post: Callable[[Message], None]) -> None:
    """Post an answer's messages, each once even when the work is tried again: they are composed on the
    first try and kept in the work (with how many were posted), so a retry after a Slack outage posts
    the rest of the same answer instead of asking again."""
    if "_out" not in work:
        work["_out"] = [{"text": m.text, "blocks": m.blocks} for m in compose()]
        work["_sent"] = 0
    for m in work["_out"][work["_sent"] :]:
        post(Message(m["text"], m["blocks"]))
        work["_sent"] += 1


def apologise(client, where: dict) -> None:
    """Tell the person something went wrong, where they will see it; raises when Slack cannot be reached."""
    if where.get("response_url"):
        responder(where["response_url"])(text=SORRY, response_type="ephemeral", replace_original=False)
    elif where.get("channel") and where.get("thread_ts"):
        client.chat_postMessage(channel=where["channel"], thread_ts=where["thread_ts"], text=SORRY)
    elif where.get("channel") and where.get("user"):
        client.chat_postEphemeral(channel=where["channel"], user=where["user"], text=SORRY)
    elif where.get("channel"):
        client.chat_postMessage(channel=where["channel"], text=SORRY)


def tell_kindly(client, where: dict) -> None:
    """Tell the person something went wrong, where they will see it; never raises."""
    try:
        apologise(client, where)
    except Exception:  # the error path must not fail in turn
        log.exception("could not tell the user about the error")


def acked_then(run_later: Callable[[Callable[[], None]], None]):
    """A decorator for listeners whose work waits on the Web API: the ack goes back at once from Bolt's
    listener thread, and the listener runs with `run_later` (the work queue's task threads). Bolt's
    threads therefore never wait on Slack, so a slow or hung Web API cannot starve the acks of other
    clicks (which Bolt would answer 404 after 3 s, and still run later). A failure is logged and the
    person told kindly, instead of reaching Bolt's error path."""

    def decorate(listener):
        @functools.wraps(listener)  # Bolt fills arguments by the wrapped function's parameter names
        def acked(*args, **kwargs):
            if kwargs.get("ack") is not None:
                kwargs["ack"]()
                kwargs["ack"] = _acked_already
            run_later(lambda: _guarded(listener, args, kwargs))

        return acked

    return decorate


def after_ack(listener):
    """Guard a listener that acks first and works in place: a failure after the ack is logged and the
    person told kindly, instead of reaching Bolt (whose threaded error path would turn the sent ack into
    a 404). Listeners that wait on the Web API should use `acked_then` instead."""

    @functools.wraps(listener)
    def guarded(*args, **kwargs):
        _guarded(listener, args, kwargs)

    return guarded


def _acked_already(*args, **kwargs) -> None:
    """The listener's own ack() call, after the real ack went back."""


def _guarded(listener, args, kwargs) -> None:
    try:
        listener(*args, **kwargs)
    except Exception:
        log.exception("a %s listener failed after its ack", listener.__name__)
        body = kwargs.get("body") or {}
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        tell_kindly(kwargs.get("client"), {"response_url": body.get("response_url"), "channel": channel,
                                           "user": (body.get("user") or {}).get("id")})  # fmt: skip


def follow_up(body: dict, client, respond, messages: list[Message], title: str = "planbot") -> None:
    """Show an answer next to what the button was on."""
    container = body.get("container", {})
    if container.get("type") == "view":
        view = body.get("view") or {}
        blocks = for_views([b for m in messages for b in m.blocks])[:100]
        modal = {"type": "modal", "title": {"type": "plain_text", "text": title[:24]}, "blocks": blocks}
        if view.get("type") == "modal":
            client.views_push(trigger_id=body["trigger_id"], view=modal)
        else:
            client.views_open(trigger_id=body["trigger_id"], view=modal)
    elif container.get("is_ephemeral") or not container.get("message_ts"):
        for m in messages:
            respond(text=m.text, blocks=m.blocks, response_type="ephemeral", replace_original=False)
    else:
        message = body.get("message") or {}
        thread = message.get("thread_ts") or container["message_ts"]
        for m in messages:
            client.chat_postMessage(channel=container["channel_id"], thread_ts=thread, text=m.text, blocks=m.blocks)
