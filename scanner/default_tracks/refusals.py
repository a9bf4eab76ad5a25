"""Why a file's default flags were not planned or not written, as codes
(DefaultTrackChange.refusal) and the sentences the pages show for them, in the reader's
language, with what it would take (issue 81, item 2: each refusal tested, said).

The codes the header reader raises (matroska.HeaderError.code) are refusals too: a file
whose header cannot be read is never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The plan's.
NOT_MATROSKA = "not-matroska"  # not a Matroska or WebM file (by its name, or its bytes)
# An MP4 (ISO BMFF) has no default flag: players read its tkhd's track_enabled flag
# instead (FFmpeg, which Jellyfin and Emby probe with: libavformat/mov.c, mov_read_tkhd,
# "flags & MOV_TKHD_FLAG_ENABLED ? AV_DISPOSITION_DEFAULT"), and Apple's players never play
# a disabled track: clearing it on the other audio tracks would hide them there. Refused.
MP4 = "mp4"
HARDLINKED = "hardlinked"  # more than one hard link, and the instance leaves those alone
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
WRITE_FAILED = "write-failed"  # the bytes read back were not the ones written
GONE = "gone"  # the file is no longer there
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
    }
    sentence = str(text) % values if "%(" in str(text) else str(text)
    doubt = DOUBTS.get(str(detail.get("doubt")))
    if code == UNCERTAIN and doubt is not None:
        return gettext("%(refusal)s: %(doubt)s") % {"refusal": sentence, "doubt": doubt}
    return sentence
