"""Audio and subtitle tracks of one video file, read with MediaInfo in one call
(tagging-rules.md, "Audio tracks of one file", "Subtitles").

How MediaInfo is asked, and why. Measured on 400 tiny files (bench/probe.py,
files/s against a bare ``MediaInfo.parse(path)`` at 287) and on 9 MB files:

* ``output=_TEMPLATE``: an Inform template printing only the General and
  Audio fields used here, split by ASCII unit/record separators. libmediainfo
  builds no XML and Python parses none: 610 files/s, 2.1x the floor; on a
  9 MB Matroska file 7.5 ms against 14.8 ms. XML with ``full=False`` reached
  453 files/s, JSON 490.
* ``parse_speed=0``: the fields we read live in the container headers
  (Matroska Tracks, MP4 moov, TS PMT), which MediaInfo reads at any speed,
  following Matroska SeekHeads and an MP4 moov at the end. At 0 it stops
  there: the 9 MB Matroska file costs 69 KiB of reads and 1.8 ms instead of
  1 MiB and 7.5 ms at the default 0.5 (MP4 193 KiB instead of 449 KiB; TS
  reads the same either way). On a network share the bytes read are what a
  rescan waits for. Every container in the tests gives the same tracks at 0
  and at 0.5, including a file whose Tracks element mkvpropedit moved to
  the end.
* ``full=False``: the template names its fields, so "Complete" adds nothing
  (no measurable difference either way).
* No reset of the options after each file (what pymediainfo's ``mediainfo_options``
  does): it cut the rate to 173 files/s.
* ``ReadByHuman=0``, a process-wide option set once before the first read
  (``_settle_library``): MediaInfo then no longer composes the human-readable
  variant of every field it found (sizes, durations, language names), which the
  template never prints. Half of MediaInfo's work per file (callgrind: 16.3 M
  instructions a file -> 8.9 M on the files of bench/probe.py) and half its
  lock traffic when threads read at once; the output is the same (tests).

* One libmediainfo handle per thread (``_Reader``), made by pymediainfo's own
  loader at the thread's first read. ``MediaInfo.parse`` loads the library,
  defines its prototypes and makes and deletes a handle on every call: a sixth of
  a read's CPU (1.46 -> 1.23 ms a file on the files of bench/make_library.py),
  most of it in Python, holding the GIL the other readers wait for.

Each read sets the same options ``MediaInfo.parse`` would (most of them are the
library's, not the handle's), so ``probe`` is safe from threads as long as nothing
else in the process calls ``MediaInfo.parse`` with different options at the same
time.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

from pymediainfo import MediaInfo

from scanner import names
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack, make_subtitle, make_track
from scanner.errors import ProbeError

_FIELD = "\x1f"  # ASCII unit separator: never in a title a human typed
_RECORD = "\x1e"  # ASCII record separator
# Title last, so a stray separator inside a title only lengthens the title.
# Subtitles come in the same read: one call, one pass over the file's headers. Each
# track record starts with its kind (A: audio, T: text).
_TEMPLATE = (
    f"General;%Format%{_FIELD}%VideoCount%{_FIELD}%AudioCount%{_FIELD}%TextCount%{_FIELD}"
    f"%IsTruncated%{_RECORD}"
    "\r\n"
    f"Audio;A{_FIELD}%Language%{_FIELD}%Default%{_FIELD}%Forced%{_FIELD}%Title%{_RECORD}"
    "\r\n"
    f"Text;T{_FIELD}%Language%{_FIELD}%Forced%{_FIELD}%Format%{_FIELD}%Title%{_RECORD}"
)
_GENERAL_FIELDS = 5
_TRACK_FIELDS = 5
# Options of libmediainfo itself, for the whole process (a handle does not keep its own).
_LIBRARY_OPTIONS = {"ReadByHuman": "0"}
# Set before each read, as MediaInfo.parse(output=_TEMPLATE, full=False, parse_speed=0)
# sets them: another parse in the process may have changed them since.
_READ_OPTIONS = (
    ("CharSet", "UTF-8"),
    ("Cover_Data", ""),
    ("Inform", _TEMPLATE),
    ("Complete", ""),
    ("ParseSpeed", "0"),
    ("LegacyStreamDisplay", ""),
)


def probe(path: str | os.PathLike[str]) -> FileTracks:
    """The audio and subtitle tracks of the video file at ``path``.

    Raises ProbeError with a human reason when the file is gone, cannot be
    opened or is not a media file MediaInfo understands. Never anything else.
    """
    name = os.fspath(path)
    try:
        text = _parse(name)
    except _Unopenable:
        raise ProbeError(name, _why_unopenable(name)) from None
    except (ValueError, UnicodeError) as error:
        # A name ctypes cannot pass (NUL byte, bad encoding).
        raise ProbeError(name, _why_unopenable(name)) from error
    except OSError as error:
        raise ProbeError(name, f"MediaInfo is not usable: {error}") from error
    return _parse_output(name, text)


def read_tracks(path: str | os.PathLike[str]) -> tuple[FileTracks, str]:
    """``probe``, with the reason a file cannot be read instead of the exception: no
    tracks and the reason, or the tracks and an empty reason."""
    try:
        return probe(path), ""
    except ProbeError as error:
        return FileTracks(()), error.reason


def set_library_option(option: str, value: str) -> None:
    """One of libmediainfo's process-wide options, in the library pymediainfo loads.
    pymediainfo has no public call for options that outlive one parse; ``_get_library``
    is how its own ``parse`` reaches the library. A library too old to know the option
    answers so and ignores it. Raises OSError when the library cannot be loaded."""
    library, handle, *_ = MediaInfo._get_library()
    try:
        library.MediaInfo_Option(None, option, value)
    finally:
        library.MediaInfo_Delete(handle)


@functools.cache
def _settle_library() -> None:
    """``_LIBRARY_OPTIONS``, once per process (each Celery child at its own first read);
    not cached when the library cannot be loaded: the next read retries."""
    for option, value in _LIBRARY_OPTIONS.items():
        set_library_option(option, value)


def _parse(name: str) -> str:
    _settle_library()
    reader = _this_threads_reader()
    if not names.has_undecodable_bytes(name):
        return reader.read(name)
    # MediaInfo takes names as text, and bytes that are not UTF-8 do not survive
    # that: open the file here and let MediaInfo read it through /proc.
    try:
        descriptor = os.open(name, os.O_RDONLY)
    except OSError:
        raise _Unopenable from None
    try:
        return reader.read(f"/proc/self/fd/{descriptor}")
    finally:
        os.close(descriptor)


class _Unopenable(Exception):
    """libmediainfo could not open the file (it does not say why)."""


class _Reader:
    """One thread's libmediainfo handle, deleted with the thread's other locals."""

    def __init__(self) -> None:
        # pymediainfo's loader: the library it finds, with its prototypes, and a handle.
        self._library, self._handle, *_ = MediaInfo._get_library()

    def read(self, name: str) -> str:
        """The template's text for the file ``name``; _Unopenable when MediaInfo cannot
        open it (gone, a folder, no permission)."""
        library, handle = self._library, self._handle
        for option, value in _READ_OPTIONS:
            library.MediaInfo_Option(handle, option, value)
        if not library.MediaInfo_Open(handle, name):
            raise _Unopenable
        try:
            return str(library.MediaInfo_Inform(handle, 0))
        finally:
            library.MediaInfo_Close(handle)

    def __del__(self) -> None:
        if hasattr(self, "_handle"):  # not when loading the library failed
            self._library.MediaInfo_Delete(self._handle)


_readers = threading.local()


def _this_threads_reader() -> _Reader:
    reader: _Reader | None = getattr(_readers, "reader", None)
    if reader is None:
        reader = _readers.reader = _Reader()
    return reader


def _parse_output(name: str, text: str) -> FileTracks:
    records = text.split(_RECORD)
    general = records[0].split(_FIELD)
    if len(general) != _GENERAL_FIELDS:
        raise ProbeError(name, f"unexpected MediaInfo output {records[0]!r}")
    container, video_count, audio_count, text_count, truncated = (v.strip() for v in general)
    if not container:
        raise ProbeError(name, _why_not_media(name))
    if not video_count and not audio_count:
        # A real video without audio still has its video stream.
        state = "truncated" if truncated == "Yes" else "corrupt"
        raise ProbeError(name, f"{container} file without any stream ({state}?)")
    audio: list[AudioTrack] = []
    subtitles: list[SubtitleTrack] = []
    for record in records[1:]:
        # Only the text after the last separator is empty. (Not .strip(): Python
        # counts the separators themselves as whitespace.)
        if record in ("", "\n", "\r\n"):
            continue
        fields = record.lstrip("\r\n").split(_FIELD, _TRACK_FIELDS - 1)
        if len(fields) != _TRACK_FIELDS or fields[0] not in ("A", "T"):
            raise ProbeError(name, f"unexpected MediaInfo output {record!r}")
        kind, language, flag, third, title = fields
        raw, shown = language.strip() or None, title.strip() or None
        if kind == "A":
            audio.append(
                make_track(len(audio) + 1, raw, shown, default=flag == "Yes", forced=third == "Yes")
            )
        else:
            subtitles.append(
                make_subtitle(
                    len(subtitles) + 1, raw, shown, forced=flag == "Yes", format=third or None
                )
            )
    _check_count(name, "audio", audio_count, len(audio))
    _check_count(name, "subtitle", text_count, len(subtitles))
    return FileTracks(tuple(audio), tuple(subtitles))


def _check_count(name: str, kind: str, counted: str, listed: int) -> None:
    if listed != (int(counted) if counted.isdigit() else 0):
        raise ProbeError(name, f"MediaInfo counted {counted} {kind} tracks, listed {listed}")


def _why_unopenable(name: str) -> str:
    """Why MediaInfo could not open ``name``: asked only after it failed, so free on success."""
    try:
        if Path(name).is_dir():
            return "is a folder, not a file"
        with open(name, "rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        return "file not found (moved or deleted since it was listed?)"
    except PermissionError:
        return "permission denied"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    except ValueError:
        return "file name cannot be passed to MediaInfo"
    return "MediaInfo could not open the file"


def _why_not_media(name: str) -> str:
    try:
        size = os.stat(name).st_size
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if size == 0:
        return "empty file (0 bytes)"
    return "not a media file MediaInfo recognises (corrupt or another kind of file)"
