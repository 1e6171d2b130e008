"""Run the app: Socket Mode (default, no public URL) or HTTP on /slack/events."""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger("planbot")
EVENTS_PATH = "/slack/events"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow request must not hold up the next one's 3-second ack


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # request lines go to our logger, not stderr
        log.debug("%s - %s", self.address_string(), format % args)


def http_server(app, host: str = "127.0.0.1", port: int = 3000):
    """A threaded WSGI server for the Bolt app: POST /slack/events, signatures checked by Bolt."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    handler = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != EVENTS_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return handler(environ, start_response)

    return make_server(host, port, wsgi, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)


def serve_socket_mode(app, app_token: str) -> None:
    """Connect to Slack over Socket Mode and serve until interrupted."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()
