"""A server that answers badly on purpose, for the hostile-server tests: huge, deep,
slow, endless, redirecting, wrongly typed and wrongly encoded bodies. Standard library
only: it knows nothing of Taggarr (the fakes' rule). Bodies are written as they are
made, never built whole in memory.

``answers`` maps a path to a case name (or to JSON bytes, answered as they are); a path
not in it gets ``default``. ``seen`` keeps each request's path and headers.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MB = 1024 * 1024
HUGE = 200 * MB
DEEP = 100_000
DRIP_SECONDS = 0.2
STALL_SECONDS = 60.0
ITEM = b'{"id": 1, "title": "' + b"x" * 4000 + b'", "path": "/tv/x"},'


def _huge_list() -> Iterator[bytes]:
    yield b"["
    for _ in range(HUGE // (len(ITEM) * 256)):
        yield ITEM * 256
    yield b'{"id": 2}]'


def _endless_list() -> Iterator[bytes]:
    yield b"["
    while True:
        yield ITEM * 256


def _huge_xml() -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><MediaContainer machineIdentifier="m">'
    row = b'<Directory key="1" title="' + b"x" * 200 + b'" type="show"/>'
    for _ in range(HUGE // (len(row) * 256)):
        yield row * 256
    yield b"</MediaContainer>"


def _deep(opening: bytes, closing: bytes) -> Iterator[bytes]:
    yield opening * DEEP
    yield closing * DEEP


def _drip() -> Iterator[bytes]:
    for byte in itertools.islice(itertools.cycle(b'[{"id": 1}, '), 10_000):
        time.sleep(DRIP_SECONDS)  # the server's pace, not the test's
        yield bytes([byte])


def _stall() -> Iterator[bytes]:
    yield b'[{"id": 1}, '
    time.sleep(STALL_SECONDS)  # then nothing: the client's deadline must end it first
    yield b"]"


BODIES = {
    "huge": _huge_list,
    "endless": _endless_list,
    "huge_xml": _huge_xml,
    "deep_arrays": lambda: _deep(b"[", b"]"),
    "deep_objects": lambda: itertools.chain([b"["], _deep(b'{"a":', b"}"), [b"]"]),
    "deep_xml": lambda: _deep(b"<a>", b"</a>"),
    "drip": _drip,
    "stall": _stall,
    "object_for_list": lambda: iter([b'{"page": 1, "records": []}']),
    "strings_for_numbers": lambda: iter(
        [b'[{"id": "one", "title": 7, "seasons": "many", "statistics": "none"}]']
    ),
    "invalid_utf8": lambda: iter([b'[{"id": 1, "title": "\xff\xfe\xc3("}]']),
}
REDIRECTS = {"redirect_file": "file:///etc/passwd"}


class HostileServer:
    def __init__(self, default: str = "huge", answers: dict[str, str | bytes] | None = None):
        self.default = default
        self.answers = answers or {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.redirect_to = ""  # the "redirect_other" case's target
        handler = type("Handler", (_Handler,), {"hostile": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    hostile: HostileServer
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        path = urlsplit(self.path).path
        self.hostile.seen.append((path, dict(self.headers.items())))
        case = self.hostile.answers.get(path, self.hostile.default)
        if isinstance(case, bytes):
            self._send(200, iter([case]))
        elif case in REDIRECTS or case == "redirect_other":
            target = REDIRECTS.get(case) or self.hostile.redirect_to + self.path
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif case == "silent":  # accepts, reads the request, never answers
            time.sleep(STALL_SECONDS)
        else:
            self._send(200, BODIES[case]())

    def _send(self, status: int, body: Iterator[bytes]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")  # the clients do not look
        self.end_headers()
        try:
            for chunk in body:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:  # the client stopped reading: what the tests want
            return

    do_GET = do_POST = do_PUT = _answer
