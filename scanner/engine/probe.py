"""Audio and subtitle tracks of one video file, read with MediaInfo in one call
(tagging-rules.md, "Audio tracks of one file", "Subtitles").

How MediaInfo is asked, and why (the measurements are in bench/README.md, "Why the code
is shaped so"):

* ``output=_TEMPLATE``: an Inform template that prints only the fields used here,
  split by ASCII unit and record separators. libmediainfo builds no XML and Python
  parses none, which is much faster than XML or JSON output.
* ``parse_speed=0``: the fields read here live in the container's headers (Matroska
  Tracks, MP4 moov, TS PMT). MediaInfo reads those at any speed, following Matroska
  SeekHeads and an MP4 moov at the end of the file; at 0 it stops there and reads far
  fewer bytes. On a network share, the bytes read are what a rescan waits for. Every
  container in the tests gives the same tracks at 0 as at the default 0.5, including a
  file whose Tracks element mkvpropedit moved to the end.
* ``full=False``: the template names its fields, so "Complete" adds nothing.
* The options are not reset after each file, as pymediainfo's ``mediainfo_options``
  does: resetting them makes reads much slower.
* ``ReadByHuman=0``, a process-wide option set once before the first read
  (``_settle_library``): MediaInfo then skips composing the human-readable form of every
  field (sizes, durations, language names), which the template never prints. That
  removes much of its work per file, and of its locking when threads read at once. The
  output is the same (tests).
* One libmediainfo handle per thread (``_Reader``), made by pymediainfo's own loader at
  the thread's first read. ``MediaInfo.parse`` loads the library, defines its
  prototypes and makes a new handle on every call, mostly in Python, holding the GIL
  (Python's global interpreter lock) that the other reading threads wait for.
* The file is opened here, once, and handed to libmediainfo chunk by chunk as it asks
  for it (``Open_Buffer_*``, ``_Chunks``), with the parser of its extension forced
  (``File_ForceParser``). Given a file name, libmediainfo opens and stats the file
  several times before it reads a byte, and on a share each of those calls is a
  network round trip. Without the forced parser, a buffer goes through every parser
  libmediainfo has, which costs much more CPU (a file whose extension lies still gets
  them all: ``_Reader.read``). The same bytes are read as when libmediainfo is given the
  name, the output is the same (tests), and a name that is not UTF-8 needs nothing
  special.

Each read sets the same options ``MediaInfo.parse`` would set (most of them belong to
the library, not to the handle). So ``probe`` is safe to call from several threads, as
long as nothing else in the process calls ``MediaInfo.parse`` with other options at the
same time.
"""

from __future__ import annotations

import functools
import os
import stat
import threading

from pymediainfo import MediaInfo

from scanner.engine.audio_codecs import mediainfo_codec
from scanner.engine.file_varieties import with_file_varieties
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
    f"Audio;A{_FIELD}%Language%{_FIELD}%Default%{_FIELD}%Forced%{_FIELD}%Format%{_FIELD}"
    f"%Title%{_RECORD}"
    "\r\n"
    f"Text;T{_FIELD}%Language%{_FIELD}%Default%{_FIELD}%Forced%{_FIELD}%Format%{_FIELD}"
    f"%Title%{_RECORD}"
)
_GENERAL_FIELDS = 5
_TRACK_FIELDS = 6  # kind, language, default, forced, format, title (a subtitle's default unread)
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
# libmediainfo's own parser for each of scanner.engine.library.VIDEO_EXTENSIONS, by the
# names of its format table (MediaInfo_Config_Automatic.cpp; WebM is Matroska).
_PARSERS = {
    ".mkv": "Mk", ".webm": "Mk", ".mp4": "Mpeg4", ".m4v": "Mpeg4", ".mov": "Mpeg4",
    ".avi": "Riff", ".ts": "MpegTs", ".m2ts": "Bdav", ".wmv": "Wm", ".mpg": "MpegPs",
}  # fmt: skip
_CHUNK = 64 * 1024  # the size pymediainfo feeds libmediainfo file objects in
# At most 256 MiB read from one file, in case libmediainfo never says it is done (bench/README.md).
_MAX_CHUNKS = 4096
_FINISHED = 0x08  # in what MediaInfo_Open_Buffer_Continue returns (File__Analyze.h)
_NO_SEEK = 2**64 - 1  # MediaInfo_Open_Buffer_Continue_GoTo_Get: read on from here
_NOT_MEDIA = "not a media file MediaInfo recognises (corrupt or another kind of file)"


