"""The fake Jellyfin over real HTTP: a stdlib ThreadingHTTPServer in a background thread."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fakes.arr.messages import FakeRequest
from fakes.jellyfin.state import DEFAULT_LIBRARIES, FakeJellyfinState

logger = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        state: FakeJellyfinState,
        latency_s: float,
        sleep: Callable[[float], None],
    ) -> None:
        super().__init__(address, _Handler)
        self.state = state
        self.latency_s = latency_s
        self.sleep = sleep

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that hung up
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        request = FakeRequest(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        if self.server.latency_s > 0:
            self.server.sleep(self.server.latency_s)  # a real server's time per request
        response = self.server.state.handle(request)
        self.send_response(response.status)
        if response.body:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("fake jellyfin: " + format, *args)


class FakeJellyfin:
    """A fake Jellyfin on 127.0.0.1 (``port=0``: a free port; see ``.url``).
    ``latency_s`` is spent on every request before it is answered (the benchmark's
    server time; ``sleep`` lets tests record it instead of waiting)."""

    def __init__(
        self,
        *,
        token: str,
        items: Iterable[Mapping[str, Any]] = (),
        libraries: Iterable[Mapping[str, Any]] = DEFAULT_LIBRARIES,
        version: str = "10.10.3",
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.state = FakeJellyfinState(
            token=token, items=items, libraries=libraries, version=version
        )
        self._address = (host, port)
        self._latency_s = latency_s
        self._sleep = sleep
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeJellyfin:
        if self._server is None:
            self._server = _Server(self._address, self.state, self._latency_s, self._sleep)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fake-jellyfin",
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

    def __enter__(self) -> FakeJellyfin:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
