"""The fake *arr over real HTTP: a stdlib ThreadingHTTPServer in a background thread."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fakes.arr.handlers import handle
from fakes.arr.messages import FakeRequest
from fakes.arr.state import FakeArrOptions, FakeArrState

logger = logging.getLogger(__name__)


class _FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up stop()

    def __init__(self, address: tuple[str, int], state: FakeArrState) -> None:
        super().__init__(address, _RequestHandler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected (timeout tests), not a crash.
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("fake arr: client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open, like the real server; clients reuse their pool.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the client's delayed
    # ACK would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    server: _FakeHTTPServer

    def setup(self) -> None:  # once per connection
        super().setup()
        self.server.state.count_connection()

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
        response = handle(self.server.state, request)
        self.send_response(response.status)
        if response.body:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("fake arr: " + format, *args)


class FakeArr:
    """A fake Sonarr/Radarr on 127.0.0.1. ``port=0`` picks a free port; see ``.url``."""

    def __init__(
        self,
        options: FakeArrOptions | None = None,
        *,
        items: Iterable[Mapping[str, Any]] = (),
        tags: Iterable[Mapping[str, Any]] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        # ``sleep`` takes the simulated costs (latencies); tests record them instead.
        self.state = FakeArrState(options, items=items, tags=tags, sleep=sleep)
        self._address = (host, port)
        self._server: _FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeArr:
        if self._server is not None:
            return self
        self._server = _FakeHTTPServer(self._address, self.state)
        # A short poll interval so that stop() returns quickly.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-arr",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        # A stalled answer would otherwise hold its thread until stall_s passes.
        self.state.release_stalls()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeArr:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
