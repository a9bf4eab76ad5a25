"""What one media item's files say: list them (or take the *arr's media info), probe
only the changed ones, decide its tag. Reads, never writes: the item step
(scanner.pipeline.runtime.item_desk) stores what this returns.

A StorageError (the item's folder cannot be read) or an ArrTransientError (its *arr
did not answer) goes up for the item step's retry policy to decide on.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from scanner import names
from scanner.engine.arr_tracks import DoubtCode
from scanner.engine.library import VideoFile
from scanner.engine.probe import read_tracks
from scanner.engine.tracks import FileTracks
from scanner.models import Media, MediaFile
from scanner.pipeline.scanning.decide import (
    ScannedFile,
    ScannedItem,
    decide,
    file_row,
    judge,
    stored_file,
    stored_tracks,
)
from scanner.pipeline.scanning.io_pool import map_in_folder
from scanner.pipeline.scanning.item_arr import scan_files_arr
from scanner.pipeline.scanning.listening import Listener
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.scanning.prefetch import discover

logger = logging.getLogger(__name__)


def scan_media(
    media: Media,
    options: ScanOptions,
    *,
    rewrite: bool,
    arr_files: dict[str, Any] | None = None,
    stored: dict[str, MediaFile] | None = None,
    listen_budget: int | None = None,
) -> ScannedItem:
    """Probe what changed; reuse the stored tracks of unchanged files. Writes nothing
    (``stored``: the item's stored files, when the caller loaded them already). With
    the *arr's files (arr and hybrid audio sources), its media info comes first; on any
    source, Sonarr's episode list the item step asked for is kept."""
    if stored is None:
        stored = {row.path: row for row in media.files.all()}
    listener = Listener(options.listen_mode, listen_budget)
    if arr_files is not None and options.audio_source != "files":
        files, counted, problems = scan_files_arr(
            media, options, arr_files, stored, rewrite=rewrite, listener=listener
        )
        kept = awaited_upgrades(media, stored, counted)
        counted_paths = {video.relpath for video in counted} | {row.path for row in kept}
        return decide(
            media, files + [stored_file(media, row, options) for row in kept], options,
            problems=problems,
            stale_file_ids=[row.pk for path, row in stored.items() if path not in counted_paths],
            files_fingerprint=arr_files.get("fingerprint", ""),
            arr_files=arr_files.get("files"), arr_episodes=arr_files.get("episodes"),
            episodes_fingerprint=arr_files.get("episodes_mark"),
            tracks_to_hear=listener.wanted, tracks_heard=listener.heard,
            listening_pending=listener.pending,
            tracks_unheard=listener.unheard, unheard_reason=listener.unheard_reason,
        )  # fmt: skip
    discovery = discover(media.path, media.kind, stats_at_once=True)
    counted = options.counted(discovery, media)
    files = scan_files(media, counted, stored, options, rewrite=rewrite, listener=listener)
    kept = awaited_upgrades(media, stored, counted)
    counted_paths = {video.relpath for video in counted} | {row.path for row in kept}
    problems = [{"path": names.display(p.relpath), "reason": p.reason} for p in discovery.problems]
    # Sonarr's episodes, when the item step asked for them (its page's titles and air
    # dates, whatever the source), marked with the *arr's word on the files then.
    listed = arr_files or {}
    return decide(
        media,
        files + [stored_file(media, row, options) for row in kept],
        options,
        problems=problems,
        stale_file_ids=[row.pk for path, row in stored.items() if path not in counted_paths],
        arr_episodes=listed.get("episodes"),
        episodes_fingerprint=listed.get("episodes_mark"),
        tracks_to_hear=listener.wanted,
        tracks_heard=listener.heard,
        listening_pending=listener.pending,
        tracks_unheard=listener.unheard,
        unheard_reason=listener.unheard_reason,
    )


def awaited_upgrades(
    media: Media, stored: dict[str, MediaFile], counted: list[VideoFile]
) -> list[MediaFile]:
    """Stored files an *arr upgrade deleted moments ago (``Media.upgrading``, from its
    webhook) while no file has taken their episodes yet: kept as they were until the
    import comes, so the tags do not drop in between. The import's scan finds the new
    file on the same episodes and lets the old one go; so does any scan after
    ``Media.UPGRADE_WAIT``."""
    if not media.upgrading:
        return []
    since = timezone.now() - Media.UPGRADE_WAIT
    listed = {video.relpath for video in counted}
    episodes = {(video.season, episode) for video in counted for episode in video.episodes}
    kept = []
    for path, row in stored.items():
        marked = parse_datetime(str(media.upgrading.get(path, "")))
        if path in listed or marked is None or marked < since or not row.episodes:
            continue
        season = row.season.number if row.season is not None else None  # no query when none
        if not any((season, episode) in episodes for episode in row.episodes):
            kept.append(row)
    return kept


def scan_files(
    media: Media,
    counted: list[VideoFile],
    stored: dict[str, MediaFile],
    options: ScanOptions,
    *,
    rewrite: bool,
    listener: Listener,
) -> list[ScannedFile]:
    """The counted files: stored tracks when unchanged, the rest probed (on a share
    several at once, see ``map_in_folder``)."""
    now = timezone.now()
    reused = {
        video.relpath: _unchanged(stored.get(video.relpath), video, rewrite) for video in counted
    }
    to_read = [video.relpath for video in counted if reused[video.relpath] is None]
    paths = [Path(media.path) / relpath for relpath in to_read]
    read = dict(zip(to_read, map_in_folder(read_tracks, paths, media.path), strict=True))
    files = []
    for video in counted:
        old = reused[video.relpath]
        if old is not None:
            tracks, error, probed_at = stored_tracks(old), "", old.probed_at
        else:
            (tracks, error), probed_at = read[video.relpath], now
        tracks = tracks.with_sidecars(video.sidecars)
        before = stored.get(video.relpath)
        if not error:
            tracks = listener.kept_or_heard(Path(media.path), video, tracks, before)
        # Why a file stored unchanged is read all the same: judged before from the *arr's
        # word alone (shown on the item page, counted on the run page).
        reread = old is None and not rewrite and _arr_word(before, video)
        note = DoubtCode.ARR_WORD_ONLY if reread else ""
        files.append(
            _scanned(media, video, tracks, error, probed_at, options, probed=old is None, note=note)
        )
    return files


def _unchanged(old: MediaFile | None, video: VideoFile, rewrite: bool) -> MediaFile | None:
    """The stored row, when the file is unchanged since it was read and read well: never
    one judged from the *arr's word alone (Source.ARR: an audio source of arr or hybrid
    before), which the files source reads."""
    if old is None or rewrite or old.result in ("", MediaFile.Result.ERROR):
        return None
    if old.source == MediaFile.Source.ARR:
        return None
    return old if (old.size, old.mtime_ns) == (video.size, video.mtime_ns) else None


def _arr_word(old: MediaFile | None, video: VideoFile) -> bool:
    return (
        old is not None
        and old.source == MediaFile.Source.ARR
        and (old.size, old.mtime_ns) == (video.size, video.mtime_ns)
    )


def _scanned(
    media: Media,
    video: VideoFile,
    tracks: FileTracks,
    error: str,
    probed_at: datetime | None,
    options: ScanOptions,
    *,
    probed: bool,
    note: str = "",
) -> ScannedFile:
    result = judge(media, video.relpath, video.season, video.episodes, tracks, error, options)
    row = file_row(
        media,
        video.relpath,
        size=video.size,
        mtime_ns=video.mtime_ns,
        episodes=list(video.episodes),
        audio_tracks=[t.to_dict() for t in tracks.audio],
        subtitle_tracks=[t.to_dict() for t in tracks.subtitles],
        result=result,
        error=error,
        probed_at=probed_at,
        source_note=note,
        sidecars_key=video.sidecars_key,
    )
    return ScannedFile(row, result, probed=probed)
