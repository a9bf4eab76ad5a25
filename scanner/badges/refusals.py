"""Why a poster's badges were not planned, not written or not undone, as codes
(BadgeChange.refusal) and the sentences the pages show for them, in the reader's
language, each with what it would take."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.connect.sentences import said

NO_POSTER = "no-poster"  # the item's folder holds no poster file
NO_BADGES = "no-badges"  # the item has no dub to show: nothing is drawn
LINK = "link"  # the poster is a symbolic link: never followed into what it points to
OUTSIDE = "outside"  # resolved, the poster leaves the library
HARDLINKED = "hardlinked"  # the poster has another hard link (detail: how many)
TOO_LARGE = "too-large"  # larger than the covers' 4 MB
UNREADABLE = "unreadable"  # could not be opened or read (detail: the system's words)
NOT_AN_IMAGE = "not-an-image"  # Pillow could not draw on it (detail: why, English)
GONE = "gone"  # the poster is no longer there
CHANGED = "changed"  # the poster changed since it was planned (undo: since it was written)
WRITE_FAILED = "write-failed"  # could not be written, or read back otherwise
SHARE_UNANSWERED = "share-unanswered"  # the share did not answer within the hold limit
NO_ORIGINAL = "no-original"  # undo: the original kept is missing (never expected)
SERVER_UNANSWERED = "server-unanswered"  # the media server did not answer (detail: server)
SERVER_FAILED = "server-failed"  # it answered an error (detail: server, said)
NO_SERVER_POSTER = "no-server-poster"  # the server item has no primary image (detail: server)

# Refused, and planned again by the next run (the poster may be fine then).
PLANNED_AGAIN = frozenset({CHANGED, SHARE_UNANSWERED, SERVER_UNANSWERED})

REFUSALS: dict[str, Any] = {
    NO_POSTER: _(
        "no poster file beside the item (poster.jpg or folder.jpg): let Sonarr or Radarr "
        "save its artwork in the folder (Metadata: Kodi (XBMC) / Emby), then scan again"
    ),
    NO_BADGES: _("no dub to show on the poster"),
    LINK: _("the poster is a link: Taggarr never writes through a link"),
    OUTSIDE: _("the poster lies outside the library"),
    HARDLINKED: _(
        "the poster has %(links)s hard links: another item or a download may share it; "
        "give this item its own copy to have badges drawn"
    ),
    TOO_LARGE: _("the poster is larger than 4 MB"),
    UNREADABLE: _("the poster could not be read (%(why)s)"),
    NOT_AN_IMAGE: _("the poster is not an image Taggarr can draw on"),
    GONE: _("the poster is no longer there"),
    CHANGED: _(
        "the poster changed since it was planned: someone put another one there; the next "
        "scan plans it again"
    ),
    WRITE_FAILED: _("the poster could not be written (%(why)s): it was left as it was"),
    SHARE_UNANSWERED: _("the share stopped answering: the next scan plans it again"),
    NO_ORIGINAL: _("the original poster is no longer kept: nothing to put back"),
    SERVER_UNANSWERED: _(
        "the media server %(server)s did not answer: the next scan plans it again"
    ),
    SERVER_FAILED: _("the media server %(server)s refused the poster: %(said)s"),
    NO_SERVER_POSTER: _("the media server %(server)s has no poster for this item"),
}

# Why an undo was refused, where the refusal's own sentence does not say it for an undo.
UNDO_WHY: dict[str, Any] = {
    CHANGED: _("another poster was put there since Taggarr drew on it: it is left alone"),
}


def refusal_text(code: str, detail: Mapping[str, Any] | None = None) -> str:
    """The sentence for a refusal ``code`` with its ``detail`` (BadgeChange.detail)."""
    detail = detail if isinstance(detail, Mapping) else {}
    text = REFUSALS.get(code)
    if text is None:
        return gettext("not changed (%(code)s)") % {"code": code}
    values = {
        "links": detail.get("links", "?"),
        "why": detail.get("why", "?"),
        "server": detail.get("server", "?"),
        "said": _said(detail.get("said")),
    }
    return str(text) % values if "%(" in str(text) else str(text)


def undo_text(code: str, detail: Mapping[str, Any] | None = None) -> str:
    """Why an undo left the poster as it was."""
    if code in UNDO_WHY:
        return str(UNDO_WHY[code])
    return refusal_text(code, detail)


def _said(value: Any) -> str:
    """A server's answer kept as JSON (scanner.http.reasons.to_data), in the reader's
    language; "?" when there is none or it cannot be read."""
    if not isinstance(value, str):
        return "?"
    try:
        return said(json.loads(value))
    except ValueError:
        return "?"
