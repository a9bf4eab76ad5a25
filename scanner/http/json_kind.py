"""What a JSON value is, for a message about an answer that is not the one expected:
its type, never its text. An error quoting the body would read another service's answer
out (a connection test aimed at something else on the loopback) and store it with the
run's error and the events."""

from __future__ import annotations

from typing import Any

# The first byte of a JSON text that is not an array (RFC 8259, 3): what it starts.
_STARTS = {
    ord("{"): "an object",
    ord('"'): "a string",
    ord("t"): "true or false",
    ord("f"): "true or false",
    ord("n"): "null",
}


def json_kind(value: Any) -> str:
    """``an object``, ``a list``, ``a string``, ``a number``, ``true or false``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "another value"


def json_kind_of_start(head: bytes) -> str:
    """The same, from the first bytes of a body (white space already stripped)."""
    if not head:
        return "an empty body"
    return _STARTS.get(head[0], "a number")
