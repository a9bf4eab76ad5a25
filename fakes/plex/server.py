"""The fake Plex over real HTTP: a stdlib ThreadingHTTPServer in a background thread."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fakes.plex.handlers import FakeRequest, handle
from fakes.plex.state import FakePlexState

logger = logging.getLogger(__name__)


class _FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up stop()

    def __init__(
        self,
        address: tuple[str, int],
        state: FakePlexState,
        latency_s: float,
        sleep: Callable[[float], None],
    ) -> None:
        super().__init__(address, _RequestHandler)
        self.state = state
        self.latency_s = latency_s
        self.sleep = sleep

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected, not a crash.
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("fake plex: client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _FakeHTTPServer

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # Plex takes its edits in the query, never a body
        url = urlsplit(self.path)
        request = FakeRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        if self.server.latency_s > 0:
            self.server.sleep(self.server.latency_s)  # a real server's time per request
        response = handle(self.server.state, request)
        self.send_response(response.status)
        if response.body:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        # The request line can carry ?X-Plex-Token=...: never log it.
        logger.debug("fake plex: %s %s", self.command, urlsplit(self.path).path)


class FakePlex:
    """A fake Plex Media Server on 127.0.0.1. ``port=0`` picks a free port; see ``.url``.

    ::

        with FakePlex(token="t") as fake:
            fake.state.add_section("1", "TV Shows", "show", ["/tv"])
            fake.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"])

    ``latency_s`` is spent on every request before it is answered (the benchmark's
    server time; ``sleep`` lets tests record it instead of waiting).
    """

    def __init__(
        self,
        *,
        token: str,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        **identity: str,
    ):
        self.state = FakePlexState(token=token, **identity)
        self._address = (host, port)
        self._latency_s = latency_s
        self._sleep = sleep
        self._server: _FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePlex:
        if self._server is not None:
            return self
        self._server = _FakeHTTPServer(self._address, self.state, self._latency_s, self._sleep)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-plex",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> FakePlex:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
