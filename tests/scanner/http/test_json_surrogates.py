"""scanner.http.json_surrogates: the *arr's series and movie lists are decoded by ijson's
C backend, whose yajl turns a lone high surrogate escape into "?" and a lone low one
into bytes ijson refuses (lloyd/yajl src/yajl_encode.c, yajl_string_decode): mended
first, as they arrive, to what Python's json and scanner.outside_text make of them."""

from __future__ import annotations

import io
import json

import ijson
import pytest

from scanner import outside_text
from scanner.http.json_surrogates import SurrogateEscapesMended

BODIES = [
    rb'["a\ud800 b", "\udc80", "\uDBFF"]',
    rb'["\ud83d\ude00 a pair stays", "\uD83D\uDE00"]',
    rb'["\\ud800 a backslash, then letters", "\\\ud800", "\\\\\\\udc80"]',
    rb'["x\ud800\ud800y", "\ud800\\ud800", "\\uD83D\uDE00\uD83D\uDE00"]',
    rb'["\u00e9\u3042\\", "\/\"\n"]',
    b'["' + b"\\\\" * 40 + rb'\ud800"]',
]


class Trickle:
    """A body that arrives ``size`` bytes at a time, as a socket may give it."""

    def __init__(self, body: bytes, size: int) -> None:
        self._body, self._size = io.BytesIO(body), size

    def read(self, size: int = -1, /) -> bytes:
        return self._body.read(self._size if size < 0 else min(size, self._size))


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("size", [1, 2, 5, 7, 11, 13, 8192])
def test_ijson_reads_what_json_and_outside_text_make_of_it(body: bytes, size: int) -> None:
    expected = [outside_text.SURROGATE.sub("\ufffd", text) for text in json.loads(body)]
    mended = SurrogateEscapesMended(Trickle(body, size))
    assert list(ijson.items(mended, "item")) == expected


def test_a_lone_low_surrogate_no_longer_stops_the_decoder() -> None:
    body = rb'["fine", "Anime \udc80 Dubbed"]'
    with pytest.raises(UnicodeDecodeError):
        list(ijson.items(io.BytesIO(body), "item"))  # what the listing did before
    assert list(ijson.items(SurrogateEscapesMended(io.BytesIO(body)), "item")) == [
        "fine", "Anime \ufffd Dubbed",
    ]  # fmt: skip
