"""The ASGI→WSGI bridge that lets waitress serve the MCP app: lifespan first, then each request's whole
response, with the headers a WSGI server owns left out."""

from __future__ import annotations

import io

import pytest

from bot.asgi_bridge import AsgiBridge


def echo_app(started: list):
    """An ASGI app with a lifespan that sets state, answering each request with its method, path and body."""

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    scope["state"]["greeting"] = "hello"
                    started.append(True)
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = (await receive())["body"]
        text = f"{scope['state']['greeting']} {scope['method']} {scope['path']}?{scope['query_string'].decode()} "
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-type", b"text/plain"), (b"connection", b"close"), (b"x-seen", dict(scope["headers"])[b"x-test"])]})  # fmt: skip
        await send({"type": "http.response.body", "body": text.encode(), "more_body": True})
        await send({"type": "http.response.body", "body": body})

    return app


def call(bridge, method="POST", path="/mcp", body=b"", **headers):
    seen = {}

    def start_response(status, response_headers):
        seen["status"], seen["headers"] = status, dict(response_headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "a=1", "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/json", "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}  # fmt: skip
    return seen, b"".join(bridge(environ, start_response))


@pytest.fixture
def bridge():
    started: list = []
    b = AsgiBridge(echo_app(started))
    assert started == [True]  # the lifespan ran before any request
    yield b
    b.close()


def test_a_request_gets_the_apps_whole_response_with_the_lifespans_state(bridge):
    seen, body = call(bridge, body=b'{"x": 1}', x_test="yes")
    assert seen["status"] == "201 Created" and body == b'hello POST /mcp?a=1 {"x": 1}'
    assert seen["headers"]["x-seen"] == "yes" and "connection" not in seen["headers"]  # waitress owns Connection


def test_a_body_over_the_limit_is_refused_unread():
    b = AsgiBridge(echo_app([]), max_body=4)
    try:
        seen, _ = call(b, body=b"12345", x_test="")
        assert seen["status"] == "413 Request Entity Too Large"
    finally:
        b.close()


def test_an_app_without_a_lifespan_still_serves():
    async def plain(scope, receive, send):
        if scope["type"] == "lifespan":
            raise RuntimeError("no lifespan here")  # what many ASGI apps do
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    b = AsgiBridge(plain)
    try:
        assert call(b)[1] == b"ok"
    finally:
        b.close()
