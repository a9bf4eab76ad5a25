"""How far a server's clock is from ours, read from its answer's ``Date`` header (RFC 9110,
6.6.1: an origin server with a clock sends one in every answer; Kestrel, which serves
Sonarr and Radarr, does). A date the server records (an import in its history) is read
on our clock by moving it back by that offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_HEADER = 64  # an IMF-fixdate is 29 characters


def clock_offset(date_header: str | None, now: datetime) -> timedelta | None:
    """How far ahead the server's clock is of ``now`` (aware); None without a readable
    Date header."""
    if not date_header or len(date_header) > MAX_HEADER:
        return None
    try:
        theirs = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if theirs.tzinfo is None:
        return None
    return theirs - now
