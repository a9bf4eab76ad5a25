"""A tiny HTTP server in a thread that keeps what is posted to it: the target of
Apprise's ``json://`` in the notification tests. Waiting is on a condition, never a sleep."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers import NOTIFY_TOKEN


class CapturingServer:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.status = 200  # what it answers; 500 plays a broken service
        self._changed = threading.Condition()
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self.send_response(capture.status)
                self.end_headers()
                with capture._changed:
                    capture.posts.append(body)
                    capture.paths.append(self.path)
                    capture._changed.notify_all()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the tests read self.posts

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The Apprise URL of this server; its path is a secret that must never leak."""
        return f"json://127.0.0.1:{self.server.server_address[1]}/{NOTIFY_TOKEN}"

    def wait_for(self, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.posts) >= count, timeout):
                raise AssertionError(f"{count} posts expected, got {self.posts}")
            return list(self.posts)

    def titles(self) -> list[str]:
        with self._changed:
            return [post.get("title", "") for post in self.posts]


@contextmanager
def capturing_server() -> Iterator[CapturingServer]:
    server = CapturingServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
