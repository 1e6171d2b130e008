"""planbot in Slack, end to end and offline: the real Bolt app behind the real HTTP server, requests
signed like Slack's, and a recording stand-in for the Web API on 127.0.0.1 (docs/design.md §2).
"""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.agent import PROMPTS
from bot.app import SORRY, build_app
from bot.server import http_server, start, stop
from bot.settings import Settings
from bot.state import StateStore
from bot.work import Retry

from slack_stub import SlackStub

SECRET = "test-signing-secret"
QUICK_RETRY = Retry(first=0.05, most=0.2, expire=10.0, lease=30.0, tick=2.0)  # production's, in tenths of a second


def start_server(kb, stub, state_path, threaded=True, **options):
    """The real HTTP server of `planbot serve --http` in front of a freshly built app.

    threaded=True is production's path: ack first, answers on worker threads; False runs Bolt's
    listeners before the response (process_before_response), as some deployments do.
    """
    settings = Settings(
        bot_token="xoxb-test", signing_secret=SECRET, api_url=stub.api_url, admins=frozenset({"UADMIN"})
    )
    app = build_app(settings, kb, http=True, process_before_response=not threaded, state=StateStore(state_path),
                    retry=QUICK_RETRY)  # fmt: skip
    stub.app = app
    server = http_server(app, "127.0.0.1", 0, **options)
    start(server)
    stub.events_url = f"http://127.0.0.1:{server.effective_port}/slack/events"
    return server


def stop_server(server):
    stop(server)


@pytest.fixture(params=["threaded", "before-response"])
def slack(kb, tmp_path, request):
    stub = SlackStub()
    server = start_server(kb, stub, tmp_path / "state.db", threaded=request.param == "threaded")
    yield stub
    stop_server(server)
    stub.close()


