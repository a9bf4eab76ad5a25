"""An item's files from the *arr's media info (arr and hybrid audio sources).

``arr``: the files are the ones the *arr lists, judged from its languages; nothing
is opened. ``hybrid``: the files on disk, each judged from the *arr's languages when
they can be trusted (scanner.engine.arr_tracks.arr_doubt) and probed when not; an
item whose folder is not here falls back to the *arr's word alone. Either way the
same counting rules apply (seasons, specials, unmonitored seasons, quick mode), on
the same VideoFile values the folder walk gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from scanner import names
from scanner.arr.media_info import ArrFile
from scanner.engine.arr_tracks import (
    Doubt,
    DoubtCode,
    arr_doubt,
    tracks_from_arr,
    variety_doubt,
)
from scanner.engine.episodes import episode_marker, episodes_in_season_folder, season_of_folder
from scanner.engine.file_varieties import as_judged, with_file_varieties
from scanner.engine.library import Discovery, VideoFile, file_order
from scanner.engine.probe import read_tracks
from scanner.engine.sidecars import AUDIO, sidecars_of
from scanner.engine.targets import ItemTargets, item_targets
from scanner.engine.tracks import FileTracks
from scanner.engine.varieties import release_varieties
from scanner.engine.verdict import FileResult
from scanner.errors import StorageError
from scanner.models import Media, MediaFile
from scanner.pipeline.scanning.decide import ScannedFile, file_row, judge, stored_tracks
from scanner.pipeline.scanning.io_pool import map_in_folder
from scanner.pipeline.scanning.listening import Listener
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.scanning.prefetch import discover

Source = MediaFile.Source


# A readable file's tracks, with what was heard kept and the rest listened to.
HearFile = Callable[[VideoFile, FileTracks], FileTracks]


def arr_discovery(
    media: Media, files: list[ArrFile], subtitle_files: list[str] | None = None
) -> Discovery:
    """The *arr's files as a folder walk would give them: season and episodes from the
    path, size, and the import time as the modification time; a movie's sidecars from
    the subtitle files Radarr lists (``subtitle_files``, paths from its folder)."""
    videos = []
    for file in files:
        folder, _, name = file.relative_path.rpartition("/")
        stem = os.path.splitext(name)[0]
        season = file.season if file.season is not None else season_of_folder(folder)
        if folder and season is not None:
            episodes = episodes_in_season_folder(stem)
        else:
            marker = episode_marker(stem)
            season, episodes = marker if marker else (season, ())
        added = file.date_added or datetime(1970, 1, 1, tzinfo=UTC)
        mtime_ns = int(added.timestamp() * 1_000_000_000)
        videos.append(VideoFile(file.relative_path, season, episodes, file.size or 0, mtime_ns))
    if media.kind == Media.Kind.MOVIE:  # Radarr lists the movie's own file only
        videos = [_with_listed_sidecars(video, subtitle_files or []) for video in videos[:1]]
    return Discovery(Path(media.path), tuple(sorted(videos, key=file_order)), ())


def _with_listed_sidecars(video: VideoFile, paths: list[str]) -> VideoFile:
    """The video with the sidecars among ``paths`` (from the item's folder), found as a
    walk of its folder would find them."""
    folder, _, name = video.relpath.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    beside: list[str] = []
    grouped: dict[str, list[str]] = {}
    for path in paths:
        if not path.startswith(prefix):
            continue
        inner_folder, _, inner_name = path[len(prefix) :].rpartition("/")
        (grouped.setdefault(inner_folder, []) if inner_folder else beside).append(inner_name)
    found = sidecars_of(name, beside, grouped)
    if not found:
        return video
    named = tuple(replace(s, name=prefix + s.name) for s in found)
    return replace(video, sidecars=named)


def scan_files_arr(
    media: Media,
    options: ScanOptions,
    payload: dict[str, Any],
    stored: dict[str, MediaFile],
    *,
    rewrite: bool,
    listener: Listener,
) -> tuple[list[ScannedFile], list[VideoFile], list[dict[str, str]]]:
    """The counted files, judged; the files counted; the problems (for the reasons).
    The files read here (hybrid, on disk) are listened to as the instance says."""
    if payload.get("files") is None:
        raise StorageError(media.path, payload.get("error") or "the *arr sent no files")
    arr_files = [ArrFile.from_dict(data) for data in payload["files"]]
    by_path = {file.relative_path: file for file in arr_files}
    hybrid = options.audio_source == "hybrid"
    try:
        discovery = discover(media.path, media.kind, stats_at_once=True) if hybrid else None
    except StorageError:
        discovery = None  # not here: the *arr's word alone
    if discovery is None:
        discovery = arr_discovery(media, arr_files, payload.get("subtitle_files"))
        on_disk = False
    else:
        on_disk = True
    counted = options.counted(discovery, media)
    now = timezone.now()

    def heard(video: VideoFile, tracks: FileTracks) -> FileTracks:
        if not on_disk:  # the *arr's word alone: no file to listen to
            return tracks
        old = stored.get(video.relpath)
        return listener.kept_or_heard(Path(media.path), video, tracks, old)

    fresh: list[tuple[VideoFile, ArrFile | None, Doubt | None]] = []  # not reused, and why
    judged: dict[str, ScannedFile] = {}
    varieties = _VarietyNeed(media, options)
    for video in counted:
        old = stored.get(video.relpath)
        unchanged = (
            on_disk and not rewrite and old is not None
            and (old.size, old.mtime_ns) == (video.size, video.mtime_ns)
            and old.result not in ("", MediaFile.Result.ERROR)
        )  # fmt: skip
        arr_file = by_path.get(video.relpath)
        doubt = None
        if not unchanged or (old is not None and old.source == Source.ARR):
            # A file judged from the *arr's word alone is judged again when a doubt has
            # come since (a target that gained a variety, rules that read more); one
            # read before is not read again while unchanged.
            doubt = _doubt_of(video, arr_file, on_disk, varieties)
        if unchanged and old is not None and doubt is None:  # as it was
            judged[video.relpath] = _reused(media, video, old, options, heard)
        else:
            fresh.append((video, arr_file, doubt))
    to_read = [
        video.relpath for video, arr_file, doubt in fresh
        if arr_file is None or (on_disk and (doubt or rewrite))
    ]  # fmt: skip
    paths = [Path(media.path) / relpath for relpath in to_read]
    read = dict(zip(to_read, map_in_folder(read_tracks, paths, media.path), strict=True))
    same = _SameLanguages(media, options)
    for video, arr_file, doubt in fresh:
        judged[video.relpath] = _one(
            media, video, arr_file, doubt, read.get(video.relpath), options, now, same, heard
        )
    scanned = [judged[video.relpath] for video in counted]
    problems = [{"path": p.relpath, "reason": p.reason} for p in discovery.problems]
    return scanned, counted, problems


def _doubt_of(
    video: VideoFile, arr_file: ArrFile | None, on_disk: bool, varieties: _VarietyNeed
) -> Doubt | None:
    if arr_file is None:
        return Doubt(DoubtCode.UNKNOWN_FILE, "the *arr does not know this file")
    return _doubt(arr_file, video, on_disk) or varieties.doubt(video, arr_file, on_disk)


class _VarietyNeed:
    """Whether the *arr's word leaves a regional target of the item (the instance's, or
    its own list) resting on a track of unknown variety (engine.arr_tracks.variety_doubt).
    The arr source notes it on the file (no file is read: the item page says why the
    variety stays unknown); hybrid reads the file. Hybrid reads it too for a regional
    language of the household's persons on the instance's media servers
    (ScanOptions.listener_varieties: read for, never judged by), so that their track can
    be told; the arr source, which reads nothing, leaves those alone."""

    def __init__(self, media: Media, options: ScanOptions) -> None:
        self._media, self._options = media, options
        self._targets: tuple[ItemTargets, ItemTargets] | None = None
        self._seen: dict[tuple[Any, ...], tuple[Doubt | None, Doubt | None]] = {}

    def doubt(self, video: VideoFile, arr_file: ArrFile, on_disk: bool) -> Doubt | None:
        if self._targets is None:
            original = self._media.effective_original or None
            self._targets = (
                item_targets(self._options.targets_for(self._media), original),
                item_targets(self._options.person_varieties_for(self._media), original),
            )
        targets, persons = self._targets
        if not targets.regional and not (on_disk and persons.regional):
            return None
        name = video.relpath.rpartition("/")[2]
        # A series' files mostly share their languages: each set of them judged once.
        key = (arr_file.audio, arr_file.audio_streams, arr_file.languages, release_varieties(name))
        if key not in self._seen:
            tracks = as_judged(
                _arr_tracks(arr_file, name),
                lat_is_latino=self._options.lat_is_latino,
                settled=self._media.settled_varieties,
            )
            self._seen[key] = (
                variety_doubt(tracks, targets),
                variety_doubt(tracks, persons, for_persons=True),
            )
        for_targets, for_persons = self._seen[key]
        return for_targets or (for_persons if on_disk else None)


def _one(
    media: Media,
    video: VideoFile,
    arr_file: ArrFile | None,
    doubt: Doubt | None,
    read: tuple[FileTracks, str] | None,
    options: ScanOptions,
    now: datetime,
    same: _SameLanguages,
    heard: HearFile,
) -> ScannedFile:
    """The file judged from what MediaInfo read (``read``), or else from the *arr's word."""
    if read is not None or arr_file is None:  # a file the *arr does not know is always read
        tracks, error = read or (FileTracks(()), doubt.text if doubt else "")
        if arr_file is not None:  # the *arr's languages of the file, after its name's
            tracks = with_file_varieties(tracks, "", arr_file.languages)
        tracks = tracks.with_sidecars(video.sidecars)
        if not error:
            tracks = heard(video, tracks)
        # The note is the doubt's code, worded where it is shown (web.admin.media_page).
        note: str = doubt.code if doubt else DoubtCode.REWRITE
        source, probed = Source.ARR_PROBE, True
        result = judge(media, video.relpath, video.season, video.episodes, tracks, error, options)
        audio, subtitles = _dicts(tracks)
    else:
        usable = arr_file.has_media_info and arr_file.audio
        error = "" if usable else (doubt.text if doubt else "the *arr has no media info for it")
        source, note, probed = Source.ARR, doubt.code if doubt else "", False
        result, audio, subtitles = same.judged(video, arr_file, error)
    row = file_row(
        media, video.relpath, size=video.size, mtime_ns=video.mtime_ns,
        episodes=list(video.episodes), audio_tracks=audio, subtitle_tracks=subtitles,
        result=result, error=error, probed_at=now, source=source, source_note=note,
        sidecars_key=video.sidecars_key,
    )  # fmt: skip
    return ScannedFile(row, result, probed=probed)


