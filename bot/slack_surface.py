"""What planbot asks of Slack, as data: the events it listens to and the scopes it needs, each with
why. `manifest.yml` must declare exactly these (tests/test_manifest.py), so a scope nothing uses is
never asked for and an event a listener needs is never missing."""

from __future__ import annotations

# event → the listener that handles it
EVENTS: dict[str, str] = {
    "app_mention": "handlers/messages.py: a question in a channel, answered in its thread",
    "message.im": "handlers/messages.py: a question in the Messages tab (agent messaging) or a DM",
    "app_home_opened": "handlers/home.py (Home tab) and handlers/assistant.py (Messages tab: greeting, prompts)",
    "app_context_changed": "handlers/assistant.py: what the person is looking at, remembered",
}

# Served for apps installed earlier with the assistant pane (assistant_view); a new app's manifest uses
# agent_view, which sends app_home_opened and app_context_changed instead.
LEGACY_EVENTS: dict[str, str] = {
    "assistant_thread_started": "handlers/assistant.py: greeting and prompts in a new pane thread",
    "assistant_thread_context_changed": "handlers/assistant.py: the pane thread's context, remembered",
}

# scope → the Web API methods (or deliveries) that need it, as the code calls them
SCOPES: dict[str, tuple[str, ...]] = {
    "app_mentions:read": ("app_mention",),
    "assistant:write": (
        "assistant_threads_setStatus",
        "assistant_threads_setTitle",
        "assistant_threads_setSuggestedPrompts",
    ),
    "chat:write": ("chat_postMessage", "chat_postEphemeral", "chat_scheduleMessage"),
    "commands": ("slash_commands", "shortcuts"),
    "im:history": ("message.im",),
    "mcp:connect": ("mcp_servers",),
}
