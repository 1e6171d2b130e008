"""Where a follow-up goes: a thread under a channel message, the ephemeral reply, or a modal."""

from __future__ import annotations

from bot.cards import Message


def post_all(say, messages: list[Message], **kwargs) -> None:
    """Post each message of an answer with `say` (a thread_ts in kwargs keeps them in the thread)."""
    for m in messages:
        say(text=m.text, blocks=m.blocks, **kwargs)


def follow_up(body: dict, client, respond, messages: list[Message], title: str = "planbot") -> None:
    """Show an answer next to what the button was on."""
    container = body.get("container", {})
    if container.get("type") == "view":
        view = body.get("view") or {}
        blocks = [b for m in messages for b in m.blocks][:100]
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
