"""The bounds' own rules (scanner/http/bounds.py); the clients against hostile servers:
tests/hostile/. ijson builds what its events say (ICRAR/ijson src/ijson/common.py,
``ObjectBuilder``): the depth is checked on the events before any is built."""

from __future__ import annotations

import ijson
import pytest
from django.conf import settings

from scanner.http import bounds
from scanner.http.bounds import AnswerTooDeep, Bounds, Exchange, json_value, overall_deadline


def test_an_answer_as_deep_as_the_limit_is_read_and_one_level_more_is_refused() -> None:
    limit = bounds.MAX_DEPTH
    assert json_value(b"[" * limit + b"1" + b"]" * limit) is not None
    with pytest.raises(AnswerTooDeep, match=f"deeper than {limit} levels"):
        json_value(b'{"a":' * (limit + 1) + b"1" + b"}" * (limit + 1))


def test_a_whole_answer_is_decoded_as_json_says() -> None:
    assert json_value(b' {"a": [1, 2.5, "x", null, true]} ') == {"a": [1, 2.5, "x", None, True]}
    assert json_value(b"  ") is None
    with pytest.raises(ijson.JSONError):
        json_value(b'{"a": 1')


def test_a_web_requests_deadline_ends_every_exchange_in_it_and_says_its_own_length() -> None:
    long = Bounds(max_bytes=1, deadline=300)
    assert Exchange(long).seconds == 300
    # An inner, longer one does not lengthen it:
    with overall_deadline(20), overall_deadline(60):
        exchange = Exchange(long)
    assert exchange.seconds == 20 and exchange.remaining() <= 20
    assert "within 20 s" in str(exchange.too_slow())


def test_the_settings_default_to_what_a_client_built_without_them_uses() -> None:
    assert settings.MAX_ANSWER_MB == bounds.DEFAULT_ANSWER_MB
    assert settings.MAX_PAGE_MB == bounds.DEFAULT_PAGE_MB
    assert settings.HTTP_DEADLINE_SECONDS == bounds.DEFAULT_DEADLINE_SECONDS


def test_each_element_of_a_streamed_list_is_told_once_after_it_was_handed_on() -> None:
    """What starts a streamed list's element bounds again (BoundedBody.element_ended):
    every value at the array's own level, a scalar or a whole container, and only once
    the reader asks for what follows it."""
    told: list[int] = []
    seen: list[object] = []
    body = b' [1, {"a": [2, {"b": 3}]}, "x", [[]], null, {}] '
    for item in bounds.json_items(body, "item", bounds.MAX_DEPTH, lambda: told.append(len(seen))):
        seen.append(item)
    assert seen == [1, {"a": [2, {"b": 3}]}, "x", [[]], None, {}]
    assert told == [1, 2, 3, 4, 5, 6]


def test_a_streamed_lists_deadline_is_its_elements_unless_a_web_request_ends_sooner() -> None:
    listed = Bounds(max_bytes=1, deadline=300, element_bytes=1)
    exchange = Exchange(listed)
    assert "no new item of the list within 300 s" in str(exchange.too_slow())
    with overall_deadline(20):
        exchange.restart()
    assert "no complete answer within 20 s" in str(exchange.too_slow())
