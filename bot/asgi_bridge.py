"""Serve an ASGI application from a WSGI server (waitress) in the same process.

One asyncio loop on a thread of its own runs the ASGI app, its lifespan first; each WSGI request is
handed to that loop and its whole response collected before it is returned. That fits request/response
protocols (planbot's MCP endpoint answers every call as one JSON body), not endless streams: a
response that has not finished within `timeout` seconds is cut off with 504.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from http import HTTPStatus

log = logging.getLogger("planbot")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authenticate",
    "proxy-authorization",
}  # fmt: skip  (WSGI servers own these: an app may not set them)


class AsgiBridge:
    """A WSGI application that runs `asgi_app` on a private event loop (started with its lifespan)."""

    def __init__(self, asgi_app, timeout: float = 60.0, max_body: int = 1 << 20):
        self.app = asgi_app
        self.timeout = timeout
        self.max_body = max_body
        self.state: dict = {}  # the lifespan's state, shared with every request as ASGI asks
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="planbot-asgi", daemon=True)
        self._thread.start()
        self._lifespan_messages: asyncio.Queue | None = None
        self._lifespan_done: asyncio.Event | None = None
        self._call(self._startup())

    # -- lifespan ------------------------------------------------------------------------------------
    async def _startup(self) -> None:
        messages: asyncio.Queue = asyncio.Queue()
        started, done = asyncio.Event(), asyncio.Event()
        failure: list[str] = []

        async def send(message: dict) -> None:
            kind = message["type"]
            if kind in ("lifespan.startup.complete", "lifespan.startup.failed"):
                if kind.endswith("failed"):
                    failure.append(message.get("message", ""))
                started.set()
            elif kind.startswith("lifespan.shutdown"):
                done.set()

        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
        await messages.put({"type": "lifespan.startup"})

        def ended(task: asyncio.Task) -> None:  # an app without a lifespan returns or raises at once
            if not task.cancelled() and task.exception() is not None:
                log.debug("the ASGI app takes no lifespan: %s", task.exception())
            started.set()
            done.set()

        asyncio.ensure_future(self.app(scope, messages.get, send)).add_done_callback(ended)
        await started.wait()
        if failure:
            raise RuntimeError(f"the ASGI app failed to start: {failure[0]}")
        self._lifespan_messages, self._lifespan_done = messages, done

    def close(self) -> None:
        """Run the app's shutdown and stop the loop."""

        async def shutdown() -> None:
            if self._lifespan_messages is not None and self._lifespan_done is not None:
                await self._lifespan_messages.put({"type": "lifespan.shutdown"})
                await self._lifespan_done.wait()

        try:
            self._call(shutdown())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(self.timeout)

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(self.timeout)

    # -- requests ------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.max_body:
            return _plain(start_response, 413 if length > 0 else 400)
        body = environ["wsgi.input"].read(length) if length else b""
        future = asyncio.run_coroutine_threadsafe(self._respond(_scope(environ, self.state), body), self.loop)
        try:
            status, headers, chunks = future.result(self.timeout)
        except TimeoutError:
            future.cancel()
            log.error("%s %s took over %.0f s: cut off", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                      self.timeout)  # fmt: skip
            return _plain(start_response, 504)
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return chunks

    async def _respond(self, scope: dict, body: bytes) -> tuple[int, list[tuple[str, str]], list[bytes]]:
        sent_request = False
        finished = asyncio.Event()
        status, headers, chunks = 500, [], []

        async def receive() -> dict:
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": body, "more_body": False}
            await finished.wait()  # nothing more comes from a WSGI request: the client is gone once answered
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in HOP_BY_HOP]  # fmt: skip
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    finished.set()

        try:
            await self.app(scope, receive, send)
        finally:
            finished.set()
        return status, headers, chunks


def _scope(environ: dict, state: dict) -> dict:
    """The ASGI http scope of a WSGI request."""
    headers = [(k[5:].replace("_", "-").lower().encode("latin-1"), v.encode("latin-1"))
               for k, v in environ.items() if k.startswith("HTTP_")]  # fmt: skip
    for key, name in (("CONTENT_TYPE", b"content-type"), ("CONTENT_LENGTH", b"content-length")):
        if environ.get(key):
            headers.append((name, environ[key].encode("latin-1")))
    path = environ.get("PATH_INFO", "/")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.1").split("/")[-1],
        "method": environ["REQUEST_METHOD"],
        "scheme": environ.get("wsgi.url_scheme", "http"),
        "path": path,
        "raw_path": path.encode("latin-1"),
        "root_path": "",
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": headers,
        "server": (environ.get("SERVER_NAME", ""), int(environ.get("SERVER_PORT") or 0)),
        "client": (environ.get("REMOTE_ADDR", ""), int(environ.get("REMOTE_PORT") or 0)),
        "state": dict(state),
    }


def _plain(start_response, status: int) -> list[bytes]:
    text = HTTPStatus(status).phrase.encode()
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(text)))])  # fmt: skip
    return [text]
