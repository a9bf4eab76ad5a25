"""The HTTP server the fakes share: a request and an answer as plain values, and a
stdlib ThreadingHTTPServer in a background thread that turns the one into the other.

A fake subclasses ``FakeServer`` and answers in ``handle``; its routes, state and
failures are its own. In process::

    with SomeFake(...) as fake:
        requests.get(f"{fake.url}/...")
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # names lowercased
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON  # sent only with a body
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, status: int, payload: Any) -> Response:
        return cls(status, json.dumps(payload).encode())


class FakeServer:
    """A fake server on ``host`` (127.0.0.1); ``port=0`` picks a free port, see ``.url``.

    ``latency_s`` is spent on every request before it is handled (a real server's time
    per request); ``sleep`` lets tests record it instead of waiting.
    """

    name = "fake"  # names the serving thread and the log lines
    keep_blank_values = False  # whether ``?a=`` reaches ``handle`` as ``{"a": [""]}``

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._address = (host, port)
        self._latency_s = latency_s
        self._sleep = sleep
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- what a fake provides -------------------------------------------------------

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def connection_opened(self) -> None:
        """Once per TCP connection accepted (a kept-alive one carries many requests)."""

    def stopping(self) -> None:
        """Before the server shuts down: release any answer held back on purpose."""

    # -- running --------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._server = _HTTPServer(self._address, self)
        # A short poll interval so that stop() returns quickly.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self.stopping()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def answer(self, request: Request) -> Response:
        """What the server's request thread calls: the latency, then ``handle``."""
        if self._latency_s > 0:
            self._sleep(self._latency_s)
        return self.handle(request)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up stop()

    def __init__(self, address: tuple[str, int], fake: FakeServer) -> None:
        super().__init__(address, _RequestHandler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected (timeout tests), not a crash.
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("%s: client %s went away", self.fake.name, client_address)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open, like the real servers; clients reuse their pool.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the client's
    # delayed ACK would hold up every answer (bench/README.md).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:  # once per connection
        super().setup()
        self.server.fake.connection_opened()

    def _dispatch(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        url = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=fake.keep_blank_values),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        response = fake.answer(request)
        self.send_response(response.status)
        if response.body:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The path only: a query can carry the key (?apikey=, ?X-Plex-Token=).
        path = urlsplit(self.path).path
        logger.debug("%s: %s %s %s", self.server.fake.name, self.command, path, code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s: " + format, self.server.fake.name, *args)
