"""A recording stand-in for the Slack Web API on 127.0.0.1 (docs/design.md §2): no network beyond localhost."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class SlackStub:
    """Answers Web API calls as Slack would and records each one: `calls` is [(method, args)]."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.times: list[float] = []  # time.perf_counter() of each call, as calls
        self.errors: dict[str, str] = {}  # method → Slack error to answer with, e.g. "not_in_channel"
        # method (or response path) → what to answer the next calls with, in turn: an HTTP status, or
        # "reset" to drop the connection; once used up, calls are answered normally.
        self.fail_next: dict[str, list] = {}
        self.answered: list[tuple[str, object]] = []  # (method, status or "reset") for every call
        self.latency = 0.0  # seconds before each answer (a slow Slack)
        self.delays: dict[str, float] = {}  # method → seconds before answering it (a hung call: more than the timeout)
        self.retry_after = 0  # the Retry-After header sent with a planned 429
        self.delivered: list[tuple[str, dict, float]] = []  # (method, args, time) of calls answered ok
        self.hung: set[str] = set()  # methods that never answer: the connection is held, then dropped unanswered
        self.hang_seconds = 30.0
        self.lock = threading.Lock()
        self.uploads: list[bytes] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if self.path.startswith("/upload/"):
                    stub.uploads.append(raw)
                    args = {"_bytes": len(raw)}
                elif "json" in kind:
                    args = json.loads(raw or b"{}")
                else:
                    args = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                method = self.path.removeprefix("/api/").split("?")[0]
                if method in stub.hung:  # Slack never answers: nothing is posted, the caller times out
                    with stub.lock:
                        stub.answered.append((method, "hung"))
                    time.sleep(stub.hang_seconds)
                    self.close_connection = True
                    return
                with stub.lock:
                    stub.calls.append((method, args))
                    stub.times.append(time.perf_counter())
                    planned = stub.fail_next.get(method) or []
                    fault = planned.pop(0) if planned else None
                    stub.answered.append((method, fault or 200))
                if stub.latency or method in stub.delays:
                    time.sleep(stub.delays.get(method, stub.latency))
                if fault == "reset":
                    self.connection.shutdown(socket.SHUT_RDWR)  # the connection drops mid-request
                    self.close_connection = True
                    return
                if fault:
                    self.send_response(fault)
                    if fault == 429:
                        self.send_header("Retry-After", str(stub.retry_after))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer = stub.answer(method, args)
                if answer.get("ok"):
                    with stub.lock:
                        stub.delivered.append((method, args, time.perf_counter()))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_PUT = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def answer(self, method: str, args: dict) -> dict:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "planbot"}
        if method in ("chat.postMessage", "chat.scheduleMessage"):
            ts = f"1700000000.{len(self.calls):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "scheduled_message_id": "Q1"}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.url}/upload/F1", "file_id": "F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "chart"}]}
        return {"ok": True}

    def of(self, method: str) -> list[dict]:
        """The arguments of every call to one method, in order."""
        with self.lock:
            return [a for m, a in self.calls if m == method]

    def statuses(self, method: str) -> list:
        """What each call to a method was answered with (200, 500, "reset"…), in order."""
        with self.lock:
            return [s for m, s in self.answered if m == method]

    def responses(self) -> list[dict]:
        """What was posted to response_urls, in order."""
        with self.lock:
            return [a for m, a in self.calls if m.startswith("/response/")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
