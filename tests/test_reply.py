"""Where and how answers are posted (handlers/_reply.py): each message of an answer once across retries."""

from __future__ import annotations

import pytest

from bot.cards import Message
from handlers._reply import deliver


def test_an_answer_is_composed_once_and_each_message_posted_once_across_retries():
    composed, posted, outage = [], [], [True]

    def compose():
        composed.append(1)
        return [Message("first", []), Message("second", []), Message("third", [])]

    def post(m):
        if m.text == "second" and outage:
            outage.pop()
            raise ConnectionError("Slack went down")
        posted.append(m.text)

    work = {"text": "電子書籍"}
    with pytest.raises(ConnectionError):
        deliver(work, compose, post)
    deliver(work, compose, post)  # the work queue's next try, with the work as it was left
    assert posted == ["first", "second", "third"] and composed == [1]
