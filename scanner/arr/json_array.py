"""A response body that must be a JSON array, for ijson to decode as it arrives.

ijson's ``items(body, "item")`` yields nothing for an object or a string, which for a
library listing would read as "the *arr has no items". The body's first byte that is
not white space (or a byte-order mark) is checked before ijson sees any.
"""

from __future__ import annotations

from scanner.http.json_kind import json_kind_of_start
from scanner.http.json_surrogates import Readable

LEADING = b" \t\r\n\xef\xbb\xbf"  # JSON white space and the UTF-8 byte-order mark
FIRST_READ = 8192


JSON_STARTS = b'{"-0123456789tfn'  # an object, a string, a number, true, false, null


class NotAnArrayError(ValueError):
    """The body starts with something else than ``[``: ``head`` is its first bytes,
    ``is_json`` whether they are nothing or start another JSON value (else: an HTML
    page, a proxy's text: shown as such)."""

    def __init__(self, head: bytes) -> None:
        self.head = head
        self.is_json = not head or head[0] in JSON_STARTS
        super().__init__(json_kind_of_start(head))  # what it was, never what it said


class JsonArrayBody:
    def __init__(self, raw: Readable) -> None:
        self._raw = raw
        self._head: bytes | None = None

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing first, to learn whether it reads bytes
        if self._head is None:
            self._head = self._first_bytes()
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._raw.read(size)

    def _first_bytes(self) -> bytes:
        head = b""
        while True:
            chunk = self._raw.read(FIRST_READ)
            if not chunk:
                raise NotAnArrayError(b"")
            head += chunk
            start = head.lstrip(LEADING)
            if start:
                break
        if not start.startswith(b"["):
            raise NotAnArrayError(start[:200])
        return start
