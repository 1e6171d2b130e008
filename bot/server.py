"""Run the app: Socket Mode (default, no public URL) or HTTP on /slack/events behind waitress.

In HTTP mode every request is checked before anything reads it as Slack's: the path and method, its
size (413 past MAX_BODY), then its signature and timestamp (401), then its shape (400 for a body that
is not UTF-8 JSON or form data). Only then does Bolt see it, so the error handler only ever acts on
verified requests, and nothing malformed reaches a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import signal
import threading
import time
from urllib.parse import parse_qs

log = logging.getLogger("planbot")
EVENTS_PATH = "/slack/events"
MAX_AGE = 5 * 60  # seconds: an older timestamp is a replay
MAX_BODY = 1 << 20  # Slack's payloads are a few kB; a view submission stays well under 1 MiB
DRAIN_SECONDS = 20.0  # on SIGTERM, how long answers under way may take before the process exits

# waitress, sized for a burst of Slack events: acks are quick, answers run on the app's work queue.
SERVER_OPTIONS = {
    "threads": 16,  # request threads: each only verifies, records and acks
    "backlog": 1024,  # a burst waits in the kernel queue instead of being reset
    "connection_limit": 1000,
    "channel_timeout": 30,  # an idle connection is closed after 30 s instead of holding a thread
    "max_request_body_size": MAX_BODY,
    "max_request_header_size": 64 * 1024,
    "ident": "planbot",
    "expose_tracebacks": False,
}


def _plain(start_response, status: str, text: str = ""):
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def slack_wsgi(app, signing_secret: str, max_body: int = MAX_BODY):
    """The WSGI application for /slack/events: checks, then Bolt's handler."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    key = signing_secret.encode()

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, "405 Method Not Allowed", "POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request", "bad Content-Length")
        if length > max_body:
            return _plain(start_response, "413 Payload Too Large", "too large")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _signed_by_slack(key, body, timestamp, signature):
            return _plain(start_response, "401 Unauthorized", "invalid signature")
        if not _well_formed(body, environ.get("CONTENT_TYPE", "")):
            return _plain(start_response, "400 Bad Request", "malformed body")
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            return handler(environ, start_response)
        except Exception:  # a fault of ours, not of the request: logged, and Slack retries the event
            log.exception("request failed")
            return _plain(start_response, "500 Internal Server Error", "error")

    return wsgi


def _signed_by_slack(key: bytes, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature over the raw bytes (which need not be UTF-8), from the last five minutes."""
    if not (timestamp.isdigit() and signature.startswith("v0=")) or abs(time.time() - int(timestamp)) > MAX_AGE:
        return False
    expected = hmac.new(key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest("v0=" + expected, signature)


def _well_formed(body: bytes, content_type: str) -> bool:
    """A JSON object, or UTF-8 form data whose `payload` (if any) is a JSON object."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, strict_parsing=bool(text), keep_blank_values=True)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return True
    except (UnicodeDecodeError, ValueError):
        return False


def http_server(app, host: str = "127.0.0.1", port: int = 3000, signing_secret: str | None = None,
                mounts: dict | None = None, **options):  # fmt: skip
    """A waitress server for the app on host:port (port 0: any free port; see `.effective_port`).
    `mounts` maps a path to another WSGI application served beside /slack/events (planbot's /mcp)."""
    from waitress.server import create_server

    secret = signing_secret if signing_secret is not None else app._signing_secret
    wsgi = _mounted(mounts, slack_wsgi(app, secret)) if mounts else slack_wsgi(app, secret)
    return create_server(wsgi, host=host, port=port, **{**SERVER_OPTIONS, **options})


def _mounted(mounts: dict, fallback):
    """Requests for a mounted path go to its application (which does its own checks); the rest to Slack's."""

    def route(environ, start_response):
        return mounts.get(environ.get("PATH_INFO", ""), fallback)(environ, start_response)

    return route


def start(server) -> threading.Thread:
    """Run a server's loop on a thread of its own (the main thread keeps the signal handlers)."""
    loop = threading.Thread(target=server.run, name="planbot-http", daemon=True)
    loop.start()
    return loop


def stop(server, timeout: float = 5.0) -> None:
    """Stop taking connections, and let requests already read get their responses (up to timeout)."""
    closed = threading.Event()

    def close_in_loop():  # run by the server's own loop: no select() left waiting on a closed socket
        server.close()
        closed.set()

    server.trigger.pull_trigger(close_in_loop)
    if not closed.wait(1.0):  # the loop is not running: close from here
        server.close()
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)


def serve_http(app, host: str, port: int, drain: float = DRAIN_SECONDS, mounts: dict | None = None) -> None:
    """Serve until SIGTERM or SIGINT, then stop taking requests and let answers under way finish."""
    server = http_server(app, host, port, mounts=mounts)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stopping.set())
    start(server)
    log.info("listening on http://%s:%s%s", host, server.effective_port, EVENTS_PATH)
    stopping.wait()
    log.info("stopping: no new requests; finishing answers under way (up to %.0f s)", drain)
    app.work.closing = True  # anything still arriving gets 503, and Slack retries it after the restart
    stop(server)
    _drain(app, drain)


def serve_socket_mode(app, app_token: str, drain: float = DRAIN_SECONDS) -> None:
    """Connect over Socket Mode; on SIGTERM or SIGINT disconnect and let answers under way finish."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    handler.connect()
    log.info("connected over Socket Mode")
    stop.wait()
    log.info("stopping: disconnecting; finishing answers under way")
    try:
        handler.disconnect()
    finally:
        _drain(app, drain)


def _drain(app, seconds: float) -> None:
    left = app.work.drain(seconds)
    if left:
        log.warning("%d answer(s) still under way after %.1f s: they are recorded and finish at the next start",
                    left, seconds)  # fmt: skip
    else:
        log.info("all acknowledged requests answered")
