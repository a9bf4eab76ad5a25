"""File names that are not valid UTF-8.

Linux file names are bytes. Python hands such a name out with each undecodable
byte as a lone surrogate (U+DC80..U+DCFF, "surrogateescape"), which opens the file
again but cannot be stored as text (PostgreSQL, SQLite and JSON refuse it). So a
name is stored with those bytes written as ``\\xNN`` (and a backslash as ``\\\\``,
so that the storage form is lossless and unambiguous), and shown with U+FFFD
replacement characters.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\udc80-\udcff]")
_STORED_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def has_undecodable_bytes(name: str) -> bool:
    return _SURROGATE.search(name) is not None


def to_storage(name: str) -> str:
    """The name as text a database takes; ``from_storage`` gives it back exactly."""
    if "\\" not in name and not has_undecodable_bytes(name):
        return name
    escaped = name.replace("\\", "\\\\")
    return _SURROGATE.sub(lambda match: f"\\x{ord(match.group()) - 0xDC00:02x}", escaped)


def from_storage(text: str) -> str:
    if "\\" not in text:
        return text

    def unescape(match: re.Match[str]) -> str:
        escape = match.group(1)
        return "\\" if escape == "\\" else chr(0xDC00 + int(escape[1:], 16))

    return _STORED_ESCAPE.sub(unescape, text)


def display(name: str) -> str:
    """For people (pages, messages, logs, JSON): undecodable bytes as U+FFFD."""
    if not has_undecodable_bytes(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
