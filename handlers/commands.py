"""The slash command (/shinchoku by default): an ephemeral answer with a 「チャンネルに共有」 button."""

from __future__ import annotations

from slack_bolt import BoltResponse

from bot.cards import Message, clip, render
from bot.digest import DigestError, build_digest, post_digest
from handlers._reply import deliver, responder
from handlers.messages import with_feedback
from knowledge.questions import clean

HELP_WORDS = {"", "help", "ヘルプ", "使い方", "?", "？"}
SUMMARY_WORDS = {"summary", "まとめ", "サマリー"}
POST_WORDS = {"post", "投稿"}
NOT_ADMIN = (
    "年度末のまとめをチャンネルに投稿できるのは管理者 (PLANBOT_ADMINS に登録された方) だけです。"
    "ご自分用の表示はこのままお使いください。"
)
POST_BUTTON = {
    "type": "actions",
    "elements": [
        {
            "type": "button",
            "action_id": "planbot_post_summary",
            "style": "primary",
            "text": {"type": "plain_text", "text": "チャンネルに投稿"},
            "confirm": {
                "title": {"type": "plain_text", "text": "まとめを投稿"},
                "text": {
                    "type": "plain_text",
                    "text": "このチャンネルに年度末のまとめ（スレッドとグラフ付き）を投稿します。",
                },
                "confirm": {"type": "plain_text", "text": "投稿する"},
                "deny": {"type": "plain_text", "text": "やめる"},
            },
        }
    ],
}
ADMINS_ONLY = {"type": "context", "elements": [{"type": "mrkdwn", "text": "チャンネルへの投稿は管理者のみできます。"}]}


def post_summary_for(admin: bool, channel: str, kb, client) -> str:
    """Post the digest for an admin; return what to tell the person either way."""
    if not admin:
        return NOT_ADMIN
    try:
        post_digest(client, kb, channel)
    except DigestError as e:
        return str(e)
    return "年度末のまとめをチャンネルに投稿しました。"


def share_button(question: str) -> dict:
    """The actions block that posts the same answer to the channel."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "planbot_share",
                "text": {"type": "plain_text", "text": "チャンネルに共有"},
                "value": clip(question, 2000),
            }
        ],
    }


def register(app, queue, kb, settings, question_log) -> None:
    """Accept the slash command as work (an empty ack at once) and answer through its response_url."""

    def run(command: dict) -> None:
        respond = responder(command["response_url"])
        deliver(command, lambda: answer(command), lambda m: respond(text=m.text, blocks=m.blocks,
                                                                   response_type="ephemeral"))  # fmt: skip

    def answer(command: dict) -> list[Message]:
        text = command.get("text", "").strip()
        words = text.lower().split()
        if words and words[0] in SUMMARY_WORDS:
            admin, channel = command.get("admin", False), command.get("channel_id", "")
            if len(words) > 1 and words[1] in POST_WORDS:
                try:
                    said = post_summary_for(admin, channel, kb, app.client)
                except Exception as e:  # not tried again: the digest's first messages may be posted already
                    raise RuntimeError("the digest was not posted whole") from e
                return [Message(said, [])]
            messages = build_digest(kb).parent
            extra = POST_BUTTON if admin else ADMINS_ONLY
            return [Message(m.text, [*m.blocks, extra] if i == len(messages) - 1 else m.blocks)
                    for i, m in enumerate(messages)]  # fmt: skip
        answer = kb.answer("使い方" if text.lower() in HELP_WORDS else text)
        qid = question_log.record("slash", answer) if answer.intent != "help" or text else None
        messages = with_feedback(render(answer), qid)
        if answer.intent != "help":
            *first, last = messages
            messages = [*first, Message(last.text, [*last.blocks, share_button(text)])]
        return messages

    queue.register("command", run)

    @app.middleware
    def accept_command(body, next):
        if body.get("command") != settings.command or not body.get("response_url"):
            return next()
        if queue.closing:
            return BoltResponse(status=503, body="")
        # Kept until answered: whether the person is an admin, not who they are (no user ids stored).
        command = {k: body.get(k, "") for k in ("command", "text", "channel_id", "response_url", "trigger_id")}
        # The manifest escapes the command (should_escape): people mentioned arrive as <@U…> ids, dropped here.
        command["text"] = " ".join(clean(command["text"]).split())
        command["admin"] = body.get("user_id", "") in settings.admins
        queue.accept(f"command:{body.get('trigger_id') or body['response_url']}", "command", command)
        return BoltResponse(status=200, body="")
