"""What an answer was, said by its JSON type, never by its text (scanner.http.json_kind)."""

from __future__ import annotations

import pytest

from scanner.http.json_kind import json_kind, json_kind_of_start


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"secret": 1}, "an object"), (["secret"], "a list"), ("secret", "a string"),
        (3, "a number"), (2.5, "a number"), (True, "true or false"), (None, "null"),
    ],
)  # fmt: skip
def test_a_value_is_said_by_its_type(value: object, kind: str) -> None:
    assert json_kind(value) == kind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'{"secret"', "an object"), (b'"secret"', "a string"), (b"-1", "a number"),
        (b"true", "true or false"), (b"null", "null"), (b"", "an empty body"),
    ],
)  # fmt: skip
def test_a_body_is_said_by_its_first_byte(head: bytes, kind: str) -> None:
    assert json_kind_of_start(head) == kind
