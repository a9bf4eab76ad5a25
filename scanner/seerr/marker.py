"""Taggarr's marker on each message it leaves in Seerr (issue 79): a last line that
signs it and numbers it, ``— Taggarr #12.2`` (the ask's id, then the message's number for
that ask). A name and numbers, the same in every language; Seerr shows it as the
message's last paragraph (IssueComment: ReactMarkdown, paragraphs kept). Read back from
the issue (GET /api/v1/issue/:id answers its comments) before the next message is posted,
it tells what Seerr already took when its answer never came: a timeout, a killed worker.
No Django."""

from __future__ import annotations

import re
from collections.abc import Iterable

SIGNATURE = "— Taggarr"
_MARK = re.compile(r"(?:\A|\n)— Taggarr #([0-9]{1,10})\.([0-9]{1,6})[ \t]*\Z", re.ASCII)


def marked(text: str, ask_id: int, number: int) -> str:
    """``text`` as posted: the marker as its own last paragraph."""
    return f"{text}\n\n{SIGNATURE} #{ask_id}.{number}"


def taken(messages: Iterable[str], ask_id: int) -> int:
    """The highest number among the ask's marked messages (0: none)."""
    numbers = [0]
    for message in messages:
        found = _MARK.search(message.rstrip())
        if found is not None and int(found[1]) == ask_id:
            numbers.append(int(found[2]))
    return max(numbers)