def send(stub, body: str, content_type: str, timestamp: int | None = None, signature: str | None = None, headers=None):
    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = signature or SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    request = urllib.request.Request(
        stub.events_url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            result = r.status, r.read().decode()
    except HTTPError as e:
        result = e.code, e.read().decode()
    settle(stub)
    return result


def settle(stub, quiet: float = 0.05, timeout: float = 5.0) -> None:
    """Wait until the app's answers are posted: no work running and no new Web API call for a moment."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        app = getattr(stub, "app", None)
        busy = app.work.running if app is not None else 0
        with stub.lock:
            n = len(stub.calls)
        if busy == 0 and n == last:
            return
        last = n
        time.sleep(quiet)


def event(stub, ev: dict, event_id: str = "Ev1", headers=None):
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": event_id,
                       "event_time": 1700000000, "event": ev})  # fmt: skip
    return send(stub, body, "application/json", headers=headers)


def form(stub, fields: dict, **kw):
    return send(stub, urlencode(fields), "application/x-www-form-urlencoded", **kw)


def interaction(stub, payload: dict):
    return form(stub, {"payload": json.dumps(payload)})


def mention(text: str, ts: str = "1700000000.000100", channel: str = "C1") -> dict:
    return {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts, "channel": channel}


def posted_text(args: dict) -> str:
    blocks = args.get("blocks")
    return (blocks if isinstance(blocks, str) else json.dumps(blocks, ensure_ascii=False)) + args.get("text", "")


def response_posts(stub) -> list[dict]:
    return stub.responses()


# -- mentions and DMs ---------------------------------------------------------------------------------
def test_a_mention_is_answered_in_a_thread_under_the_question(slack):
    assert event(slack, mention("電子書籍の進捗は？"))[0] == 200
    [post] = slack.of("chat.postMessage")
    assert post["channel"] == "C1" and post["thread_ts"] == "1700000000.000100"
    assert "3-(1)-① 電子書籍サービスの活用" in posted_text(post) and "46,843" in posted_text(post)


def test_a_direct_message_is_answered(slack):
    event(
        slack,
        {"type": "message", "channel_type": "im", "user": "U1", "text": "ブックポスト", "ts": "1.2", "channel": "D1"},
    )
    [post] = slack.of("chat.postMessage")
    assert post["channel"] == "D1" and "1-(3)-①" in posted_text(post)


def test_a_mention_that_also_arrives_as_a_message_is_answered_once(slack):
    dm = {"user": "U1", "text": "<@UBOT> 大使館", "ts": "1.3", "channel": "D1", "channel_type": "im"}
    event(slack, {**dm, "type": "app_mention"}, event_id="EvA")
    event(slack, {**dm, "type": "message"}, event_id="EvB")
    assert len(slack.of("chat.postMessage")) == 1


def test_a_retried_event_is_answered_once(slack):
    event(slack, mention("座席予約"), event_id="EvR")
    status, _ = event(
        slack,
        mention("座席予約"),
        event_id="EvR",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert status == 200 and len(slack.of("chat.postMessage")) == 1


def test_bots_and_edits_are_not_answered(slack):
    event(
        slack,
        {"type": "message", "channel_type": "im", "bot_id": "B2", "text": "電子書籍", "ts": "1.4", "channel": "D1"},
    )
    event(
        slack,
        {"type": "message", "channel_type": "im", "subtype": "message_changed", "ts": "1.5", "channel": "D1"},
        event_id="Ev5",
    )
    assert slack.of("chat.postMessage") == []


@pytest.mark.parametrize(
    "text", ["<!channel> 電子書籍", "<!here> ブックポスト", "<https://evil.example|ここ> 天気", "電子書籍" * 1250, ""]
)
def test_hostile_or_empty_questions_get_a_polite_answer_that_cannot_ping(slack, text):
    event(slack, mention(text))
    [post] = slack.of("chat.postMessage")
    body = posted_text(post)
    assert "<!channel>" not in body and "<!here>" not in body and "<https://" not in body
    assert len(json.loads(post["blocks"]) if isinstance(post["blocks"], str) else post["blocks"]) <= 50


# -- slash command and sharing ---------------------------------------------------------------------------
def command(slack, text: str, user: str = "U1"):
    return form(slack, {"command": "/shinchoku", "text": text, "user_id": user, "channel_id": "C1", "team_id": "T1",
                        "response_url": slack.response_url(), "trigger_id": "t1"})  # fmt: skip


def test_the_slash_command_answers_privately_with_a_share_button(slack):
    status, _ = command(slack, "調べ学習")
    assert status == 200
    [reply] = response_posts(slack)
    assert reply["response_type"] == "ephemeral" and "4-(1)-②" in posted_text(reply)
    assert "planbot_share" in posted_text(reply)


@pytest.mark.parametrize("text", ["help", "", "使い方"])
def test_the_slash_command_help(slack, text):
    command(slack, text)
    assert "planbot の使い方" in posted_text(response_posts(slack)[0])


def share(slack, question: str):
    return interaction(slack, {"type": "block_actions", "user": {"id": "U7"}, "channel": {"id": "C1"}, "team": {"id": "T1"},
                               "response_url": slack.response_url(), "trigger_id": "t1",
                               "container": {"type": "message", "is_ephemeral": True, "channel_id": "C1"},
                               "actions": [{"action_id": "planbot_share", "value": question, "type": "button"}]})  # fmt: skip


def test_sharing_posts_the_same_card_to_the_channel_saying_who_shared_it(slack):
    share(slack, "電子書籍")
    [post] = slack.of("chat.postMessage")
    assert (
        post["channel"] == "C1" and "<@U7> さんが共有しました" in posted_text(post) and "3-(1)-①" in posted_text(post)
    )


def test_sharing_where_the_bot_is_not_a_member_says_how_to_fix_it(slack):
    slack.errors["chat.postMessage"] = "not_in_channel"
    share(slack, "電子書籍")
    assert "/invite @planbot" in posted_text(response_posts(slack)[-1])


# -- buttons ---------------------------------------------------------------------------------------------
def click(slack, action_id: str, value: str, container=None):
    container = container or {
        "type": "message",
        "message_ts": "1700000000.000200",
        "channel_id": "C1",
        "is_ephemeral": False,
    }
    return interaction(slack, {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "C1"}, "team": {"id": "T1"},
                               "response_url": slack.response_url(), "trigger_id": "t1", "container": container,
                               "message": {"ts": container.get("message_ts", "")},
                               "actions": [{"action_id": action_id, "value": value, "type": "button"}]})  # fmt: skip


@pytest.mark.parametrize(
    ("action_id", "value", "expected"),
    [
        ("planbot_detail", "3-(1)-⑥", "実績が計画と異なる理由"),
        ("planbot_trend", "3-(1)-①", "指標の推移"),
        ("planbot_related", "3-(1)-①", "3-(1)-⑥"),
        ("planbot_candidate_0", "4-(3)-②", "区民の知識や能力を生かした図書館サービスの展開"),
    ],
)
def test_card_buttons_follow_up_in_the_thread(slack, action_id, value, expected):
    assert click(slack, action_id, value)[0] == 200
    [post] = slack.of("chat.postMessage")
    assert post["thread_ts"] == "1700000000.000200" and expected in posted_text(post)


def test_a_button_on_a_private_answer_answers_privately(slack):
    click(slack, "planbot_trend", "4-(1)-②", container={"type": "message", "is_ephemeral": True, "channel_id": "C1"})
    assert slack.of("chat.postMessage") == [] and "調べ学習講座開催回数" in posted_text(response_posts(slack)[0])


# -- App Home and the search modal ----------------------------------------------------------------------
def test_app_home_shows_the_plan_at_a_glance(slack):
    event(slack, {"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "D1"})
    [publish] = slack.of("views.publish")
    view = json.loads(publish["view"]) if isinstance(publish["view"], str) else publish["view"]
    text = json.dumps(view, ensure_ascii=False)
    assert publish["user_id"] == "U1" and len(view["blocks"]) <= 100
    assert "43事業" in text and "目標を下回っている指標" in text and "planbot_open_search" in text


def test_the_search_button_opens_a_modal_with_type_ahead(slack):
    click(slack, "planbot_open_search", "", container={"type": "view", "view_id": "V1"})
    [opened] = slack.of("views.open")
    assert "external_select" in json.dumps(opened)


def test_the_type_ahead_offers_matching_projects(slack):
    status, body = interaction(slack, {"type": "block_suggestion", "action_id": "planbot_project_select", "block_id": "project",
                                       "value": "電子", "user": {"id": "U1"}, "team": {"id": "T1"}, "view": {"id": "V1"}})  # fmt: skip
    options = json.loads(body)["options"]
    assert status == 200 and options[0]["value"] == "3-(1)-①" and len(options) <= 100
    _, body = interaction(slack, {"type": "block_suggestion", "action_id": "planbot_project_select", "block_id": "project",
                                  "value": "", "user": {"id": "U1"}, "team": {"id": "T1"}, "view": {"id": "V1"}})  # fmt: skip
    assert len(json.loads(body)["options"]) == 43


def test_choosing_a_project_in_the_modal_shows_its_card(slack):
    state = {
        "values": {
            "project": {"planbot_project_select": {"type": "external_select", "selected_option": {"value": "2-(1)-②"}}}
        }
    }
    status, body = interaction(slack, {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": "T1"},
                                       "view": {"id": "V1", "type": "modal", "callback_id": "planbot_search", "state": state}})  # fmt: skip
    reply = json.loads(body)
    assert (
        status == 200
        and reply["response_action"] == "update"
        and "絵本貸出定期便の実施" in json.dumps(reply, ensure_ascii=False)
    )


def test_a_key_projects_card_in_the_modal_has_its_figures_as_text_not_message_only_blocks(slack):
    state = {"values": {"project": {"planbot_project_select": {"selected_option": {"value": "3-(1)-①"}}}}}
    _, body = interaction(slack, {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": "T1"},
                                  "view": {"id": "V1", "type": "modal", "callback_id": "planbot_search", "state": state}})  # fmt: skip
    blocks = json.loads(body)["view"]["blocks"]
    assert {b["type"] for b in blocks}.isdisjoint({"table", "data_visualization"})
    assert "46,843件" in json.dumps(blocks, ensure_ascii=False)


def test_the_trend_button_in_a_modal_pushes_the_figures_as_text(slack):
    interaction(slack, {"type": "block_actions", "user": {"id": "U1"}, "trigger_id": "t9",
                        "container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "modal"},
                        "actions": [{"action_id": "planbot_trend", "value": "3-(1)-①", "type": "button"}]})  # fmt: skip
    [pushed] = slack.of("views.push")
    view = pushed["view"] if isinstance(pushed["view"], dict) else json.loads(pushed["view"])
    assert {b["type"] for b in view["blocks"]}.isdisjoint({"table", "data_visualization"})
    assert "電子書籍貸出数" in json.dumps(view, ensure_ascii=False)


def test_the_global_shortcut_opens_the_search_modal(slack):
    interaction(
        slack,
        {
            "type": "shortcut",
            "callback_id": "planbot_search",
            "trigger_id": "t9",
            "user": {"id": "U1"},
            "team": {"id": "T1"},
        },
    )
    assert slack.of("views.open")[0]["trigger_id"] == "t9"


# -- signatures and failures --------------------------------------------------------------------------------
def test_a_forged_signature_is_refused(slack):
    body = json.dumps({"type": "event_callback", "event_id": "EvF", "event": mention("電子書籍")})
    assert send(slack, body, "application/json", signature="v0=" + "0" * 64)[0] == 401
    assert slack.of("chat.postMessage") == []


def test_a_stale_request_is_refused(slack):
    body = json.dumps({"type": "event_callback", "event_id": "EvS", "event": mention("電子書籍")})
    assert send(slack, body, "application/json", timestamp=int(time.time()) - 600)[0] == 401


def test_a_failure_tells_the_user_kindly_in_the_thread(kb, tmp_path):
    stub = SlackStub()
    broken = type("Broken", (), {"answer": lambda self, *a: 1 / 0, "report": kb.report, "summary": kb.summary})()
    app = build_app(Settings(bot_token="xoxb-test", signing_secret=SECRET, api_url=stub.api_url), broken,
                    http=True, state=StateStore(tmp_path / "state.db"))  # fmt: skip
    stub.app = app
    server = http_server(app, "127.0.0.1", 0)
    start(server)
    stub.events_url = f"http://127.0.0.1:{server.effective_port}/slack/events"
    try:
        assert event(stub, mention("電子書籍"))[0] == 200
        [sorry] = stub.of("chat.postMessage")
        assert sorry["text"] == SORRY and sorry["thread_ts"] == "1700000000.000100"
    finally:
        stop(server)
        stub.close()


# -- the year-end summary from Slack ------------------------------------------------------------------------
def test_the_summary_command_shows_the_digest_privately_with_no_post_button_for_others(slack):
    command(slack, "summary")
    [reply] = response_posts(slack)
    text = posted_text(reply)
    assert reply["response_type"] == "ephemeral" and "進捗まとめ" in text
    assert "planbot_post_summary" not in text and "管理者のみ" in text


def test_admins_get_a_post_button(slack):
    command(slack, "summary", user="UADMIN")
    assert "planbot_post_summary" in posted_text(response_posts(slack)[0])


def test_others_are_told_politely_that_they_cannot_post(slack):
    command(slack, "summary post", user="U1")
    assert "管理者" in response_posts(slack)[0]["text"] and slack.of("chat.postMessage") == []


def test_an_admin_posts_the_digest_with_its_thread_and_chart(slack):
    command(slack, "summary post", user="UADMIN")
    posts = slack.of("chat.postMessage")
    assert len(posts) == 6 and posts[-1]["blocks"][1]["type"] == "data_visualization"
    assert "投稿しました" in response_posts(slack)[-1]["text"]


def test_the_digest_menu_opens_a_projects_card_in_the_thread(slack):
    interaction(slack, {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "C1"}, "team": {"id": "T1"},
                        "response_url": slack.response_url(), "trigger_id": "t1",
                        "container": {"type": "message", "message_ts": "9.0", "channel_id": "C1"}, "message": {"ts": "9.0", "thread_ts": "8.0"},
                        "actions": [{"action_id": "planbot_open_project", "type": "static_select",
                                     "selected_option": {"value": "3-(3)-①"}}]})  # fmt: skip
    [post] = slack.of("chat.postMessage")
    assert post["thread_ts"] == "8.0" and "図書館の魅力や有用性を伝える広報活動の強化" in posted_text(post)


# -- conversations: threads, DMs, the assistant pane ------------------------------------------------
def dm(text: str, ts: str, channel: str = "D1", user: str = "U1", thread_ts: str | None = None) -> dict:
    ev = {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel}
    return {**ev, "thread_ts": thread_ts} if thread_ts else ev


def last_answer(stub) -> str:
    return posted_text(stub.of("chat.postMessage")[-1])


def test_a_follow_up_in_a_thread_that_mentions_the_bot_borrows_the_threads_topic(slack):
    event(slack, mention("電子書籍の進捗は？", ts="100.1"), event_id="E1")
    event(slack, {**mention("去年は？", ts="100.2"), "thread_ts": "100.1"}, event_id="E2")
    reply = slack.of("chat.postMessage")[-1]
    assert reply["thread_ts"] == "100.1" and "45,267件" in posted_text(reply)


def test_threads_do_not_share_context(slack):
    event(slack, mention("電子書籍の進捗は？", ts="200.1"), event_id="E1")
    event(slack, mention("去年は？", ts="300.1"), event_id="E2")  # a new thread: nothing to borrow
    assert "45,267" not in last_answer(slack) and "planbot の使い方" in last_answer(slack)


def test_a_dm_follow_up_borrows_the_topic_and_another_persons_dm_does_not(slack):
    event(slack, dm("ブックスタートの状況", "400.1"), event_id="E1")
    event(slack, dm("今後は？", "400.2"), event_id="E2")
    assert "周知先の拡充" in last_answer(slack)
    event(slack, dm("今後は？", "400.3", channel="D2", user="U2"), event_id="E3")
    assert "周知先の拡充" not in last_answer(slack)


def test_the_assistant_pane_greets_suggests_shows_status_and_answers_in_the_thread(slack):
    started = {"type": "assistant_thread_started", "assistant_thread": {
        "user_id": "U1", "channel_id": "D9", "thread_ts": "500.1", "context": {"channel_id": "C1"}}}  # fmt: skip
    assert event(slack, started, event_id="E1")[0] == 200
    [prompts] = slack.of("assistant.threads.setSuggestedPrompts")
    assert "電子書籍の進捗は？" in json.dumps(prompts, ensure_ascii=False)
    assert slack.of("chat.postMessage")[-1]["thread_ts"] == "500.1"

    event(slack, dm("電子書籍の進捗は？", "500.2", channel="D9", thread_ts="500.1"), event_id="E2")
    assert slack.of("assistant.threads.setStatus")[0]["status"] == "調べています…"
    assert slack.of("assistant.threads.setTitle")[0]["title"] == "電子書籍の進捗は？"
    answer = slack.of("chat.postMessage")[-1]
    assert answer["channel"] == "D9" and answer["thread_ts"] == "500.1" and "46,843" in posted_text(answer)

    event(slack, dm("去年は？", "500.3", channel="D9", thread_ts="500.1"), event_id="E3")
    assert "45,267件" in last_answer(slack)
    assert len(slack.of("assistant.threads.setTitle")) == 1  # the title comes from the first question only


def test_the_messages_tab_greets_once_suggests_prompts_and_answers_each_question_in_its_thread(slack):
    opened = {"type": "app_home_opened", "user": "U1", "tab": "messages", "channel": "D7"}
    assert event(slack, opened, event_id="E1")[0] == 200
    event(slack, opened, event_id="E2")  # opened again: the prompts again, the greeting not
    prompts = slack.of("assistant.threads.setSuggestedPrompts")
    assert len(prompts) == 2 and prompts[0]["channel_id"] == "D7" and "thread_ts" not in prompts[0]
    assert [p["message"] for p in prompts[0]["prompts"]] == [p.message for p in PROMPTS]
    [greeting] = slack.of("chat.postMessage")
    assert greeting["channel"] == "D7" and "こんにちは" in greeting["text"]

    event(slack, dm("電子書籍の進捗は？", "700.1", channel="D7"), event_id="E3")
    [status] = slack.of("assistant.threads.setStatus")
    assert status == {"channel_id": "D7", "thread_ts": "700.1", "status": "調べています…"}
    answer = slack.of("chat.postMessage")[-1]
    assert answer["thread_ts"] == "700.1" and "46,843" in posted_text(answer)


def test_app_context_changed_is_remembered_and_never_an_error(slack):
    changed = {"type": "app_context_changed", "user": "U1",
               "context": {"entities": [{"type": "slack#/types/channel_id", "value": "C1", "team_id": "T1"}]}}  # fmt: skip
    assert event(slack, changed, event_id="E1")[0] == 200
    assert event(slack, {"type": "app_context_changed", "context": {}}, event_id="E2")[0] == 200
    assert slack.of("chat.postMessage") == [] and slack.of("chat.postEphemeral") == []


def test_a_thread_title_keeps_slacks_escaping_of_what_was_typed(slack):
    event(slack, dm("&lt;!channel&gt; <https://example.org|電子書籍> の進捗", "800.1", channel="D8"), event_id="E1")
    [title] = slack.of("assistant.threads.setTitle")
    assert "<!channel>" not in title["title"] and "&lt;!channel&gt;" in title["title"]


def test_a_conversation_survives_a_server_restart(kb, tmp_path):
    stub = SlackStub()
    state = tmp_path / "state.db"
    server = start_server(kb, stub, state)
    event(stub, mention("調べ学習の支援", ts="600.1"), event_id="E1")
    stop_server(server)
    server = start_server(kb, stub, state)  # a new process would build exactly this: same state file
    event(stub, {**mention("目標は何回？", ts="600.2"), "thread_ts": "600.1"}, event_id="E2")
    assert "72回" in last_answer(stub)
    stop_server(server)
    stub.close()
