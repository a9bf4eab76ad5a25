"""A server that answers badly on purpose: huge, deep, slow, endless, redirecting,
wrongly typed and wrongly encoded bodies; lists far longer than a whole answer's limit
("many": well-formed), with one element too large, too deep or never finished; for the
hostile-server tests and the benchmark (bench/hostile.py). Bodies are written as they
are made (a megabyte at a time), never built whole in memory: a 1.5 GB answer costs the
fake nothing.

``answers`` maps a path to a case name (or to JSON bytes, answered as they are); a path
not in it gets ``default``. A path under ``/case/<name>/`` gets the case ``<name>``
instead of ``default`` (the rest of the path is looked up in ``answers`` as usual): one
server plays every case, each at its own base URL. ``seen`` keeps each request's path
and headers.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MB = 1024 * 1024
HUGE = 200 * MB
DEEP = 100_000
DRIP_SECONDS = 0.2
STALL_SECONDS = 60.0
ITEM = b'{"id": 1, "title": "' + b"x" * 4000 + b'", "path": "/tv/x"},'
ITEM_BYTES = 2 * MB  # the "huge_item" case's one element: past a list element's limit
ITEM_LEVELS = 100  # the "deep_item" case's one element: past a list's depth, not absurdly
MANY = 200_000  # the "many" case's elements
CASE_PREFIX = "/case/"


class HostileServer:
    """``huge_bytes``, ``deep_levels`` and ``drip_seconds`` size the cases; set
    ``redirect_to`` (another server's URL) for the "redirect_other" case."""

    def __init__(
        self,
        default: str = "huge",
        answers: dict[str, str | bytes] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        huge_bytes: int = HUGE,
        deep_levels: int = DEEP,
        drip_seconds: float = DRIP_SECONDS,
        many_items: int = MANY,
    ):
        self.default = default
        self.answers = answers or {}
        self.huge_bytes = huge_bytes
        self.deep_levels = deep_levels
        self.drip_seconds = drip_seconds
        self.many_items = many_items
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.print_requests = False  # each request's method and path on stdout
        self.closing = threading.Event()  # set on exit: slow bodies end, connections close
        self.redirect_to = ""  # the "redirect_other" case's target
        handler = type("Handler", (_Handler,), {"hostile": self})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://{host}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def case_for(self, path: str) -> tuple[str | bytes, str]:
        """The case that answers ``path``, and the path as the client meant it."""
        default = self.default
        if path.startswith(CASE_PREFIX):
            name, _, rest = path.removeprefix(CASE_PREFIX).partition("/")
            default, path = name, "/" + rest
        return self.answers.get(path, default), path

    def body(self, case: str) -> Iterator[bytes]:
        return BODIES[case](self)


def _huge_list(server: HostileServer) -> Iterator[bytes]:
    yield b"["
    for _ in range(server.huge_bytes // (len(ITEM) * 256)):
        yield ITEM * 256
    yield b'{"id": 2}]'


def _endless_list(server: HostileServer) -> Iterator[bytes]:
    yield b"["
    while True:
        yield ITEM * 256


def many_item(number: int) -> bytes:
    """The "many" case's element ``number``: all the same length (1,000 bytes with its
    comma), so the Content-Length is known before any is made."""
    head = b'{"id": %9d, "title": "Show %9d", "path": "/tv/Show %9d", "overview": "' % (
        number, number, number,
    )  # fmt: skip
    return head + b"x" * (997 - len(head)) + b'"}'


def many_length(items: int) -> int:
    """The "many" case's body length for ``items`` elements."""
    return 1000 * items + 1 if items else 2


def _many(server: HostileServer) -> Iterator[bytes]:
    """A long, well-formed list, made as it is sent: ``many_items`` elements of 1,000
    bytes each (its comma included), whatever the total."""
    yield b"["
    batch: list[bytes] = []
    for number in range(1, server.many_items + 1):
        batch.append(many_item(number))
        if len(batch) == 256:
            yield b",".join(batch) + (b"," if number < server.many_items else b"")
            batch = []
    if batch:
        yield b",".join(batch)
    yield b"]"


def _huge_item(server: HostileServer) -> Iterator[bytes]:
    """Well-formed elements, then one of ITEM_BYTES (a title two megabytes long)."""
    yield b'[{"id": 1, "path": "/tv/a"}, {"id": 2, "path": "/tv/b", "title": "'
    for _ in range(ITEM_BYTES // MB):
        yield b"x" * MB
    yield b'"}]'


def _deep_item(server: HostileServer) -> Iterator[bytes]:
    """Well-formed elements, then one nested ITEM_LEVELS deep."""
    yield b'[{"id": 1, "path": "/tv/a"}, {"id": 2, "path": "/tv/b", "tags": '
    yield b"[" * ITEM_LEVELS + b"]" * ITEM_LEVELS
    yield b"}]"


def _stall_list(server: HostileServer) -> Iterator[bytes]:
    """Well-formed elements, then nothing in the middle of the list (until the server
    stops): each element came in time, the next never does."""
    yield b'[{"id": 1, "path": "/tv/a"}, {"id": 2, "path": "/tv/b"}, {"id": 3, '
    if not server.closing.wait(STALL_SECONDS):
        yield b'"path": "/tv/c"}]'


def _huge_xml(server: HostileServer) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><MediaContainer machineIdentifier="m">'
    row = b'<Directory key="1" title="' + b"x" * 200 + b'" type="show"/>'
    for _ in range(server.huge_bytes // (len(row) * 256)):
        yield row * 256
    yield b"</MediaContainer>"


def _deep(server: HostileServer, opening: bytes, closing: bytes) -> Iterator[bytes]:
    yield opening * server.deep_levels
    yield closing * server.deep_levels


def _drip(server: HostileServer) -> Iterator[bytes]:
    for byte in itertools.islice(itertools.cycle(b'[{"id": 1}, '), 10_000):
        if server.closing.wait(server.drip_seconds):  # the server's pace, not the test's
            return
        yield bytes([byte])


def _stall(server: HostileServer) -> Iterator[bytes]:
    yield b'[{"id": 1}, '
    # Then nothing (until the server stops): the client's deadline must end it first.
    if not server.closing.wait(STALL_SECONDS):
        yield b"]"


def _once(body: bytes) -> Callable[[HostileServer], Iterator[bytes]]:
    return lambda server: iter([body])


BODIES: dict[str, Callable[[HostileServer], Iterator[bytes]]] = {
    "huge": _huge_list,
    "endless": _endless_list,
    "huge_xml": _huge_xml,
    "deep_arrays": lambda server: _deep(server, b"[", b"]"),
    "deep_objects": lambda server: itertools.chain([b"["], _deep(server, b'{"a":', b"}"), [b"]"]),
    "deep_xml": lambda server: _deep(server, b"<a>", b"</a>"),
    "drip": _drip,
    "stall": _stall,
    "stall_list": _stall_list,
    "huge_item": _huge_item,
    "deep_item": _deep_item,
    "many": _many,
    "object_for_list": _once(b'{"page": 1, "records": []}'),
    "strings_for_numbers": _once(
        b'[{"id": "one", "title": 7, "seasons": "many", "statistics": "none"}]'
    ),
    "invalid_utf8": _once(b'[{"id": 1, "title": "\xff\xfe\xc3("}]'),
}
REDIRECTS = {"redirect_file": "file:///etc/passwd"}
CASES = (*BODIES, *REDIRECTS, "redirect_other", "silent", "cut")


class _Handler(BaseHTTPRequestHandler):
    hostile: HostileServer
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        case, path = self.hostile.case_for(urlsplit(self.path).path)
        self.hostile.seen.append((path, dict(self.headers.items())))
        if self.hostile.print_requests:
            print(f"{self.command} {self.path}", flush=True)
        if isinstance(case, bytes):
            self._send(200, iter([case]))
        elif case in REDIRECTS or case == "redirect_other":
            target = REDIRECTS.get(case) or self.hostile.redirect_to + self.path
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif case == "cut":  # promises more than it sends, then closes: the answer cut
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"Id": "cut')
            self.wfile.flush()
            self.close_connection = True
        elif case == "silent":  # accepts, reads the request, never answers
            self.hostile.closing.wait(STALL_SECONDS)
        elif case == "many":  # a length known ahead, as Kestrel's would be for a file
            self._send(200, self.hostile.body(case), length=many_length(self.hostile.many_items))
        else:
            self._send(200, self.hostile.body(case))

    def _send(self, status: int, body: Iterator[bytes], length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")  # the clients do not look
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            for chunk in body:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:  # the client stopped reading: what the tests want
            return

    do_GET = do_POST = do_PUT = _answer
