"""The poster file beside an item, read and replaced for its badges (issue 95).

Kodi and Jellyfin read an item's local poster from its folder by the same names Taggarr
reads it (scanner.artwork.folder_files: ``poster.jpg``, ``poster.png``, ``folder.jpg``,
``folder.png``; Kodi's wiki, "Artwork types", and Jellyfin's
``Emby.Server.Implementations/Images/LocalImageProvider``-named files). Taggarr replaces
only a regular file of the library, never a link, never one with another hard link (the
same image may be another item's poster or a seeding torrent's file), and only when it
still holds the bytes planned (its SHA-256). A poster is small (at most the covers'
4 MB): it is replaced whole, through a new file beside it renamed over it (a crash
leaves the old poster or the new one, never half of one), with the old one's mode and,
where allowed, owner; then read back and compared. Every call on the file system runs
within the step's hold limit: a share that stops answering ends the step with
ShareUnanswered, the poster untouched."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass

from scanner.arr.covers import COVER_MAX_BYTES
from scanner.artwork.folder_files import find_folder_file
from scanner.badges import refusals
from scanner.engine.regular_files import UnsafeFile, read_regular
from scanner.runtime.hold import call_within_hold

__all__ = [
    "PosterFileRefused", "Seen", "find", "find_season", "forget_cut_short", "look", "replace",
    "sha256",
]  # fmt: skip


class PosterFileRefused(Exception):
    """The poster may not be read or replaced; ``code`` names why (scanner.badges.refusals)."""

    def __init__(self, code: str, why: str = "", **values: str) -> None:
        super().__init__(f"{code}: {why}" if why else code)
        self.code = code
        # The refusal sentence's values (scanner.badges.refusals): ``why``, ``links``,
        # ``server``, and ``said`` (a server's answer as scanner.http.reasons.to_data, JSON).
        self.detail = {
            key: value[: 2000 if key == "said" else 300]
            for key, value in {"why": why, **values}.items()
            if value
        }


@dataclass(frozen=True, slots=True)
class Seen:
    """A poster as read: its bytes and what identifies them."""

    path: str
    data: bytes
    size: int
    mtime_ns: int
    links: int

    @property
    def digest(self) -> str:
        return sha256(self.data)


def _write_beside(temporary: str, data: bytes, status: os.stat_result) -> None:
    """``data`` in a new file at ``temporary``, synced, with the old poster's mode and,
    where allowed, owner. One left by a process that died mid-write is never reused."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    mode = stat.S_IMODE(status.st_mode)
    try:
        descriptor = os.open(temporary, flags, mode)
    except FileExistsError:
        os.unlink(temporary)
        descriptor = os.open(temporary, flags, mode)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, mode)
    with contextlib.suppress(PermissionError):  # only root may give a file away
        os.chown(temporary, status.st_uid, status.st_gid)


def forget_cut_short(folder: str, name: str) -> None:
    """Remove the new posters a write cut short left beside this one (a worker killed
    before its rename: ``.poster.jpg.taggarr-PID.tmp``, never the poster itself). The
    caller holds the item's lease: no other write of this poster is under way."""
    prefix = f".{name}.taggarr-"
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            ours = entry.name.startswith(prefix) and entry.name.endswith(".tmp")
            if ours and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find(folder: str, root: str) -> str | None:
    """The item's poster file, by the names Kodi and Jellyfin read first; None when the
    folder holds none (within the hold limit)."""
    found = call_within_hold(lambda: find_folder_file(folder, "poster", root), folder)
    return None if found is None else found.path


def season_names(season: int) -> tuple[str, ...]:
    """A season's poster in the series folder, as Sonarr's Kodi (XBMC) / Emby metadata
    writes it and Kodi and Jellyfin read it: ``season01-poster.jpg`` (two digits at
    least), ``season-specials-poster.jpg`` for season 0 (Sonarr/Sonarr
    ``src/NzbDrone.Core/Extras/Metadata/Consumers/Xbmc/XbmcMetadata.cs``,
    SeasonImagesRegex, 03b9c957)."""
    stem = "season-specials" if season == 0 else f"season{season:02d}"
    return (f"{stem}-poster.jpg", f"{stem}-poster.png")


def find_season(folder: str, season: int, root: str) -> str | None:
    """The season's poster file in the series folder; None when there is none (within
    the hold limit)."""

    def first() -> str | None:
        for name in season_names(season):
            path = os.path.join(folder, name)
            try:
                if stat.S_ISREG(os.stat(path).st_mode):
                    return path
            except (OSError, ValueError):
                continue
        return None

    return call_within_hold(first, folder)


def look(path: str, root: str) -> Seen:
    """The poster at ``path`` as it is now, within the hold limit. Raises
    PosterFileRefused: ``gone``, ``link``, ``outside``, ``too-large``, ``unreadable``."""
    return call_within_hold(lambda: _look(path, root), path)


def _look(path: str, root: str) -> Seen:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        raise PosterFileRefused(refusals.GONE) from None
    except OSError as exc:
        raise PosterFileRefused(refusals.UNREADABLE, exc.strerror or "") from exc
    if stat.S_ISLNK(status.st_mode):
        raise PosterFileRefused(refusals.LINK)
    try:
        data = read_regular(path, COVER_MAX_BYTES, root=root)
    except UnsafeFile as exc:
        code = refusals.OUTSIDE if exc.code == "outside" else refusals.UNREADABLE
        raise PosterFileRefused(code, exc.reason) from exc
    except FileNotFoundError:
        raise PosterFileRefused(refusals.GONE) from None
    except OSError as exc:
        raise PosterFileRefused(refusals.UNREADABLE, exc.strerror or "") from exc
    if len(data) > COVER_MAX_BYTES:
        raise PosterFileRefused(refusals.TOO_LARGE)
    return Seen(path, data, status.st_size, status.st_mtime_ns, status.st_nlink)


def replace(path: str, data: bytes, *, expected: str, root: str) -> Seen:
    """Put ``data`` in place of the poster at ``path`` if it still holds the bytes of
    digest ``expected``; the poster read back. Raises PosterFileRefused (``changed``,
    ``hardlinked``, ``write-failed`` and ``look``'s) and ShareUnanswered."""
    return call_within_hold(lambda: _replace(path, data, expected, root), path)


def _replace(path: str, data: bytes, expected: str, root: str) -> Seen:
    before = _look(path, root)
    if before.digest != expected:
        raise PosterFileRefused(refusals.CHANGED)
    if before.links > 1:
        raise PosterFileRefused(refusals.HARDLINKED, links=str(before.links))
    status = os.lstat(path)
    folder, name = os.path.split(path)
    forget_cut_short(folder, name)
    temporary = os.path.join(folder, f".{name}.taggarr-{os.getpid()}.tmp")
    try:
        _write_beside(temporary, data, status)
        os.replace(temporary, path)
    except OSError as exc:  # a folder that is read-only, full, or gone: nothing replaced
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise PosterFileRefused(refusals.WRITE_FAILED, exc.strerror or str(exc)) from exc
    after = _look(path, root)
    if after.digest != sha256(data):
        raise PosterFileRefused(refusals.WRITE_FAILED, "the poster read back differs")
    return after
