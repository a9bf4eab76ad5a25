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
- A list read as a stream (an *arr's library, an item's files: ``Bounds.element_bytes``
  set) is bounded per element instead of as one answer: each element's bytes (counted
  from the end of the one before), its depth, and the time without a new element (the
  deadline starts again at each one); the whole list only in its count of elements.
  Memory is then bounded by design (one element decoded at a time, whatever the
  library's size), and a 40,000-film Radarr is read as surely as a 40-film one.
- Depth: JSON is decoded from ijson's basic events, whose nesting is counted in the
  loop that hands each to ijson's item builder: no structure deeper than
  ``MAX_DEPTH`` is ever built (json.loads recurses; ijson's prefixes, made before the
  check, would grow with the square of the depth, so none is made).
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
# One element of a list read as a stream. A real one is a few KB: a SeriesResource or a
# MovieResource with its seasons, images, ratings, alternate titles and movie file is
# 4-8 KB (issue 83), an episode file with its media info about 2 KB, a quality profile
# with every quality under 20 KB. 1 MB is fifty times the largest of them (a series with
# hundreds of alternate titles still fits), yet small enough that the many lists a
# worker reads at once (an item's files, on each of its threads) hold next to nothing.
ELEMENT_BYTES = 1 * MB
# The most elements of one streamed list: 25 times the largest library reported
# (Sonarr#8072: 29,000 series; 40,000 films). What ends an endless list of well-formed
# elements, whose every element is within its bounds.
MAX_ELEMENTS = 1_000_000
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


class ListTooLong(AnswerRefused):
    pass


@dataclass(frozen=True)
class Bounds:
    """The bounds of one kind of request: its body's size, the whole exchange's time.
    With ``element_bytes``, the body is a JSON array read as a stream: ``max_bytes`` and
    ``deadline`` bound each element instead (the smaller of the two sizes, the time
    since the element before), and the array holds at most ``max_elements``."""

    max_bytes: int
    deadline: float
    max_depth: int = MAX_DEPTH
    element_bytes: int | None = None
    max_elements: int = MAX_ELEMENTS


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
        self.per_element = False  # the deadline that ends it: the element's, or the whole's
        self.restart()

    def restart(self) -> None:
        """The deadline from now: at the start, and at each element of a streamed list."""
        self.end = time.monotonic() + self.bounds.deadline
        self.seconds = self.bounds.deadline  # as messages say it: the deadline that ends it
        self.per_element = self.bounds.element_bytes is not None
        outer = _overall.get()
        if outer is not None and outer[0] < self.end:
            self.end, self.seconds = outer
            self.per_element = False

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def too_slow(self) -> AnswerTooSlow:
        seconds = f"{self.seconds:g}"
        if self.per_element:
            text = f"no new item of the list within {seconds} s"
            return AnswerTooSlow(Said(text, Code.BOUND_ITEM_SLOW, {"seconds": seconds}))
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


def item_too_large(max_bytes: int) -> AnswerTooLarge:
    megabytes = f"{max_bytes / MB:g}"
    text = f"an item of the list larger than {megabytes} MB"
    return AnswerTooLarge(Said(text, Code.BOUND_ITEM_LARGE, {"megabytes": megabytes}))


def too_long(max_elements: int) -> ListTooLong:
    text = f"a list of more than {max_elements} items"
    return ListTooLong(Said(text, Code.BOUND_LONG, {"count": max_elements}))


class BoundedBody:
    """A streamed response's body as a file (``read``) that stops at the size limit and
    the deadline. ``read_timeout`` is the longest wait for the next bytes.

    A streamed list's (``Bounds.element_bytes``): the size limit is each element's, the
    bytes read since the last ``element_ended``, and the deadline starts again there.
    The bytes are counted as read, a buffer ahead of the decoding (EVENTS_BUFFER): an
    element is refused within a buffer of its limit."""

    def __init__(self, response: requests.Response, exchange: Exchange, read_timeout: float):
        self._raw = response.raw
        self._raw.decode_content = True
        self._exchange = exchange
        self._read_timeout = read_timeout
        bounds = exchange.bounds
        self._element = bounds.element_bytes
        if self._element is not None:
            self._element = min(self._element, bounds.max_bytes)
        self._max = bounds.max_bytes
        self.count = 0
        self.elements = 0
        self._since = 0  # bytes read since the last element ended (a streamed list's)
        declared = response.headers.get("Content-Length", "")
        if self._element is None and declared.isdigit() and int(declared) > self._max:
            raise too_large(self._max)

    def element_ended(self) -> None:
        """A streamed list's element was decoded whole: the next one's bounds start."""
        self.elements += 1
        if self.elements > self._exchange.bounds.max_elements:
            raise too_long(self._exchange.bounds.max_elements)
        self._since = 0
        self._exchange.restart()

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
        if self._element is not None:
            self._since += len(data)
            if self._since > self._element:
                raise item_too_large(self._element)
        elif self.count > self._max:
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


def json_items(
    body: Any, prefix: str, max_depth: int, element_ended: Callable[[], None] | None = None
) -> Iterator[Any]:
    """The elements of a JSON array (``prefix`` ``"item"``) or the whole value (``""``),
    decoded from ijson's basic events (no prefixes: those grow with the depth, and the C
    backend makes a whole buffer's events at once), refused past ``max_depth`` levels,
    and built by ijson's own item builder; floats as floats. With ``element_ended`` (a
    streamed list's, ``BoundedBody.element_ended``): told after each element of the top
    array was handed on, once the next is asked for (the time the reader takes over an
    element is not the server's).

    One Python step per event: the depth is counted and the event handed to the builder
    (ijson's C one) in the same loop. Through ijson's ``parse`` and ``items`` generators
    it took three, the most of reading a 40,000-film list."""
    if prefix not in ("", "item"):
        raise ValueError(f"a JSON array's elements (item) or the whole value, not {prefix!r}")
    readable = body if hasattr(body, "read") else io.BytesIO(body)
    # Lone surrogate escapes mended first: ijson's C backend garbles them (json_surrogates).
    mended = SurrogateEscapesMended(readable)
    events = ijson.basic_parse(mended, buf_size=EVENTS_BUFFER, use_float=True)
    return _built(events, prefix, max_depth, element_ended)


def _built(
    events: Iterator[tuple[str, Any]],
    prefix: str,
    max_depth: int,
    element_ended: Callable[[], None] | None,
) -> Iterator[Any]:
    built = _Built()
    # Every event is sent under ``prefix`` but the top array's own (the builder starts an
    # item at an event under its prefix and takes what follows until the item closes).
    builder = _BACKEND.items_basecoro(built, prefix)
    elements = prefix == "item"
    depth = 0
    for event, value in events:
        if event in _OPENS:
            depth += 1
            if depth > max_depth:
                text = f"answer nested deeper than {max_depth} levels"
                raise AnswerTooDeep(Said(text, Code.BOUND_DEEP, {"levels": max_depth}))
            if elements and depth == 1:
                continue  # the top array opens
        elif event in _CLOSES:
            depth -= 1
            if elements and depth == 0:
                continue  # the top array closes
        builder.send((prefix, event, value))
        if built:
            yield from built
            built.clear()
            if elements and element_ended is not None:
                element_ended()


class _Built(list[Any]):
    """What ijson's builder hands on: its ``send`` appends."""

    send = list.append


_BACKEND = ijson.get_backend(ijson.backend)


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
