"""Run the app: Socket Mode (default, no public URL) or HTTP on /slack/events behind waitress.

In HTTP mode every request is checked before anything reads it as Slack's (bot/gate.py): the path and
method, its size (413 past MAX_BODY), then its signature and timestamp (401), then its shape (400).
Only then does Bolt see it, with the body as parsed here, so the error handler only ever acts on
verified requests, and nothing malformed reaches a traceback. The server itself closes connections
that send a request too slowly, and makes room for new connections when the limit is reached.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from bot import gate

log = logging.getLogger("planbot")
EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are a few kB; a view submission stays well under 1 MiB
DRAIN_SECONDS = 20.0  # on SIGTERM, how long answers under way may take before the process exits
REQUEST_DEADLINE = 10.0  # seconds from a request's first byte to its last: Slack sends in milliseconds
EVICT_SHARE = 0.1  # at the connection limit, this share of the slowest unserved connections is closed

# waitress, sized for a burst of Slack events: acks are quick, answers run on the app's work queue.
SERVER_OPTIONS = {
    "threads": 16,  # request threads: each only verifies, records and acks
    "backlog": 1024,  # a burst waits in the kernel queue instead of being reset
    "connection_limit": 1000,
    "channel_timeout": 30,  # an idle connection is closed after 30 s instead of holding a thread
    "cleanup_interval": 1,  # how often idle and slow connections are looked for
    "asyncore_use_poll": True,  # select() fails past file descriptor 1024, well within connection_limit
    "max_request_body_size": MAX_BODY,
    "max_request_header_size": 64 * 1024,
    "ident": "planbot",
    "expose_tracebacks": False,
}


def _plain(start_response, status: str, text: str = ""):
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def slack_wsgi(app, signing_secret: str, max_body: int = MAX_BODY, refusals: gate.Refusals | None = None):
    """The WSGI application for /slack/events: the checks of bot/gate.py, then Bolt."""
    from slack_bolt.request import BoltRequest
    from slack_bolt.request.internals import build_context

    refusals = refusals or gate.Refusals()

    def refuse(start_response, refusal: gate.Refusal):
        refusals.note(refusal)
        return _plain(start_response, refusal.status, refusal.status.split(" ", 1)[1].lower())

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != EVENTS_PATH:
            return refuse(start_response, gate.Refusal("404 Not Found", "another path"))
        if environ.get("REQUEST_METHOD") != "POST":
            return refuse(start_response, gate.Refusal("405 Method Not Allowed", "not a POST"))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(start_response, gate.Refusal("400 Bad Request", "bad Content-Length"))
        if length > max_body:
            return refuse(start_response, gate.Refusal("413 Payload Too Large", "body too large"))
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        text = gate.verify(signing_secret, body, timestamp, environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        if isinstance(text, gate.Refusal):
            return refuse(start_response, text)
        content_type = environ.get("CONTENT_TYPE", "")
        parsed = gate.parse(text, content_type)
        if isinstance(parsed, gate.Refusal):
            return refuse(start_response, parsed)
        headers = {k[5:].lower().replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers["content-type"] = content_type
        try:
            request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
            if request.body != parsed:  # Bolt reads any form containing "payload" as an interaction
                request.body = parsed
                request.context = build_context(request.context, parsed)
            response = app.dispatch(request)
        except Exception:  # a fault of ours, not of the request: logged, and Slack retries the event
            log.exception("request failed")
            return _plain(start_response, "500 Internal Server Error", "error")
        data = (response.body or "").encode()
        out = [(k, v) for k, values in response.headers.items() for v in values if k.lower() != "content-length"]
        start_response(f"{response.status} {_REASONS.get(response.status, 'OK')}",
                       [*out, ("Content-Length", str(len(data)))])  # fmt: skip
        return [data]

    return wsgi


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable"}


class _GuardedChannel(HTTPChannel):
    """A connection that remembers when its current request began, so a slow sender can be closed."""

    began: float | None = None

    def received(self, data):
        if self.request is None and data:
            self.began = time.time()  # the clock waitress keeps last_activity on
        try:
            return super().received(data)
        finally:
            if self.request is None:
                self.began = None


class GuardedServer(TcpWSGIServer):
    """waitress with two defences against connections that hold slots without sending requests
    (slow-loris): a request must arrive whole within REQUEST_DEADLINE seconds of its first byte, and at
    the connection limit the slowest connections not being served are closed to make room (waitress
    alone stops accepting, so a thousand dripping connections would lock everyone out)."""

    channel_class = _GuardedChannel
    _said = 0.0  # when the last eviction was logged: once a minute at most, under attack too

    def maintenance(self, now):
        super().maintenance(now)
        late = now - REQUEST_DEADLINE
        for channel in list(self.active_channels.values()):
            if not channel.requests and channel.began is not None and channel.began < late:
                channel.will_close = True

    def readable(self):
        if self.accepting and len(self._map) >= self.adj.connection_limit:
            self._evict()
        return super().readable()

    def _evict(self) -> None:
        idle = [c for c in self.active_channels.values() if not c.requests and not c.will_close]
        idle.sort(key=lambda c: c.began if c.began is not None else c.last_activity)
        closing = idle[: max(1, int(len(idle) * EVICT_SHARE))] if idle else []
        for channel in closing:
            channel.will_close = True
        if closing and time.monotonic() - self._said > 60:
            self._said = time.monotonic()
            log.warning("connection limit reached: closing the %d slowest or idlest connection(s) to make room",
                        len(closing))  # fmt: skip


def http_server(app, host: str = "127.0.0.1", port: int = 3000, signing_secret: str | None = None,
                mounts: dict | None = None, **options):  # fmt: skip
    """A waitress server for the app on host:port (port 0: any free port; see `.effective_port`).
    `mounts` maps a path to another WSGI application served beside /slack/events (planbot's /mcp)."""
    secret = signing_secret if signing_secret is not None else app._signing_secret
    wsgi = _mounted(mounts, slack_wsgi(app, secret)) if mounts else slack_wsgi(app, secret)
    return GuardedServer(wsgi, host=host, port=port, **{**SERVER_OPTIONS, **options})


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