def probe(path: str | os.PathLike[str]) -> FileTracks:
    """The audio and subtitle tracks of the video file at ``path``, with their varieties
    (engine.varieties: the language tag, the title, then the file's name).

    Raises ProbeError with a human reason when the file is gone, cannot be
    opened or is not a media file MediaInfo understands. Never anything else.
    """
    name = os.fspath(path)
    try:
        _settle_library()
        reader = _this_threads_reader()
    except OSError as error:
        raise ProbeError(name, f"MediaInfo is not usable: {error}") from error
    try:
        # Not blocking: a FIFO named like a video must not hang the scan.
        descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        raise ProbeError(name, _why_unreadable(error)) from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise ProbeError(name, "is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise ProbeError(name, "not a regular file")
        if status.st_size == 0:
            raise ProbeError(name, "empty file (0 bytes)")
        text = reader.read(descriptor, status.st_size, _parser_for(name))
    except OSError as error:  # a read that failed half-way (a NAS that went away)
        raise ProbeError(name, _why_unreadable(error)) from None
    finally:
        os.close(descriptor)
    # The file's name is its release name: the varieties it says (MULTi.VFQ) come after
    # what the tracks say themselves.
    return with_file_varieties(_parse_output(name, text), os.path.basename(name))


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


def _parser_for(name: str | bytes) -> str:
    extension = os.path.splitext(os.fsdecode(name))[1].lower()
    return _PARSERS.get(extension, "")


class _Reader:
    """One thread's libmediainfo handle, deleted with the thread's other locals."""

    def __init__(self) -> None:
        # pymediainfo's loader: the library it finds, with its prototypes, and a handle.
        self._library, self._handle, *_ = MediaInfo._get_library()

    def read(self, descriptor: int, size: int, parser: str) -> str:
        """The template's text for the open file; with ``parser`` (its extension's)
        first, and when that finds no container, with every parser, as libmediainfo
        does for a file it opens itself (an extension that lies). Empty when the file
        holds no byte. OSError when a read fails."""
        file = _Chunks(descriptor, size)
        if not file.at(0):
            # Not asked: libmediainfo's every-parser mode, fed nothing, leaves the
            # handle broken (the next read crashes the process).
            return ""
        text = self._parse(file, parser)
        if parser and not _container(text):
            return self._parse(file, "")
        return text

    def _parse(self, file: _Chunks, parser: str) -> str:
        """libmediainfo fed the file as it asks: from the start, then from wherever it
        wants to go on, until it has what it needs."""
        library, handle = self._library, self._handle
        for option, value in _READ_OPTIONS:
            library.MediaInfo_Option(handle, option, value)
        library.MediaInfo_Option(handle, "File_ForceParser", parser)
        try:
            library.MediaInfo_Open_Buffer_Init(handle, file.size, 0)
            position = 0
            for _ in range(_MAX_CHUNKS):
                chunk = file.at(position)
                if not chunk:
                    break
                position += len(chunk)
                if library.MediaInfo_Open_Buffer_Continue(handle, chunk, len(chunk)) & _FINISHED:
                    break
                wanted = library.MediaInfo_Open_Buffer_Continue_GoTo_Get(handle)
                if wanted != _NO_SEEK:
                    position = wanted
                    library.MediaInfo_Open_Buffer_Init(handle, file.size, position)
            library.MediaInfo_Open_Buffer_Finalize(handle)
            return str(library.MediaInfo_Inform(handle, 0))
        finally:
            library.MediaInfo_Close(handle)

    def __del__(self) -> None:
        if hasattr(self, "_handle"):  # not when loading the library failed
            self._library.MediaInfo_Delete(self._handle)


class _Chunks:
    """An open file of ``size`` bytes, read a chunk at a time. The first and the latest
    chunk are kept: libmediainfo often goes back into what it was just given (the end
    of a small file, the start of an MP4 after its index at the end), and on a share
    each read is a round trip."""

    def __init__(self, descriptor: int, size: int) -> None:
        self.descriptor, self.size = descriptor, size
        self._kept: list[tuple[int, bytes]] = []

    def at(self, position: int) -> bytes:
        """The bytes from ``position`` on (up to a chunk's worth); none past the end."""
        for start, data in self._kept:
            if start <= position < start + len(data):
                return data[position - start :]
        if position >= self.size:  # no read past the end: on a share, a round trip
            return b""
        data = os.pread(self.descriptor, _CHUNK, position)
        self._kept = [*self._kept[:1], (position, data)]
        return data


_readers = threading.local()


def _this_threads_reader() -> _Reader:
    reader: _Reader | None = getattr(_readers, "reader", None)
    if reader is None:
        reader = _readers.reader = _Reader()
    return reader


def _container(text: str) -> str:
    """The General Format field of the template's text: empty when no parser took the file."""
    return text.split(_FIELD, 1)[0].strip()


def _parse_output(name: str, text: str) -> FileTracks:
    records = text.split(_RECORD)
    general = records[0].split(_FIELD)
    if len(general) != _GENERAL_FIELDS:
        raise ProbeError(name, f"unexpected MediaInfo output {records[0]!r}")
    container, video_count, audio_count, text_count, truncated = (v.strip() for v in general)
    if not container:
        raise ProbeError(name, _NOT_MEDIA)
    if not video_count and not audio_count:
        # A real video without audio still has its video stream.
        state = "truncated" if truncated == "Yes" else "corrupt"
        raise ProbeError(name, f"{container} file without any stream ({state}?)")
    if truncated == "Yes":
        # Shorter than its container says (still being copied, or cut off): what was
        # read may lack tracks listed after the cut (a Matroska file cut between its
        # track entries reads as one audio track fewer, and counts it so). No read:
        # unreadable for now, so never a verdict, a loss or news; read again next time.
        raise ProbeError(name, f"{container} file cut short (truncated): read again next time")
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
        kind, language, default, forced, format_, title = fields
        raw, shown = language.strip() or None, title.strip() or None
        if kind == "A":
            audio.append(
                make_track(
                    len(audio) + 1,
                    raw,
                    shown,
                    default=default == "Yes",
                    forced=forced == "Yes",
                    codec=mediainfo_codec(format_),
                )
            )
        else:
            subtitles.append(
                make_subtitle(
                    len(subtitles) + 1, raw, shown, forced=forced == "Yes", format=format_ or None
                )
            )
    _check_count(name, "audio", audio_count, len(audio))
    _check_count(name, "subtitle", text_count, len(subtitles))
    return FileTracks(tuple(audio), tuple(subtitles))


def _check_count(name: str, kind: str, counted: str, listed: int) -> None:
    if listed != (int(counted) if counted.isdigit() else 0):
        raise ProbeError(name, f"MediaInfo counted {counted} {kind} tracks, listed {listed}")


def _why_unreadable(error: OSError | ValueError) -> str:
    if isinstance(error, ValueError):
        return "file name cannot be opened (it holds a NUL byte)"
    if isinstance(error, FileNotFoundError):
        return "file not found (moved or deleted since it was listed?)"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot be read: {error.strerror or error}"
