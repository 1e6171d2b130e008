"""Where a follow-up goes: a thread under a channel message, the ephemeral reply, or a modal."""

from __future__ import annotations

import functools
import logging

from slack_sdk.webhook import WebhookClient

from bot.cards import Message, for_views
from bot.slack_client import retry_handlers

log = logging.getLogger("planbot")
SORRY = "申し訳ありません、うまく処理できませんでした。少し時間をおいてもう一度お試しください。"


def responder(url: str):
    """A `respond` for a response_url: retried on connection errors, 429 and 5xx; failures logged."""
    client = WebhookClient(url, retry_handlers=retry_handlers())

    def respond(**message) -> None:
        try:
            result = client.send_dict(message)
        except Exception:
            log.exception("could not post to the response_url")
            raise
        if result.status_code != 200:
            log.error("the response_url answered %s %s: the reply was not shown", result.status_code, result.body[:200])

    return respond


def tell_kindly(client, where: dict) -> None:
    """Tell the person something went wrong, where they will see it; never raises."""
    try:
        if where.get("response_url"):
            responder(where["response_url"])(text=SORRY, response_type="ephemeral", replace_original=False)
        elif where.get("channel") and where.get("thread_ts"):
            client.chat_postMessage(channel=where["channel"], thread_ts=where["thread_ts"], text=SORRY)
        elif where.get("channel") and where.get("user"):
            client.chat_postEphemeral(channel=where["channel"], user=where["user"], text=SORRY)
        elif where.get("channel"):
            client.chat_postMessage(channel=where["channel"], text=SORRY)
    except Exception:  # the error path must not fail in turn
        log.exception("could not tell the user about the error")


def after_ack(listener):
    """Guard a listener that acks first: a failure after the ack is logged and the person told kindly,
    instead of reaching Bolt (whose threaded error path would turn the sent ack into a 404)."""

    @functools.wraps(listener)  # Bolt fills arguments by the wrapped function's parameter names
    def guarded(*args, **kwargs):
        try:
            return listener(*args, **kwargs)
        except Exception:
            log.exception("a %s listener failed after its ack", listener.__name__)
            body = kwargs.get("body") or {}
            client = kwargs.get("client")
            channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
            tell_kindly(client, {"response_url": body.get("response_url"), "channel": channel,
                                 "user": (body.get("user") or {}).get("id")})  # fmt: skip

    return guarded


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
