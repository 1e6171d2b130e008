"""Learning from staff: every answer in Slack logged (no user ids) with 👍/👎 controls, the project a
person says they meant after a 👎, and the log read back for maintainers (`planbot questions`, the
admins' App Home).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone

from bot.state import StateStore, StateUnavailable
from knowledge.questions import clean

log = logging.getLogger("planbot")
JST = timezone(timedelta(hours=9))
OUTCOMES = ("answered", "unanswerable", "not_found", "help")
FEEDBACK_ACTION = "planbot_feedback"
LABEL_ACTION = "planbot_label"
NOT_IN_REPORT = "planbot_label_none"
PURGE_EVERY = 3600.0  # seconds between deletions of questions older than the retention
_PUNCT = re.compile(r"[\s\W_]+")


def normalized(question: str) -> str:
    """The form questions are grouped by: NFKC, lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", question).lower())


def outcome(answer) -> str:
    """How an answer went: answered, unanswerable (the report lacks it), not_found, or help."""
    if answer.intent == "help":
        return "help"
    if "記載はありません" in answer.direct:
        return "unanswerable"
    return "not_found" if answer.intent == "not_found" else "answered"


class QuestionLog:
    """The question log in the state store; does nothing when turned off or when the store is missing."""

    def __init__(self, store: StateStore | None, enabled: bool = True, keep_days: int = 365, clock=time.time):
        self.store = store if enabled else None
        self.keep = keep_days * 86400.0
        self.clock = clock
        self._purged = 0.0

    def record(self, surface: str, answer) -> int | None:
        """Log a question and its answer; the id to hang feedback on (None when not logged)."""
        if self.store is None:
            return None
        text = " ".join(clean(answer.question).split())  # mentions of people dropped: no user ids
        try:
            if self.clock() - self._purged > PURGE_EVERY:
                self._purged = self.clock()
                self.store.purge(keep_questions=self.keep)
            return self.store.log_question(surface, text, normalized(text), answer.intent, answer.project_ids,
                                           outcome(answer))  # fmt: skip
        except StateUnavailable as e:
            log.error("question not logged: %s", e)
            return None

    def month(self) -> dict:
        """This month's figures for the admins' App Home: asked, share answered, 👍/👎, top missed."""
        rows = []
        if self.store is not None:
            try:
                rows = self.store.questions(since=month_start(self.clock()))
            except StateUnavailable as e:
                log.error("question log not read: %s", e)
        answered = sum(r["outcome"] == "answered" for r in rows)
        return {
            "asked": len(rows),
            "share": round(100 * answered / len(rows)) if rows else 0,
            "up": sum(r["feedback"] == "up" for r in rows),
            "down": sum(r["feedback"] == "down" for r in rows),
            "labelled": sum(bool(r["label"]) for r in rows),
            "missed": grouped(rows, unanswered=True)[:5],
        }

    def feedback(self, question_id: int, value: str) -> bool:
        """Record 👍 ('up') or 👎 ('down')."""
        return self._safely(self.store.set_feedback, question_id, value) if self.store else False

    def label(self, question_id: int, label: str) -> bool:
        """Record the project the person meant, or 'none' (not in the report)."""
        return self._safely(self.store.set_label, question_id, label) if self.store else False

    def _safely(self, write, question_id: int, value: str) -> bool:
        try:
            return write(question_id, value)
        except StateUnavailable as e:
            log.error("feedback not recorded: %s", e)
            return False


def grouped(rows: list[dict], unanswered: bool = False, labelled: bool = False) -> list[dict]:
    """Questions grouped by their normalised form, most asked first (docs/design.md §3's JSON objects)."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["normalized"] or r["question"], []).append(r)
    out = []
    for items in groups.values():
        last = items[-1]
        answered = Counter(r["outcome"] for r in items).most_common(1)[0][0]
        labels = [r["label"] for r in items if r["label"]]
        entry = {
            "q": last["question"],
            "count": len(items),
            "intent": last["intent"],
            "projects": last["projects"],
            "answered": answered,
            "feedback": {key: sum(r["feedback"] == key for r in items) for key in ("up", "down")},
            "labelled": labels[-1] if labels else None,
        }
        if unanswered and answered == "answered" and not entry["feedback"]["down"]:
            continue
        if labelled and not entry["labelled"]:
            continue
        out.append(entry)
    return sorted(out, key=lambda e: -e["count"])


def spreadsheet_safe(value):
    """A CSV cell that Excel will not run: text that starts like a formula (=, +, -, @, a tab or a carriage
    return) gets a leading apostrophe, which Excel shows as text. Staff typed these questions; anyone may
    open the file."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_case(entry: dict) -> dict:
    """A labelled question as a line of a question set: {"q", "top"} (or unanswerable), the format scorers read."""
    if entry["labelled"] == "none":
        return {"q": entry["q"], "unanswerable": True}
    return {"q": entry["q"], "top": entry["labelled"]}


def month_start(now: float) -> float:
    """The first moment of this month, Japan time."""
    today = datetime.fromtimestamp(now, JST)
    return today.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()


# -- Block Kit -------------------------------------------------------------------------------------------
def feedback_controls(question_id: int, native: bool) -> dict:
    """👍/👎 under an answer: Slack's feedback buttons where the client has them (the assistant pane),
    else two buttons. The value carries the logged question's id."""
    if native:
        return {"type": "context_actions", "elements": [{
            "type": "feedback_buttons", "action_id": FEEDBACK_ACTION,
            "positive_button": {"text": {"type": "plain_text", "text": "👍"}, "value": f"up:{question_id}",
                                "accessibility_label": "役に立った"},
            "negative_button": {"text": {"type": "plain_text", "text": "👎"}, "value": f"down:{question_id}",
                                "accessibility_label": "違った"}}]}  # fmt: skip
    return {"type": "actions", "block_id": f"planbot_feedback:{question_id}", "elements": [
        {"type": "button", "action_id": f"{FEEDBACK_ACTION}_up", "value": f"up:{question_id}",
         "text": {"type": "plain_text", "text": "👍 役に立った"}},
        {"type": "button", "action_id": f"{FEEDBACK_ACTION}_down", "value": f"down:{question_id}",
         "text": {"type": "plain_text", "text": "👎 違った"}}]}  # fmt: skip


def label_prompt(question_id: int) -> list[dict]:
    """After a 👎, asked privately: which project was meant (type-ahead over the 43), or not in the report."""
    return [
        {"type": "section", "block_id": f"planbot_label:{question_id}",
         "text": {"type": "mrkdwn", "text": "ご意見ありがとうございます。どの事業のことでしたか？"},
         "accessory": {"type": "external_select", "action_id": LABEL_ACTION, "min_query_length": 0,
                       "placeholder": {"type": "plain_text", "text": "事業名や番号で探す"}}},
        {"type": "actions", "elements": [{"type": "button", "action_id": NOT_IN_REPORT, "value": str(question_id),
                                          "text": {"type": "plain_text", "text": "報告書にない内容"}}]},
    ]  # fmt: skip
