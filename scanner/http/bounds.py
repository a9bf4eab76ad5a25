"""How much of another server's answer Taggarr reads, and for how long: every client's
body goes through here, so a huge, deep, slow or endless answer ends as an error that
names the bound, never as a worker or a web process that grows or hangs.

- Size: the body is read with ``stream=True`` a chunk at a time and counted as it
  arrives (after decompression: a small gzip body cannot become a large one); reading
  stops at the limit.
- Time: requests' timeouts are per read, so a server sending a byte a second never
  trips them. Each exchange has a deadline; before each chunk the socket's timeout is
  set to the smaller of the read timeout and the time left, and ``read1`` returns what
  has come rather than waiting for a whole buffer. A web request's calls share one
  deadline besides (``overall_deadline``), well inside gunicorn's timeout.
- Depth: JSON is decoded from ijson's basic events through a generator that counts
  the nesting, then into ijson's own prefixes and item builder: no structure deeper
  than ``MAX_DEPTH`` is ever built (json.loads recurses; ijson's prefixes, made
  before the check, would grow with the square of the depth).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import ijson
import requests
from urllib3.exceptions import ReadTimeoutError

from scanner.http.json_surrogates import SurrogateEscapesMended
from scanner.http.reasons import Code, Said

# Deeper than any answer of the *arrs, Jellyfin, Emby or Plex (their deepest objects
# nest under ten levels), shallow enough that nothing built is ever costly.
MAX_DEPTH = 64
CHUNK = 64 * 1024
# What ijson's C backend decodes at once: a buffer of "[[[[..." is as many events.
EVENTS_BUFFER = 16 * 1024
MB = 1024 * 1024
# The defaults of the settings (taggarr/settings.py reads them from the environment):
DEFAULT_ANSWER_MB = 64  # an *arr's answer: its library is the largest (README)
DEFAULT_PAGE_MB = 16  # a media server's answer: a page of items, one item, its libraries
DEFAULT_DEADLINE_SECONDS = 300.0  # one whole exchange, never less than its read timeout
_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})

# The end of the block's deadline (time.monotonic()) and its length in seconds.
_overall: ContextVar[tuple[float, float] | None] = ContextVar("overall_deadline", default=None)


class AnswerRefused(Exception):
    """An answer went past a bound; the message says which ("answer larger than 64 MB"),
    and ``said`` says it to a person (scanner.http.reasons)."""

    def __init__(self, text: str) -> None:
        super().__init__(str(text))
        self.said = text if isinstance(text, Said) else None


class AnswerTooLarge(AnswerRefused):
    pass


class AnswerTooDeep(AnswerRefused):
    pass


class AnswerTooSlow(AnswerRefused):
    pass


@dataclass(frozen=True)
class Bounds:
    """The bounds of one kind of request: its body's size, the whole exchange's time."""

    max_bytes: int
    deadline: float
    max_depth: int = MAX_DEPTH


@contextmanager
def overall_deadline(seconds: float) -> Iterator[None]:
    """Every exchange in the block (in this thread) ends by ``seconds`` from now, or
    sooner: what a web request waits for."""
    mine = (time.monotonic() + seconds, seconds)
    outer = _overall.get()
    token = _overall.set(mine if outer is None or mine[0] < outer[0] else outer)
    try:
        yield
    finally:
        _overall.reset(token)


class Exchange:
    """One request and its answer against their deadline."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.end = time.monotonic() + bounds.deadline
        self.seconds = bounds.deadline  # as messages say it: the deadline that ends it
        outer = _overall.get()
        if outer is not None and outer[0] < self.end:
            self.end, self.seconds = outer

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def too_slow(self) -> AnswerTooSlow:
        seconds = f"{self.seconds:g}"
        text = f"no complete answer within {seconds} s"
        return AnswerTooSlow(Said(text, Code.BOUND_SLOW, {"seconds": seconds}))

    def timeout(self, connect: float, read: float) -> tuple[float, float]:
        """requests' (connect, read) timeouts, neither past the deadline."""
        left = self.remaining()
        if left <= 0:
            raise self.too_slow()
        left = max(round(left, 3), 0.001)  # a deadline as long as a timeout leaves it be
        return (min(connect, left), min(read, left))


def too_large(max_bytes: int) -> AnswerTooLarge:
    megabytes = f"{max_bytes / MB:g}"
    text = f"answer larger than {megabytes} MB"
    return AnswerTooLarge(Said(text, Code.BOUND_LARGE, {"megabytes": megabytes}))


