"""A JSON body with its lone surrogate escapes made ``\\ufffd``, for ijson (every JSON
answer Taggarr reads goes through it: scanner.http.bounds.json_items).

JSON may escape a surrogate alone (``"\\ud800"``; RFC 8259, 8.2 leaves such strings'
meaning open). Python's json decodes it into a str that scanner.outside_text cleans,
but ijson's C backend hands it to yajl, whose decoder (lloyd/yajl src/yajl_encode.c,
``yajl_string_decode``) writes a lone high surrogate as ``?`` and a lone low one as
bytes that are not UTF-8, which ijson then refuses (UnicodeDecodeError): one title
would end the whole listing. So the escapes are mended before yajl sees them, as the
body arrives, to what scanner.outside_text makes of them: U+FFFD. A pair stays, and so
does every other escape; ``\\\\`` is read as one escape, so ``\\\\ud800`` (a backslash,
then the letters) is left alone.
"""

from __future__ import annotations

import re
from typing import Protocol

# A surrogate escape: a pair (kept) or a lone one (mended), unless its backslash is
# itself escaped (the second of "\\\\"): _mended looks.
_SURROGATE_ESCAPE = re.compile(
    rb"\\u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|[dD][89a-fA-F][0-9a-fA-F]{2})"
)
_HIGH = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
_ESCAPE = 6  # \uD83D
_LONGEST = 12  # a pair: \uD83D\uDE00
# A run of backslashes held back whole for its parity, up to this; a longer one (no
# *arr writes one) is cut where it is.
_LONGEST_RUN = 4096
REPLACEMENT = rb"\ufffd"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class SurrogateEscapesMended:
    def __init__(self, raw: Readable) -> None:
        self._raw = raw
        self._held = b""  # the end of the last read: an escape may go on in the next

    def read(self, size: int = -1, /) -> bytes:
        if size == 0:
            return b""
        while True:
            chunk = self._raw.read(size)
            mended, self._held = _mend(self._held + chunk, final=not chunk)
            if mended or not chunk:
                return mended


def _mend(buffer: bytes, *, final: bool) -> tuple[bytes, bytes]:
    """The buffer's bytes up to a cut no escape crosses, mended, and the rest."""
    if final:
        return _mend_all(buffer), b""
    cut = max(0, len(buffer) - _LONGEST)
    started = buffer.rfind(b"\\", max(0, cut - _ESCAPE + 1), cut)
    cut = started if started != -1 else cut  # an escape cut off: it goes on
    if _HIGH.fullmatch(buffer, max(0, cut - _ESCAPE), cut):
        cut -= _ESCAPE  # a high surrogate: the low one may follow
    run_start = len(buffer[:cut].rstrip(b"\\"))  # a run of backslashes: for its parity
    cut = run_start if cut - run_start <= _LONGEST_RUN else cut
    return _mend_all(buffer[:cut]), buffer[cut:]


def _mend_all(text: bytes) -> bytes:
    return _SURROGATE_ESCAPE.sub(_mended, text) if b"\\u" in text else text


def _mended(escape: re.Match[bytes]) -> bytes:
    text, start = escape.string, escape.start()
    before = start
    while before > 0 and text[before - 1] == 0x5C:  # a backslash
        before -= 1
    found = escape.group()
    if (start - before) % 2:  # "\\" then the letter u: what follows is read again
        return found[:2] + _mend_all(found[2:])
    return found if len(found) == _LONGEST else REPLACEMENT
