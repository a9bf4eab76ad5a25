"""The default tracks in the one review of every act's changes (scanner.changes.review):
a file's change said as its page says it (the file, its default audio and subtitle track
before and after, its state, its refusal's sentence: scanner.default_tracks.refusals)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from scanner import names
from scanner.changes.lines import Review, ReviewLine, Shift
from scanner.default_tracks import refusals
from scanner.default_tracks.event_text import track_words
from scanner.default_tracks.undo import UNDOABLE
from scanner.models import DefaultTrackChange

State = DefaultTrackChange.State


def label() -> str:
    """The act's name as its page is titled."""
    return gettext("Default tracks")


def _track(position: int | None, language: str, *, subtitle: bool) -> str:
    """A default track as the page names it; no subtitle flagged: "none"."""
    if position is None and subtitle:
        return pgettext("no subtitle track", "none")
    return track_words(position, language)


def shifts(change: DefaultTrackChange) -> tuple[Shift, ...]:
    """The default audio and subtitle track before and after; none while the file's header
    was never read (refused before: an MP4, hard links, a share that did not answer)."""
    known = (change.audio_before, change.audio_after, change.subtitle_before, change.subtitle_after)
    if all(value is None for value in known) and not change.flags:
        return ()
    return (
        Shift(
            "audio",
            gettext("Audio"),
            _track(change.audio_before, change.audio_before_language, subtitle=False),
            _track(change.audio_after, change.audio_after_language, subtitle=False),
        ),
        Shift(
            "subtitle",
            gettext("Subtitles"),
            _track(change.subtitle_before, change.subtitle_before_language, subtitle=True),
            _track(change.subtitle_after, change.subtitle_after_language, subtitle=True),
        ),
    )


# A refusal whose remedy is a command to run (refusals: no room for a missing flag, a
# damaged header's checksum): the page says what the command does to the file, and gives
# it in a field to copy.
WITH_COMMAND = {
    refusals.NO_ROOM: _(
        "A track without a default flag must get one, and the header has no room for it: "
        "Taggarr never rewrites a file. mkvpropedit (MKVToolNix) can, with the command "
        "below; it rewrites the header and may move it to the end of the file, so the "
        "file's size and hash change (a torrent seeding it would need a recheck)."
    ),
    refusals.CRC: _(
        "The header's checksum was already wrong before any change: the header may be "
        "damaged, and Taggarr leaves it alone. mkvpropedit (MKVToolNix) can still change "
        "the flags, with the command below; it may rewrite the header and move it to the "
        "end of the file."
    ),
}


def why(change: DefaultTrackChange) -> str:
    """Why the file is left alone (or failed), and what it would take, in the reader's
    language, as its page and the Changes page say it (refusals' sentences, but for the
    hard links' count and the commands, said here with what they do); "" when nothing
    was refused. A row undo may take says why its last undo did not (another task held
    the item: until when)."""
    code, detail = change.refusal, change.detail or {}
    undo = refusals.undo_refusal_text(detail) if change.state in UNDOABLE else ""
    if not code:
        return capfirst(undo)
    if undo:
        return gettext("%(refusal)s. %(undo)s") % {
            "refusal": capfirst(refusals.refusal_text(code, detail)),
            "undo": capfirst(undo),
        }
    if code == refusals.HARDLINKED:
        links = detail.get("nlink")
        links = links if isinstance(links, int) and links > 1 else 2
        return ngettext(
            "The file has %(count)d hard link: a torrent may still be seeding it, and its "
            "data would no longer match. To change such files too, turn on “also in "
            "hardlinked files” in the instance's options (the torrent then needs a recheck).",
            "The file has %(count)d hard links: a torrent may still be seeding it, and its "
            "data would no longer match. To change such files too, turn on “also in "
            "hardlinked files” in the instance's options (the torrent then needs a recheck).",
            links,
        ) % {"count": links}
    if code in WITH_COMMAND:
        return str(WITH_COMMAND[code])
    return capfirst(refusals.refusal_text(code, detail))


def line(change: DefaultTrackChange) -> ReviewLine:
    path = change.media_file.path if change.media_file is not None else change.path
    return ReviewLine.of(
        change,
        act="default_tracks",
        act_label=label(),
        title=change.media.title if change.media is not None else "",
        subject=names.display(path.rsplit("/", 1)[-1]),
        shifts=shifts(change),
        refusal_text=refusals.refusal_text,
        why=why(change),
        undoable=change.state in UNDOABLE,
    )


def lines(changes: Sequence[DefaultTrackChange]) -> list[ReviewLine]:
    return [line(change) for change in changes]


def planned(count: int) -> str:
    """What applying ``count`` planned rows does (the guided setup's last step)."""
    return ngettext(
        "%(count)d file gets the household's dub as its default audio track.",
        "%(count)d files get the household's dub as their default audio track.",
        count,
    ) % {"count": count}


REVIEW = Review(
    label=label, lines=lines, related=("media", "media_file", "instance"), planned=planned
)
