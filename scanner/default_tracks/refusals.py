"""Why a file's default flags were not planned or not written, as codes
(DefaultTrackChange.refusal) and the sentences the pages show for them, in the reader's
language, with what it would take (issue 81, item 2: each refusal tested, said).

The codes the header reader raises (matroska.HeaderError.code) are refusals too: a file
whose header cannot be read is never written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# The plan's.
NOT_MATROSKA = "not-matroska"  # not a Matroska or WebM file (by its name, or its bytes)
# An MP4 (ISO BMFF) has no default flag: players read its tkhd's track_enabled flag
# instead (FFmpeg, which Jellyfin and Emby probe with: libavformat/mov.c, mov_read_tkhd,
# "flags & MOV_TKHD_FLAG_ENABLED ? AV_DISPOSITION_DEFAULT"), and Apple's players never play
# a disabled track: clearing it on the other audio tracks would hide them there. Refused.
MP4 = "mp4"
HARDLINKED = "hardlinked"  # more than one hard link, and the instance leaves those alone
LINK = "link"  # a symbolic link: never followed into the file it points to
OUTSIDE = "outside"  # resolved, outside its item's folder or the instance's root folders
MISPLACED = frozenset({LINK, OUTSIDE})  # files.misplaced's: never written through
UNCERTAIN = "uncertain"  # the choice is uncertain (detail "doubt": engine Doubt)
NO_CHOICE = "no-choice"  # no track in the targets nor the original: nothing chosen
NO_ROOM = "no-room"  # a missing FlagDefault must be added, no Void to take it
SHARE_UNANSWERED = "share-unanswered"  # the share did not answer within the hold limit
UNREADABLE = "unreadable"  # the file could not be opened or read
TRUNCATED = "truncated"  # the header is cut short
NO_TRACKS = "no-tracks"  # no Tracks element in the header
TOO_LARGE = "too-large"  # the header is larger than the reader reads
INTERRUPTED = "interrupted"  # a write of this file was interrupted: undo it first
# The write's.
IMPORTING = "importing"  # the *arr is importing a download of the item: planned again
ARR_UNANSWERED = "arr-unanswered"  # the *arr could not say whether it imports: planned again
CRC = "crc"  # the header's CRC-32 did not match before any change: a damaged header
CHANGED = "changed"  # the file changed since it was planned (or, for undo, written)
VERIFY = "verify"  # MediaInfo read the file otherwise after the write: undone, failed
# ... and that undo was refused (detail "not_undone": why, an undo refusal's code): the row
# is "not-undone", its new bytes may be in the file.
VERIFY_NOT_UNDONE = "verify-not-undone"
WRITE_FAILED = "write-failed"  # the bytes read back were not the ones written
GONE = "gone"  # the file is no longer there
# Undo's own (detail "undo", with "undo_until"): another task holds the item until then.
BUSY = "busy"
EXTERNAL_AUDIO = "external-audio"  # the choice is an audio file beside the video (detail "file")

# Refused, and planned again by the next run (the file may be fine then).
PLANNED_AGAIN = frozenset({IMPORTING, ARR_UNANSWERED, CHANGED, SHARE_UNANSWERED})

REFUSALS: dict[str, Any] = {
    NOT_MATROSKA: _("not a Matroska file: only Matroska (MKV, WebM) files are changed"),
    MP4: _(
        'an MP4 file: it has no default flag. Players read a track\'s "enabled" flag '
        "instead, and some (Apple's) never play a disabled track: left as it is"
    ),
    HARDLINKED: _(
        "the file has %(nlink)s hard links: a torrent may still be seeding it, and its data "
        'would no longer match. Turn on "also in hardlinked files" to change it anyway'
    ),
    LINK: _(
        "the file is a symbolic link: Taggarr never writes through one into the file it "
        "points to (another library's, or a download still seeding). Point the *arr at the "
        "file itself"
    ),
    OUTSIDE: _(
        "the file lies outside its item's folder or the instance's root folders: Taggarr "
        "writes only the library's own files"
    ),
    UNCERTAIN: _("which track is the household's is uncertain: nothing is changed"),
    NO_CHOICE: _("no track is in the target languages or the original: nothing is changed"),
    NO_ROOM: _(
        "a default flag must be added and the header has no room for it: Taggarr never "
        "rewrites a file. MKVToolNix can: %(command)s"
    ),
    SHARE_UNANSWERED: _(
        "the share did not answer within the hold limit: the file is untouched, it is "
        "planned again at the next scan"
    ),
    UNREADABLE: _("the file could not be read"),
    TRUNCATED: _("the file's header is cut short (still being copied?)"),
    NO_TRACKS: _("the file's header lists no tracks"),
    TOO_LARGE: _("the file's header is larger than Taggarr reads"),
    INTERRUPTED: _("a change of this file was interrupted: undo it before a new one is planned"),
    IMPORTING: _("the *arr is importing a download of this item: planned again at the next scan"),
    ARR_UNANSWERED: _(
        "the *arr could not say whether it is importing this item: planned again at the next scan"
    ),
    CRC: _(
        "the header's checksum was already wrong: the header may be damaged. MKVToolNix "
        "can still change the flag: %(command)s"
    ),
    CHANGED: _("the file changed since it was planned: planned again at the next scan"),
    VERIFY: _(
        "after the change MediaInfo read more than the flags changed (%(what)s): the change "
        "was undone"
    ),
    VERIFY_NOT_UNDONE: _(
        "after the change MediaInfo read more than the flags changed (%(what)s), and the "
        "change could not be undone: %(why)s. The file may hold the new flags: Undo puts the "
        "old ones back while the file is as the change left it"
    ),
    WRITE_FAILED: _("the bytes read back were not the ones written: the old ones were put back"),
    GONE: _("the file is no longer there"),
    EXTERNAL_AUDIO: _(
        "the household's track is the audio file %(file)s beside the video: nothing in the "
        "video is changed"
    ),
}

# What the choice's doubt means (engine.track_choice.Doubt), after UNCERTAIN's sentence.
DOUBTS: dict[str, Any] = {
    "release-set": _("the file holds both varieties, which track is which is unsaid"),
    "same-language": _("two tracks of the language, their variety unknown"),
    "mislabeled": _("listening heard another language than a track's label"),
    "unlabelled": _("a track without a language could be the one"),
}


# Why an undo was refused (detail "undo", or "not_undone" for the undo right after a
# failed check), where the refusal's own sentence does not say it for an undo.
UNDO_WHY: dict[str, Any] = {
    CHANGED: _("the file changed since the change was written"),
    WRITE_FAILED: _("the old bytes could not be written back"),
    SHARE_UNANSWERED: _("the share stopped answering"),
    BUSY: _("another task holds this item"),
}


def undo_why(code: object) -> str:
    """Why an undo was refused (its code), as words; an unknown code as it is."""
    key = str(code)
    if key in UNDO_WHY:
        return str(UNDO_WHY[key])
    if key in REFUSALS and "%(" not in str(REFUSALS[key]):
        return str(REFUSALS[key])
    return key


def undo_refusal_text(detail: Mapping[str, Any], now: datetime | None = None) -> str:
    """Why the last undo asked for left the file as it was (detail "undo"), in the
    reader's language: "" when none was refused. Refused "busy": until when another task
    holds the item, as a time of the reader's and in how many minutes from ``now``."""
    code = detail.get("undo")
    if not code:
        return ""
    until = parse_datetime(str(detail.get("undo_until") or ""))
    if code != BUSY or until is None:
        return gettext("not undone: %(why)s") % {"why": undo_why(code)}
    time = date_format(timezone.localtime(until), "TIME_FORMAT")
    seconds = (until - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return gettext("not undone: another task held this item until %(time)s: try again") % {
            "time": time
        }
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "not undone: another task holds this item until %(time)s: try again then, in "
        "%(minutes)d minute",
        "not undone: another task holds this item until %(time)s: try again then, in "
        "%(minutes)d minutes",
        minutes,
    ) % {"time": time, "minutes": minutes}


def refusal_text(code: str, detail: Mapping[str, Any] | None = None) -> str:
    """The sentence for a refusal ``code`` with its ``detail`` (DefaultTrackChange.detail)."""
    detail = detail if isinstance(detail, Mapping) else {}
    text = REFUSALS.get(code)
    if text is None:
        return gettext("not changed (%(code)s)") % {"code": code}
    values = {
        "nlink": detail.get("nlink", "?"),
        "command": detail.get("command", "mkvpropedit"),
        "what": detail.get("verify", "?"),
        "file": detail.get("file", "?"),
        "why": undo_why(detail.get("not_undone", "?")),
    }
    sentence = str(text) % values if "%(" in str(text) else str(text)
    doubt = DOUBTS.get(str(detail.get("doubt")))
    if code == UNCERTAIN and doubt is not None:
        return gettext("%(refusal)s: %(doubt)s") % {"refusal": sentence, "doubt": doubt}
    return sentence
