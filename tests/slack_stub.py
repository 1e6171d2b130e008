"""A recording stand-in for the Slack Web API on 127.0.0.1 (DESIGN.md §6): no network beyond localhost."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class SlackStub:
    """Answers Web API calls as Slack would and records each one: `calls` is [(method, args)]."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.errors: dict[str, str] = {}  # method → Slack error to answer with, e.g. "not_in_channel"
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
                with stub.lock:
                    stub.calls.append((method, args))
                data = json.dumps(stub.answer(method, args)).encode()
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

    def responses(self) -> list[dict]:
        """What was posted to response_urls, in order."""
        with self.lock:
            return [a for m, a in self.calls if m.startswith("/response/")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
