"""Thin Slack listeners, grouped by Slack feature; each module has `register(app, …)`."""
