"""App Home (the plan at a glance, how to ask) and the 「事業を探す」 modal with type-ahead."""

from __future__ import annotations

from bot.cards import clip, for_views, render, render_blocks
from handlers._reply import acked_then

SEARCH_MODAL = "planbot_search"
PROJECT_SELECT = "planbot_project_select"


def search_modal() -> dict:
    """The modal with a type-ahead over the projects."""
    return {
        "type": "modal",
        "callback_id": SEARCH_MODAL,
        "title": {"type": "plain_text", "text": "事業を探す"},
        "submit": {"type": "plain_text", "text": "表示"},
        "close": {"type": "plain_text", "text": "閉じる"},
        "blocks": [
            {
                "type": "input",
                "block_id": "project",
                "label": {"type": "plain_text", "text": "事業名・番号・ことば"},
                "element": {
                    "type": "external_select",
                    "action_id": PROJECT_SELECT,
                    "min_query_length": 0,
                    "placeholder": {"type": "plain_text", "text": "例: 電子書籍、3-1-1、ブックポスト"},
                },
            }
        ],
    }


def home_view(kb) -> dict:
    """The App Home tab: summary, help, and the search button (at most 100 blocks)."""
    summary = for_views([b for m in render(kb.summary()) for b in m.blocks])
    help_blocks = [b for m in render(kb.answer("使い方")) for b in m.blocks if b["type"] != "header"]
    search = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "planbot_open_search",
                "style": "primary",
                "text": {"type": "plain_text", "text": "事業を探す"},
            }
        ],
    }
    blocks = [search, *summary, {"type": "divider"}, *help_blocks]
    return {"type": "home", "blocks": blocks[:100]}


def register(app, kb, settings, question_log) -> None:
    """Listen for App Home, the search button and shortcut, the type-ahead and the modal's submit.

    What calls the Web API runs after the ack on the work queue's task threads; the type-ahead and the
    modal's submit answer in their ack (no Web API call)."""
    later = acked_then(app.work.background)

    @app.event("app_home_opened")
    @later
    def publish_home(event, client):
        if event.get("tab", "home") == "home":
            view = home_view(kb)
            if event["user"] in settings.admins and question_log.store is not None:  # others see nothing of the log
                view["blocks"] = (view["blocks"] + render_blocks("question_log.json.j2", s=question_log.month()))[:100]
            client.views_publish(user_id=event["user"], view=view)

    @app.action("planbot_open_search")
    @later
    def open_search_from_home(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=search_modal())

    @app.shortcut(SEARCH_MODAL)
    @later
    def open_search_from_shortcut(ack, shortcut, client):
        ack()
        client.views_open(trigger_id=shortcut["trigger_id"], view=search_modal())

    @app.options(PROJECT_SELECT)
    def suggest_projects(ack, payload):
        projects = kb.suggest(payload.get("value", ""))
        ack(
            options=[
                {"text": {"type": "plain_text", "text": clip(f"{p.id} {p.name}", 75)}, "value": p.id} for p in projects
            ]
        )

    @app.view(SEARCH_MODAL)
    def show_chosen_project(ack, view):
        chosen = view["state"]["values"]["project"][PROJECT_SELECT]["selected_option"]["value"]
        answer = kb.project_card(chosen)
        app.work.background(lambda: question_log.record("home", answer))  # the ack must not wait on SQLite
        blocks = for_views([b for m in render(answer) for b in m.blocks])[:100]
        ack(
            response_action="update",
            view={"type": "modal", "title": {"type": "plain_text", "text": "事業の進捗"}, "blocks": blocks},
        )