class BoundedBody:
    """A streamed response's body as a file (``read``) that stops at the size limit and
    the deadline. ``read_timeout`` is the longest wait for the next bytes."""

    def __init__(self, response: requests.Response, exchange: Exchange, read_timeout: float):
        self._raw = response.raw
        self._raw.decode_content = True
        self._exchange = exchange
        self._read_timeout = read_timeout
        self._max = exchange.bounds.max_bytes
        self.count = 0
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max:
            raise too_large(self._max)

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing first, to learn whether it reads bytes
        left = self._exchange.remaining()
        if left <= 0:
            raise self._exchange.too_slow()
        _set_socket_timeout(self._raw, min(self._read_timeout, left))
        try:
            data = self._raw.read1(CHUNK if size < 0 else size)
        except (TimeoutError, ReadTimeoutError):
            if self._exchange.remaining() <= 0.05:
                raise self._exchange.too_slow() from None
            raise
        self.count += len(data)
        if self.count > self._max:
            raise too_large(self._max)
        return data

    def read_all(self) -> bytes:
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)


def _set_socket_timeout(raw: Any, seconds: float) -> None:
    """urllib3 offers no timeout per read: its connection's socket takes one (the
    response keeps its connection while the body is streamed)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def depth_checked(events: Iterator[tuple[str, Any]], max_depth: int) -> Iterator[Any]:
    """ijson's basic events (no prefixes: those grow with the depth, and the C backend
    makes a whole buffer's events at once), refused past ``max_depth`` levels."""
    depth = 0
    for event, value in events:
        if event in _OPENS:
            depth += 1
            if depth > max_depth:
                text = f"answer nested deeper than {max_depth} levels"
                raise AnswerTooDeep(Said(text, Code.BOUND_DEEP, {"levels": max_depth}))
        elif event in _CLOSES:
            depth -= 1
        yield event, value


def json_items(body: Any, prefix: str, max_depth: int) -> Iterator[Any]:
    """ijson's items at ``prefix`` (``"item"``: an array's elements; ``""``: the whole
    value), built by ijson from depth-checked events; floats as floats."""
    readable = body if hasattr(body, "read") else io.BytesIO(body)
    # Lone surrogate escapes mended first: ijson's C backend garbles them (json_surrogates).
    mended = SurrogateEscapesMended(readable)
    events = ijson.basic_parse(mended, buf_size=EVENTS_BUFFER, use_float=True)
    items: Iterator[Any] = ijson.items(ijson.parse(depth_checked(events, max_depth)), prefix)
    return items


_EMPTY = object()


def json_value(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """A whole JSON body (already read, so bounded in size) as Python values, never
    deeper than ``max_depth``; None for an empty body. Raises ijson.JSONError for a
    body that is not JSON."""
    if not data.strip():
        return None
    value = next(json_items(data, "", max_depth), _EMPTY)
    if value is _EMPTY:
        raise ijson.IncompleteJSONError("no JSON value")
    return value


def bounded_request(
    send: Callable[..., requests.Response],
    method: str,
    url: str,
    bounds: Bounds,
    *,
    connect_timeout: float,
    read_timeout: float,
    stream: bool = False,
    **kwargs: Any,
) -> tuple[requests.Response, BoundedBody]:
    """Send one request with ``send`` (a session's ``request``), never following a
    redirect, and return the response with its body as a ``BoundedBody``; unless
    ``stream``, the body is read here (into ``response.content``: ``.text`` works as
    before) and closed.
    Raises AnswerRefused past a bound, requests' exceptions as requests raises them.

    A redirect is never followed: on a change of host requests drops only the
    Authorization header (``Session.rebuild_auth``, requests/sessions.py), so X-Api-Key,
    X-Emby-Token and X-Plex-Token would go along to the other host; and a client tells
    the user which URL to use instead."""
    exchange = Exchange(bounds)
    timeout = exchange.timeout(connect_timeout, read_timeout)
    try:
        response = send(method, url, timeout=timeout, stream=True, allow_redirects=False, **kwargs)
    except requests.Timeout:
        if exchange.remaining() <= 0.05:
            raise exchange.too_slow() from None
        raise
    try:
        body = BoundedBody(response, exchange, read_timeout)
        if not stream:
            response._content = body.read_all()
            # requests' own flag (requests/models.py), which types-requests leaves out
            response._content_consumed = True  # type: ignore[attr-defined]
    except BaseException:
        response.close()
        raise
    if not stream:
        response.close()
    return response, body
