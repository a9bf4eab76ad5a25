"""A Seerr webhook's body, read (docs/seerr.md, "The webhook agent"): the template's
values are all strings ("603", "" for a missing one), the objects null when the
notification has none. ``read_notice`` raises BadPayload naming the field to fix, so the
webhook answers 400 and keeps nothing half-read. No Django."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

MEDIA_APPROVED: Final = "MEDIA_APPROVED"
MEDIA_AUTO_APPROVED: Final = "MEDIA_AUTO_APPROVED"
MEDIA_AVAILABLE: Final = "MEDIA_AVAILABLE"
ISSUE_CREATED: Final = "ISSUE_CREATED"
ISSUE_COMMENT: Final = "ISSUE_COMMENT"
TEST_NOTIFICATION: Final = "TEST_NOTIFICATION"
APPROVED: Final = frozenset({MEDIA_APPROVED, MEDIA_AUTO_APPROVED})
# server/lib/notifications/index.ts: every name the agent may send.
KNOWN: Final = frozenset(
    {
        "MEDIA_PENDING",
        MEDIA_APPROVED,
        MEDIA_AVAILABLE,
        "MEDIA_FAILED",
        TEST_NOTIFICATION,
        "MEDIA_DECLINED",
        MEDIA_AUTO_APPROVED,
        ISSUE_CREATED,
        ISSUE_COMMENT,
        "ISSUE_RESOLVED",
        "ISSUE_REOPENED",
        "MEDIA_AUTO_REQUESTED",
    }
)
AUDIO: Final = "AUDIO"  # IssueType[2], as {{issue_type}} names it
MAX_ID = 2**31 - 1  # Seerr's ids and TMDB's/TVDB's are 32-bit
MAX_EMAIL = 254  # Seerr's user column ``email``: an address, or a Jellyfin user's name
# An id as the agent renders it: ASCII digits only. str.isdigit() and int() also take
# other scripts' digits ("٣٠٣" is 303 to Python), which no Seerr sends.
ID_DIGITS = re.compile(r"[0-9]{1,20}", re.ASCII)


class BadPayload(ValueError):
    """The body cannot be acted on; the message names the field (English, for the
    sender: Seerr logs the answer)."""


@dataclass(frozen=True)
class Notice:
    type: str  # a KNOWN name, or another the agent may add (ignored)
    media_type: str = ""  # "movie" or "tv"
    tmdb_id: int | None = None
    tvdb_id: int | None = None
    request_id: int | None = None
    # Who asked, as Seerr's ``email`` column holds them (lower-cased): an address, or the
    # user name of a Jellyfin or Emby user Jellyseerr imported (its import stores the name
    # there: server/routes/user/index.ts). A name to look up, never checked for a shape;
    # the webhook carries no user id (webhook.ts' KeyMap has none): Seerr's request names
    # it (scanner.seerr.answering).
    requested_by: str = ""
    issue_id: int | None = None
    issue_type: str = ""  # "AUDIO", "VIDEO" ...
    reported_by: str = ""
    commented_by: str = ""
    subject: str = ""

    @property
    def asker(self) -> str:
        return self.reported_by if self.type == ISSUE_CREATED else self.requested_by


def read_notice(payload: Any) -> Notice:
    if not isinstance(payload, Mapping):
        raise BadPayload("the body must be a JSON object")
    kind = payload.get("notification_type")
    if not isinstance(kind, str) or not kind.strip():
        raise BadPayload("notification_type is missing")
    kind = kind.strip()[:40]
    if kind not in KNOWN or kind == TEST_NOTIFICATION:
        return Notice(kind)
    media = _object(payload, "media")
    request = _object(payload, "request")
    issue = _object(payload, "issue")
    comment = _object(payload, "comment")
    notice = Notice(
        kind,
        media_type=_text(media, "media_type", "media"),
        tmdb_id=_number(media, "tmdbId", "media"),
        tvdb_id=_number(media, "tvdbId", "media"),
        request_id=_number(request, "request_id", "request"),
        requested_by=_who(request, "requestedBy_email", "request"),
        issue_id=_number(issue, "issue_id", "issue"),
        issue_type=_text(issue, "issue_type", "issue").upper(),
        reported_by=_who(issue, "reportedBy_email", "issue"),
        commented_by=_who(comment, "commentedBy_email", "comment"),
        subject=_text(payload, "subject", "")[:300],
    )
    _needs(notice)
    return notice


def _needs(notice: Notice) -> None:
    """What each type Taggarr acts on must carry, else 400 (the template lacks it)."""
    if notice.type in APPROVED | {MEDIA_AVAILABLE, ISSUE_CREATED}:
        if notice.media_type not in ("movie", "tv"):
            raise BadPayload('media.media_type must be "movie" or "tv"')
        if notice.tmdb_id is None and notice.tvdb_id is None:
            raise BadPayload("media.tmdbId or media.tvdbId is needed")
    if notice.type in APPROVED | {MEDIA_AVAILABLE} and not notice.requested_by:
        raise BadPayload("request.requestedBy_email is needed")
    if notice.type == ISSUE_CREATED and (notice.issue_id is None or not notice.reported_by):
        raise BadPayload("issue.issue_id and issue.reportedBy_email are needed")
    if notice.type == ISSUE_COMMENT and not notice.commented_by:
        raise BadPayload("comment.commentedBy_email is needed")


def _object(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BadPayload(f"{key} must be an object or null")
    return value


def _text(node: Mapping[str, Any], key: str, where: str) -> str:
    value = node.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadPayload(f"{_name(where, key)} must be a string")
    return value.strip()


def _number(node: Mapping[str, Any], key: str, where: str) -> int | None:
    """A template's id: "603" (a string of ASCII digits, as the agent renders it) or 603;
    "" is none."""
    value = node.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if ID_DIGITS.fullmatch(value.strip(" ")) is None:
            raise BadPayload(f"{_name(where, key)} must be written with the digits 0-9 only")
        value = int(value.strip(" "))
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise BadPayload(f"{_name(where, key)} must be a whole number from 1")
    return value


def _who(node: Mapping[str, Any], key: str, where: str) -> str:
    """A user's ``email`` as Seerr stores it (lower-cased: User.ts' transformer), any
    text: Jellyseerr's Jellyfin users have their user name there ("maria")."""
    value = _text(node, key, where).lower()
    if len(value) > MAX_EMAIL:
        raise BadPayload(f"{_name(where, key)} must be at most {MAX_EMAIL} characters")
    return value


def _name(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