def _dicts(tracks: FileTracks) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [t.to_dict() for t in tracks.audio], [t.to_dict() for t in tracks.subtitles]


# A file's result and its audio and subtitle tracks as stored.
Judged = tuple[FileResult, list[dict[str, Any]], list[dict[str, Any]]]


class _SameLanguages:
    """An item's files judged from the *arr's word: the files of a series mostly share
    their languages, so each distinct set of them is made into tracks and judged once
    (making tracks and judging them were a tenth of an *arr-source first scan's CPU,
    by py-spy), and each file gets that result under its own path, season and episodes."""

    def __init__(self, media: Media, options: ScanOptions) -> None:
        self._media, self._options = media, options
        self._seen: dict[tuple[Any, ...], Judged] = {}

    def judged(self, video: VideoFile, arr_file: ArrFile, error: str) -> Judged:
        """The file's result and its audio and subtitle tracks as stored. Its sidecars (the
        hybrid source's walk found them) count by what they say; their names are its own."""
        said = tuple(
            (s.kind, s.language, s.variety, s.forced, s.hearing_impaired, s.default, s.title)
            for s in video.sidecars
        )
        name = video.relpath.rpartition("/")[2]
        released = release_varieties(name)
        key = (
            arr_file.audio, arr_file.audio_streams, arr_file.subtitles, error, said,
            released, arr_file.languages, arr_file.audio_codec,
        )  # fmt: skip
        seen = self._seen.get(key)
        if seen is None:
            tracks = _arr_tracks(arr_file, name).with_sidecars(video.sidecars)
            result = judge(self._media, "", None, (), tracks, error, self._options)
            seen = self._seen[key] = (result, *_dicts(FileTracks(tracks.audio, ())))
        result, audio, _ = seen
        own_audio, subtitles = _dicts(_arr_tracks(arr_file, name).with_sidecars(video.sidecars))
        if any(s.kind == AUDIO for s in video.sidecars):  # an audio file's name is its own
            audio = own_audio
        result = result.for_file(
            names.display(video.relpath), video.season, video.episodes, video.sidecar_names
        )
        return result, list(audio), subtitles


