"""👍/👎 on answers, and after a 👎 the project the person meant (or 「報告書にない内容」), recorded in the
question log. Every listener acks at once."""

from __future__ import annotations

import re

from bot.cards import clip, esc
from bot.feedback import FEEDBACK_ACTION, LABEL_ACTION, NOT_IN_REPORT, label_prompt
from handlers._reply import acked_then

THANKS = "ありがとうございます。今後の改善に使わせていただきます。"


def _question_id(value: str) -> int | None:
    m = re.fullmatch(r"(?:up:|down:)?(\d+)", value or "")
    return int(m.group(1)) if m else None


def register(app, kb, question_log) -> None:
    """Listen for the feedback controls and the 「どの事業のことでしたか？」 prompt."""
    later = acked_then(app.work.background)

    @app.action(re.compile(rf"^{FEEDBACK_ACTION}(_up|_down)?$"))
    @later
    def record_feedback(ack, action, respond):
        ack()
        value = action.get("value", "")
        qid = _question_id(value)
        if qid is None:
            return
        down = value.startswith("down")
        question_log.feedback(qid, "down" if down else "up")
        if down:
            respond(text="どの事業のことでしたか？", blocks=label_prompt(qid), response_type="ephemeral",
                    replace_original=False)  # fmt: skip
        else:
            respond(text=THANKS, response_type="ephemeral", replace_original=False)

    @app.options(LABEL_ACTION)
    def suggest_projects(ack, payload):
        projects = kb.suggest(payload.get("value", ""))
        ack(options=[{"text": {"type": "plain_text", "text": clip(f"{p.id} {p.name}", 75)}, "value": p.id}
                     for p in projects])  # fmt: skip

    @app.action(LABEL_ACTION)
    @later
    def record_project(ack, action, respond):
        ack()
        qid = _question_id(action.get("block_id", "").removeprefix("planbot_label:"))
        chosen = (action.get("selected_option") or {}).get("value", "")
        project = kb.by_id.get(chosen)
        if qid is None or project is None:
            return
        question_log.label(qid, project.id)
        respond(text=f"「{project.id} {esc(project.name)}」のことだったと記録しました。{THANKS}",
                response_type="ephemeral", replace_original=True)  # fmt: skip

    @app.action(NOT_IN_REPORT)
    @later
    def record_not_in_report(ack, action, respond):
        ack()
        qid = _question_id(action.get("value", ""))
        if qid is None:
            return
        question_log.label(qid, "none")
        respond(text=f"報告書にない内容として記録しました。{THANKS}", response_type="ephemeral", replace_original=True)
