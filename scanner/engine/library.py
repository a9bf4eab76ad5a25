"""Which video files of a series or movie folder count (tagging-rules.md, "Which files count").

Called for every series folder on every rescan, so it walks with ``os.scandir`` and
does one ``stat`` per video file and per folder, and nothing else per file. A caller may
have a folder's stats run several at once (``each``): on a share, each one waits on the
network. Symlinks are followed, but never into a folder already seen: a link pointing
back up the tree would otherwise loop forever. Unreadable folders and broken links are
reported in ``problems``; only a missing or unreadable item folder is fatal
(StorageError).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scanner.engine.episodes import episode_marker, episodes_in_season_folder, season_of_folder
from scanner.engine.sidecars import (
    AUDIO_EXTENSIONS,
    SUBTITLE_EXTENSIONS,
    Sidecar,
    is_subtitle_folder,
    sidecars_of,
)
from scanner.errors import StorageError

VIDEO_EXTENSIONS = frozenset(
    {".mkv", ".mp4", ".m4v", ".avi", ".webm", ".mov", ".ts", ".m2ts", ".wmv", ".mpg"}
)
# Movie subfolders holding anything but the movie (Plex/Kodi/Jellyfin names).
MOVIE_EXTRA_FOLDERS = frozenset(
    {
        "sample", "samples", "extras", "featurettes", "behind the scenes", "deleted scenes",
        "trailers", "other", "interviews", "scenes", "shorts",
    }
)  # fmt: skip
# In a file name, the same words mark an extra only after the movie's own title
# ("The Others (2001).mkv" is the movie, "The Others (2001) - sample.mkv" is not);
# the suffixes are also Plex's ("Movie-trailer.mkv", "Movie-behindthescenes.mkv").
_EXTRA_WORD = re.compile(
    r"\b(samples?|extras?|featurettes?|trailers?|other|interviews?|scenes?|shorts?|deleted"
    r"|behind the scenes|behindthescenes|deleted scenes?)\b"
)
_SEPARATORS = re.compile(r"[\s._\-()\[\]{}]+")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _words(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip().casefold()


def is_movie_extra_name(stem: str, folder_name: str) -> bool:
    """Whether a video file name marks a sample or extra: an extras word in the part of
    the name after the movie's title (up to its year, or the folder's name)."""
    name = _words(stem)
    year = _YEAR.search(name)
    if year and year.start() > 0:
        rest = name[year.end() :]
    else:
        title = _words(_YEAR.split(folder_name, maxsplit=1)[0])
        rest = name[len(title) :] if title and name.startswith(title) else name
    return _EXTRA_WORD.search(rest) is not None


# How a walk runs one call over a folder's entries, results in order: ``map``'s shape
# (scanner.pipeline.scanning.prefetch passes io_pool.map_on_io_threads for a folder on a share).
Each = Callable[[Callable[[Any], Any], Sequence[Any]], Sequence[Any]]


@dataclass(frozen=True, slots=True)
class VideoFile:
    relpath: str  # POSIX, relative to the item folder
    season: int | None
    episodes: tuple[int, ...]
    size: int
    mtime_ns: int
    # Its subtitle and audio files, from the listings the walk makes anyway (and the Subs
    # folders, for subtitles).
    sidecars: tuple[Sidecar, ...] = ()

    @property
    def sidecar_names(self) -> tuple[str, ...]:
        """What decides whether its sidecars changed (a name carries all they say)."""
        return tuple(sidecar.name for sidecar in self.sidecars)

    @property
    def sidecars_key(self) -> str:
        """Its sidecars' names, hashed short (stored with the file: MediaFile.sidecars_key);
        "" without any."""
        if not self.sidecars:
            return ""
        joined = "\n".join(self.sidecar_names).encode("utf-8", "surrogateescape")
        return hashlib.sha256(joined).hexdigest()[:16]

    @property
    def fingerprint(self) -> tuple[str, int, int, str]:
        """Equal fingerprints mean an unchanged file and unchanged sidecars: its stored
        result still holds. (Sidecars alone changed: the video is not read again.)"""
        return (self.relpath, self.size, self.mtime_ns, self.sidecars_key)


def files_digest(fingerprints: Iterable[tuple[str, int, int, str]]) -> str:
    """An item's set of file fingerprints as one value, the same in every process
    (``Media.files_digest``): equal sets, equal digests; order and repeats do not count.
    Never empty: an item with no file has one too (the empty string stands for "not
    known", an item stored before the digest existed)."""
    # Four fields a file, NUL between them (never in a path): one reading only. Twice as
    # fast as repr() of each tuple (1,500 files: ~1 ms).
    files = sorted({f"{path}\0{size}\0{mtime}\0{key}" for path, size, mtime, key in fingerprints})
    return hashlib.sha256("\0".join(files).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class LibraryProblem:
    relpath: str  # POSIX, relative to the item folder; "." is the folder itself
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    root: Path
    files: tuple[VideoFile, ...]  # ordered by season, episodes, relpath
    problems: tuple[LibraryProblem, ...]


def file_order(file: VideoFile) -> tuple[bool, int, bool, tuple[int, ...], str]:
    """Seasons in order (root files without a season last), then episodes, then path."""
    return (file.season is None, file.season or 0, not file.episodes, file.episodes, file.relpath)


class _Walker:
    """Lists one item folder; collects problems instead of raising."""

    def __init__(self, root: Path, each: Each | None = None) -> None:
        self.root = root
        self.each = each
        self.problems: list[LibraryProblem] = []
        self.visited: set[tuple[int, int]] = set()
        try:
            root_stat = os.stat(root)
        except FileNotFoundError:
            raise StorageError(str(root), "folder not found") from None
        except OSError as error:
            raise StorageError(str(root), f"cannot be read: {error.strerror}") from error
        if not stat.S_ISDIR(root_stat.st_mode):
            raise StorageError(str(root), "not a folder")
        self.visited.add((root_stat.st_dev, root_stat.st_ino))

    def entries(self, relfolder: str) -> list[os.DirEntry[str]]:
        folder = self.root / relfolder if relfolder else self.root
        try:
            with os.scandir(folder) as iterator:
                # Sorted so problems and ties come out the same on every run.
                return sorted(iterator, key=lambda entry: entry.name)
        except OSError as error:
            if not relfolder:
                raise StorageError(str(self.root), f"cannot be read: {error.strerror}") from error
            self.problems.append(LibraryProblem(relfolder, f"cannot be read: {error.strerror}"))
            return []

    def stat_ahead(self, entries: Sequence[os.DirEntry[str]]) -> None:
        """Stats ``entries`` now, through ``each`` (several at once): a DirEntry keeps its
        stat, so the walk's own ``stat()`` of each then costs nothing. Only entries the
        walk stats anyway: no call more. A failed stat is left for the walk to meet and
        report. Without ``each``, the walk stats one entry after another as it goes."""
        if self.each is not None and len(entries) > 1:
            self.each(_stat_quietly, entries)

    def enter(self, entry: os.DirEntry[str], relpath: str) -> bool:
        """Whether to walk into a folder entry: not if unreadable or already seen."""
        try:
            info = entry.stat()
        except OSError as error:
            self.problems.append(LibraryProblem(relpath, f"cannot be read: {error.strerror}"))
            return False
        key = (info.st_dev, info.st_ino)
        if key in self.visited:
            self.problems.append(LibraryProblem(relpath, "skipped: a link to a folder seen before"))
            return False
        self.visited.add(key)
        return True

    def video(
        self, entry: os.DirEntry[str], relpath: str, season: int | None, episodes: tuple[int, ...]
    ) -> VideoFile | None:
        try:
            info = entry.stat()  # follows a symlink: its target's size and mtime
        except OSError as error:
            reason = "broken link" if entry.is_symlink() else f"cannot be read: {error.strerror}"
            self.problems.append(LibraryProblem(relpath, reason))
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return VideoFile(relpath, season, episodes, info.st_size, info.st_mtime_ns)


class _Subtitles:
    """The subtitle and audio names of one folder listing, and the subtitle names of the
    ``Subs``/``Subtitles`` folders in it (listed only when they are there: one listing
    more each, on a share a round trip), for ``sidecars_of``."""

    def __init__(self, walker: _Walker, relfolder: str, entries: Sequence[os.DirEntry[str]]):
        self.beside = [entry.name for entry in entries if _is_sidecar_name(entry.name)]
        self.folders: dict[str, list[str]] = {}
        for entry in entries:
            if is_subtitle_folder(entry.name) and _is_folder(entry):
                self._list(walker, relfolder, entry.name)

    def _list(self, walker: _Walker, relfolder: str, name: str) -> None:
        relpath = f"{relfolder}/{name}" if relfolder else name
        for child in walker.entries(relpath):
            if _is_folder(child):  # Subs/<video name>/: one level only
                inner = f"{relpath}/{child.name}"
                self.folders[f"{name}/{child.name}"] = [
                    grandchild.name
                    for grandchild in walker.entries(inner)
                    if _is_subtitle_name(grandchild.name)
                ]
            elif _is_subtitle_name(child.name):
                self.folders.setdefault(name, []).append(child.name)

    def of(self, video_name: str) -> tuple[Sidecar, ...]:
        if not self.beside and not self.folders:
            return ()
        return tuple(sidecars_of(video_name, self.beside, self.folders))


def _is_subtitle_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUBTITLE_EXTENSIONS


def _is_sidecar_name(name: str) -> bool:
    """A subtitle's or an external audio file's name (those only beside the video)."""
    extension = os.path.splitext(name)[1].lower()
    return not name.startswith(".") and (
        extension in SUBTITLE_EXTENSIONS or extension in AUDIO_EXTENSIONS
    )


def _with_sidecars(video: VideoFile | None, subtitles: _Subtitles) -> VideoFile | None:
    if video is None:
        return None
    sidecars = subtitles.of(video.relpath.rsplit("/", 1)[-1])
    if not sidecars:
        return video
    folder = video.relpath.rsplit("/", 1)[0] + "/" if "/" in video.relpath else ""
    named = tuple(replace(s, name=folder + s.name) for s in sidecars)
    return VideoFile(video.relpath, video.season, video.episodes, video.size, video.mtime_ns, named)


def _stat_quietly(entry: os.DirEntry[str]) -> None:
    with contextlib.suppress(OSError):
        entry.stat()


def is_video_name(name: str) -> bool:
    # Hidden files are skipped: "._Show.S01E01.mkv" is macOS metadata, not a video.
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in VIDEO_EXTENSIONS


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; d_type makes it free for plain folders
    except OSError:
        return False


def discover_series(root: Path, each: Each | None = None) -> Discovery:
    """Video files of a series folder: in season folders and in the show root.

    Root files take season and episodes from an ``S01E01``/``1x01`` marker
    (else season None). Other subfolders (Extras, Subs...) are not counted,
    and season folders are not descended into further. ``each``: see the module.
    """
    walker = _Walker(root, each)
    files: list[VideoFile] = []
    top = walker.entries("")
    top_subtitles = _Subtitles(walker, "", top)
    folders = {entry.name for entry in top if _is_folder(entry)}
    walker.stat_ahead(
        [
            entry
            for entry in top
            if (entry.name in folders and season_of_folder(entry.name) is not None)
            or (entry.name not in folders and is_video_name(entry.name))
        ]
    )
    for entry in top:
        if entry.name in folders:
            season = season_of_folder(entry.name)
            if season is None or not walker.enter(entry, entry.name):
                continue
            listing = walker.entries(entry.name)
            subtitles = _Subtitles(walker, entry.name, listing)
            children = [
                child for child in listing if is_video_name(child.name) and not _is_folder(child)
            ]
            walker.stat_ahead(children)
            for child in children:
                relpath = f"{entry.name}/{child.name}"
                stem = os.path.splitext(child.name)[0]
                video = walker.video(child, relpath, season, episodes_in_season_folder(stem))
                video = _with_sidecars(video, subtitles)
                if video is not None:
                    files.append(video)
        elif is_video_name(entry.name):
            marker = episode_marker(os.path.splitext(entry.name)[0])
            season, episodes = marker if marker is not None else (None, ())
            video = _with_sidecars(walker.video(entry, entry.name, season, episodes), top_subtitles)
            if video is not None:
                files.append(video)
    files.sort(key=file_order)
    return Discovery(root, tuple(files), tuple(walker.problems))


def discover_movie(root: Path) -> Discovery:
    """The movie's main file: the largest video in the folder tree, samples and extras left out.

    ``files`` holds that one file, or nothing when the folder has no video.
    """
    walker = _Walker(root)
    candidates: list[VideoFile] = []
    listings: dict[str, list[os.DirEntry[str]]] = {}
    pending = [""]
    while pending:
        relfolder = pending.pop()
        listings[relfolder] = walker.entries(relfolder)
        for entry in listings[relfolder]:
            relpath = f"{relfolder}/{entry.name}" if relfolder else entry.name
            if _is_folder(entry):
                if entry.name.casefold() not in MOVIE_EXTRA_FOLDERS and walker.enter(
                    entry, relpath
                ):
                    pending.append(relpath)
            elif is_video_name(entry.name) and not is_movie_extra_name(
                os.path.splitext(entry.name)[0], root.name
            ):
                video = walker.video(entry, relpath, None, ())
                if video is not None:
                    candidates.append(video)
    main = max(candidates, key=lambda video: (video.size, video.relpath), default=None)
    if main is not None:
        folder = main.relpath.rsplit("/", 1)[0] if "/" in main.relpath else ""
        main = _with_sidecars(main, _Subtitles(walker, folder, listings[folder]))
    return Discovery(root, (main,) if main else (), tuple(walker.problems))


def counted_files(
    discovery: Discovery,
    *,
    count_specials: bool,
    season_counted: Callable[[int], bool] | None = None,
    quick_mode: bool,
) -> list[VideoFile]:
    """The files whose audio decides the verdict, in ``Discovery`` order.

    Specials (season 0) count only with ``count_specials``; ``season_counted``
    lets the caller leave out more seasons (Sonarr's unmonitored ones). Quick
    mode keeps the first file by episode number of each season (root files
    without a season form one group of their own).
    """
    kept = [
        file
        for file in discovery.files
        if file.season is None
        or (
            (count_specials or file.season != 0)
            and (season_counted is None or season_counted(file.season))
        )
    ]
    if not quick_mode:
        return kept
    return _first_of_each_season(kept)


def _first_of_each_season(files: Iterable[VideoFile]) -> list[VideoFile]:
    first: dict[int | None, VideoFile] = {}
    for file in files:
        current = first.get(file.season)
        if current is None or file_order(file) < file_order(current):
            first[file.season] = file
    return sorted(first.values(), key=file_order)
