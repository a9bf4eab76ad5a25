"""The managed tag in each item's NFO (tvshow.nfo, movie.nfo, ...); a missing one is
created only when the instance asks.

An NFO that could not be written (a read-only folder, a full disk) is in
``report.nfo_failed``: the run ends partial, the apply step marks the item due
(Media.nfo_due), and the next scan writes it again although nothing else changed.

An NFO Taggarr will not edit (not well-formed, another kind, a link to a file outside
the item's folder: a Kodi URL-only NFO is one) is the user's file, not a failed write:
it is left as it was and reported once (an event), the run is not partial for it, and
the item is due, so that the next scan after it is mended writes it.
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner import names
from scanner.engine import nfo
from scanner.errors import NfoError, StorageError
from scanner.models import Event, Instance, Media, MediaFile, ScanRun
from scanner.pipeline.scanning.io_pool import map_on_io_threads
from scanner.pipeline.state import runs
from scanner.pipeline.writers.writes import ApplyReport, TagWrite

HEARTBEAT_EVERY = 200


def write_nfos(run: ScanRun, writes: list[TagWrite], report: ApplyReport) -> None:
    """The files on the I/O threads (on a share each NFO costs several round trips),
    what they found recorded here, in chunks between heartbeats."""
    instance = run.instance
    if not (instance.write_nfo or instance.create_nfo) or not writes:
        return
    main_files = _main_files([w.media for w in writes if w.media.kind == Media.Kind.MOVIE])
    real_roots = [Path(os.path.realpath(root)) for root in instance.root_folders if root.strip()]

    def write(item: TagWrite) -> bool | StorageError:
        try:
            return _write_one(instance, item, main_files.get(item.media.pk), real_roots)
        except StorageError as exc:  # NfoError included: a broken NFO stays as it was
            return exc

    for start in range(0, len(writes), HEARTBEAT_EVERY):
        runs.heartbeat(run.pk)
        chunk = writes[start : start + HEARTBEAT_EVERY]
        for item, outcome in zip(chunk, map_on_io_threads(write, chunk), strict=True):
            if isinstance(outcome, StorageError):
                _record_error(run, item.media, outcome, report)
                continue
            if outcome:
                report.nfo_written.add(item.media.pk)
            if outcome or item.media.nfo_due:
                # A due one that was right already: its write or the servers' re-read
                # of it failed last time, and the re-read is asked for again.
                report.nfo_to_reread.add(item.media.pk)


def _record_error(run: ScanRun, media: Media, exc: StorageError, report: ApplyReport) -> None:
    instance = run.instance
    if not instance.is_arr:  # its NFO is a library item's only record of its tag
        report.failed[media.pk] = exc.reason
    if isinstance(exc, NfoError):
        report.nfo_left_alone.add(media.pk)
        if media.nfo_due:
            return  # told when it was first found so, and still so
    else:
        report.nfo_failed[media.pk] = exc.reason
    Event.objects.create(
        instance=instance,
        media=media,
        run=run,
        kind=Event.Kind.NFO_ERROR,
        message=f"{media.title}: {exc.reason}",
        data={"path": names.display(exc.path)},
    )


def _write_one(
    instance: Instance, write: TagWrite, main_file: str | None, real_roots: list[Path]
) -> bool:
    """True when the NFO changed. Files only (runs on an I/O thread). ``real_roots``: the
    instance's root folders, links followed; without any, the folder the item's is in."""
    media = write.media
    kind = "series" if media.kind == Media.Kind.SERIES else "movie"
    folder = Path(media.path)
    if not folder.is_dir():  # not here (the *arr audio source needs no mount)
        return False
    nfo.check_folder_in_library(folder, real_roots or [Path(os.path.realpath(folder.parent))])
    path = nfo.find_nfo(folder, kind, main_file)
    if path is None:
        if instance.create_nfo and write.wanted:
            name = "tvshow.nfo" if kind == "series" else "movie.nfo"
            nfo.create_nfo(folder / name, kind, media.title, sorted(write.wanted))
            return True
        return False
    if not instance.write_nfo:
        return False
    return nfo.write_managed_tags(path, write.managed, write.wanted, folder=folder, kind=kind)


def _main_files(movies: list[Media]) -> dict[int, str]:
    if not movies:
        return {}
    return dict(MediaFile.objects.filter(media__in=movies).values_list("media_id", "path"))