def _arr_tracks(arr_file: ArrFile, name: str) -> FileTracks:
    return tracks_from_arr(
        arr_file.audio, arr_file.audio_streams, arr_file.subtitles,
        file_name=name, file_languages=arr_file.languages, audio_codec=arr_file.audio_codec,
    )  # fmt: skip


def _reused(
    media: Media, video: VideoFile, old: MediaFile, options: ScanOptions, heard: HearFile
) -> ScannedFile:
    tracks = heard(video, stored_tracks(old).with_sidecars(video.sidecars))
    result = judge(media, video.relpath, video.season, video.episodes, tracks, "", options)
    audio, subtitles = _dicts(tracks)
    row = file_row(
        media, video.relpath, size=video.size, mtime_ns=video.mtime_ns,
        episodes=list(video.episodes), audio_tracks=audio,
        subtitle_tracks=subtitles, result=result, error="", probed_at=old.probed_at,
        source=old.source, source_note=old.source_note, sidecars_key=video.sidecars_key,
    )  # fmt: skip
    return ScannedFile(row, result, probed=False)


def _doubt(arr_file: ArrFile, video: VideoFile, on_disk: bool) -> Doubt | None:
    if arr_file.problem:
        text = f"the *arr's media info is malformed: {arr_file.problem}"
        return Doubt(DoubtCode.MALFORMED, text)
    mtime = datetime.fromtimestamp(video.mtime_ns / 1e9, tz=UTC) if on_disk else None
    return arr_doubt(
        has_media_info=arr_file.has_media_info,
        audio=arr_file.audio,
        audio_streams=arr_file.audio_streams,
        arr_size=arr_file.size,
        arr_added=arr_file.date_added,
        disk_size=video.size if on_disk else None,
        disk_mtime=mtime,
    )
