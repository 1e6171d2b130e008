"""Learning from staff, end to end: answers carry 👍/👎, a 👎 asks which project was meant, the choice is
recorded, `planbot questions` reads the log back, admins see it on App Home, and no user id is kept."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from slack_sdk.models.blocks import Block
from test_slack import dm, event, interaction, mention, settle, start_server, stop_server

from bot.feedback import QuestionLog
from bot.state import StateStore

from slack_stub import SlackStub

PERSON = "UPRIVATE77"  # a user id that must never reach the state file


@pytest.fixture
def slack(kb, tmp_path):
    stub = SlackStub()
    stub.state = tmp_path / "state.db"
    server = start_server(kb, stub, stub.state)
    yield stub
    stop_server(server)
    stub.close()


def logged(stub) -> list[dict]:
    store = StateStore(stub.state)
    rows = store.questions()
    store.close()
    return rows


def last_blocks(stub, method="chat.postMessage") -> list[dict]:
    blocks = stub.of(method)[-1]["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def press(stub, action: dict, extra: dict | None = None):
    payload = {"type": "block_actions", "user": {"id": PERSON}, "channel": {"id": "C1"}, "trigger_id": "t1",
               "response_url": stub.response_url("fb"), "container": {"type": "message", "message_ts": "1.0",
               "channel_id": "C1"}, "actions": [action], **(extra or {})}  # fmt: skip
    return interaction(stub, payload)


def test_an_answer_carries_feedback_buttons_and_the_assistant_pane_slacks_own(slack):
    event(slack, {**mention("電子書籍の進捗は？", ts="1.0"), "user": PERSON}, event_id="E1")
    controls = last_blocks(slack)[-1]
    assert [e["action_id"] for e in controls["elements"]] == ["planbot_feedback_up", "planbot_feedback_down"]
    event(slack, {**dm("ブックポスト", "2.1", channel="D9", user=PERSON), "thread_ts": "2.0"}, event_id="E2")
    native = last_blocks(slack)[-1]
    assert native["type"] == "context_actions" and native["elements"][0]["type"] == "feedback_buttons"
    assert Block.parse(native).to_dict() == native


def test_a_thumbs_down_is_acknowledged_recorded_and_asks_which_project(slack):
    event(slack, {**mention("会議室の予約", ts="3.0"), "user": PERSON}, event_id="E1")
    [row] = logged(slack)
    status, _ = press(slack, {"action_id": "planbot_feedback_down", "value": f"down:{row['id']}"})
    assert status == 200
    assert logged(slack)[0]["feedback"] == "down"
    [prompt] = slack.responses()
    assert "どの事業のことでしたか？" in json.dumps(prompt, ensure_ascii=False)
    select = next(b for b in prompt["blocks"] if b.get("accessory", {}).get("type") == "external_select")
    assert select["block_id"] == f"planbot_label:{row['id']}"

    press(slack, {"action_id": "planbot_label", "block_id": select["block_id"],
                  "selected_option": {"value": "1-(3)-②"}})  # fmt: skip
    assert logged(slack)[0]["label"] == "1-(3)-②"


def test_not_in_the_report_is_a_label_too(slack):
    event(slack, {**mention("館長は誰？", ts="4.0"), "user": PERSON}, event_id="E1")
    [row] = logged(slack)
    press(slack, {"action_id": "planbot_label_none", "value": str(row["id"])})
    assert logged(slack)[0]["label"] == "none"


def test_a_thumbs_up_is_recorded_with_thanks(slack):
    event(slack, {**mention("電子書籍", ts="5.0"), "user": PERSON}, event_id="E1")
    press(slack, {"action_id": "planbot_feedback_up", "value": f"up:{logged(slack)[0]['id']}"})
    assert logged(slack)[0]["feedback"] == "up" and "ありがとうございます" in slack.responses()[0]["text"]


def test_no_user_id_or_name_is_left_in_the_state_file_once_answers_are_sent(slack):
    event(slack, {**mention(f"<@{PERSON}> さんと見たい。電子書籍は？", ts="6.0"), "user": PERSON}, event_id="E1")
    event(slack, dm("ブックポスト", "6.1", channel="D2", user=PERSON), event_id="E2")
    # The slash command is escaped (manifest: should_escape), so a person mentioned arrives as id and name.
    body = {"command": "/shinchoku", "text": f"<@{PERSON}|hanako.minato> 大使館", "user_id": PERSON,
            "channel_id": "C1", "trigger_id": "T6", "response_url": slack.response_url("c")}  # fmt: skip
    from test_slack import form

    form(slack, body)
    event(slack, {"type": "app_context_changed", "user": PERSON, "context": {"entities": [
        {"type": "slack#/types/channel_id", "value": "C1"}]}}, event_id="E4")  # fmt: skip
    settle(slack)
    assert len(logged(slack)) == 3
    assert "大使館" in [q["question"] for q in StateStore(slack.state).questions()]
    for path in slack.state.parent.glob("state.db*"):  # the file, its WAL and shared memory
        assert PERSON.encode() not in path.read_bytes(), path.name
        assert b"hanako" not in path.read_bytes(), path.name


def test_admins_see_the_log_on_app_home_and_others_do_not(slack):
    event(slack, {**mention("図書館の予算はいくら？", ts="7.0"), "user": PERSON}, event_id="E1")
    event(slack, {"type": "app_home_opened", "user": "UADMIN", "tab": "home"}, event_id="E2")
    admin_view = slack.of("views.publish")[-1]["view"]
    view = json.loads(admin_view) if isinstance(admin_view, str) else admin_view
    text = json.dumps(view, ensure_ascii=False)
    assert "質問ログ" in text and "図書館の予算はいくら？" in text and len(view["blocks"]) <= 100
    for block in view["blocks"]:
        assert Block.parse(block).to_dict() == block
    event(slack, {"type": "app_home_opened", "user": PERSON, "tab": "home"}, event_id="E3")
    other = slack.of("views.publish")[-1]["view"]
    assert "質問ログ" not in (other if isinstance(other, str) else json.dumps(other, ensure_ascii=False))


def test_planbot_questions_lists_counts_and_what_was_missed(slack, db_path):
    for n, q in enumerate(["電子書籍の進捗は？", "電子書籍の進捗は？", "図書館の予算はいくら？", "会議室の予約"]):
        event(slack, mention(q, ts=f"8.{n}"), event_id=f"E{n}")
    rows = logged(slack)
    press(slack, {"action_id": "planbot_label", "block_id": f"planbot_label:{rows[3]['id']}",
                  "selected_option": {"value": "1-(3)-②"}})  # fmt: skip
    env = {"PLANBOT_STATE": str(slack.state), "PLANBOT_DB": str(db_path), "HOME": str(slack.state.parent)}

    def questions(*args):
        out = subprocess.run([sys.executable, "-m", "bot.cli", "questions", *args], env=env, capture_output=True,
                             text=True, encoding="utf-8", check=True)  # fmt: skip
        return out.stdout

    everything = json.loads(questions("--format", "json"))
    assert everything[0]["q"] == "電子書籍の進捗は？" and everything[0]["count"] == 2
    assert everything[0]["answered"] == "answered" and everything[0]["projects"] == ["3-(1)-①"]
    assert set(everything[0]) == {"q", "count", "intent", "projects", "answered", "feedback", "labelled"}
    missed = [e["q"] for e in json.loads(questions("--unanswered", "--format", "json"))]
    assert sorted(missed) == ["会議室の予約", "図書館の予算はいくら？"]
    cases = [json.loads(line) for line in questions("--labelled", "--format", "jsonl").splitlines()]
    assert cases == [{"q": "会議室の予約", "top": "1-(3)-②"}]  # a question set's line
    assert "電子書籍の進捗は？" in questions() and questions("--format", "csv").startswith("q,count")


def test_the_log_can_be_turned_off_and_old_questions_expire(kb, tmp_path):
    store = StateStore(tmp_path / "state.db")
    assert QuestionLog(store, enabled=False).record("mention", kb.answer("電子書籍")) is None
    clock = type("Clock", (), {"now": 1_000_000.0, "__call__": lambda self: self.now})()
    store.clock = clock
    kept = QuestionLog(store, keep_days=30, clock=clock)
    kept.record("mention", kb.answer("電子書籍"))
    clock.now += 31 * 86400 + 3600
    kept.record("mention", kb.answer("ブックポスト"))  # purges on the way
    assert [r["question"] for r in store.questions()] == ["ブックポスト"]
