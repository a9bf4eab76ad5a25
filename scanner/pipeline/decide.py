"""From an item's judged files to its stored verdict: the planned tag, the reasons, the
seasons, the files, and whether the *arr's original language is in doubt.

Used by the item step after listing and probing, and by ``redecide`` when only a
setting changed (the original-language override): then the stored tracks suffice,
and nothing is listed or probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner import names
from scanner.engine.originals import doubtful_english
from scanner.engine.tracks import AudioTrack
from scanner.engine.verdict import FileResult, file_result, item_verdict
from scanner.models import Media, MediaFile
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.seasons import store_seasons


@dataclass(frozen=True, slots=True)
class ScannedFile:
    row: MediaFile
    result: FileResult
    probed: bool


@dataclass(frozen=True, slots=True)
class ScannedItem:
    """What scanning (or re-deciding) one item found, before anything is written."""

    rows: list[MediaFile]  # one per counted file, in verdict order
    results: list[FileResult]
    tag: str | None  # None: keep the planned tag (no counted file could be read)
    reasons: dict[str, Any]
    original_suggestion: str
    files_probed: int
    file_errors: int
    stale_file_ids: list[int] = field(default_factory=list)  # stored, no longer counted


def judge(
    media: Media,
    relpath: str,
    season: int | None,
    episodes: tuple[int, ...],
    tracks: tuple[AudioTrack, ...],
    error: str,
    options: ScanOptions,
) -> FileResult:
    """One counted file against the instance's targets, with the item's original."""
    shown = names.display(relpath)
    if error:
        return FileResult.failed(shown, season, episodes, error)
    return file_result(
        tracks, media.effective_original or None, options.targets, options.policy,
        path=shown, season=season, episodes=episodes,
    )  # fmt: skip


def decide(
    media: Media,
    files: list[ScannedFile],
    *,
    problems: list[dict[str, str]] | None = None,
    stale_file_ids: list[int] | None = None,
) -> ScannedItem:
    results = [file.result for file in files]
    verdict = item_verdict(results)
    reasons = dict(verdict.reasons)
    if problems:
        reasons["problems"] = problems
    firsts = [
        file.row.audio_tracks[0].get("language") if file.row.audio_tracks else None
        for file in files
        if file.result.error is None
    ]
    suggestion = doubtful_english(media.original_language, firsts) if media.arr_id else None
    return ScannedItem(
        rows=[file.row for file in files],
        results=results,
        tag=verdict.tag.value if verdict.tag is not None else None,
        reasons=reasons,
        original_suggestion=suggestion or "",
        files_probed=sum(file.probed for file in files),
        file_errors=sum(file.result.error is not None for file in files),
        stale_file_ids=stale_file_ids or [],
    )


def store(media: Media, scanned: ScannedItem, options: ScanOptions) -> None:
    """The item's files, seasons and verdict. Call inside a transaction."""
    season_ids = store_seasons(media, scanned.results)
    for row, result in zip(scanned.rows, scanned.results, strict=True):
        row.season_id = season_ids.get(result.season) if result.season is not None else None
    if scanned.stale_file_ids:
        MediaFile.objects.filter(pk__in=scanned.stale_file_ids).delete()
    MediaFile.objects.bulk_create(
        scanned.rows,
        update_conflicts=True,
        unique_fields=["media", "path"],
        update_fields=[
            "season", "size", "mtime_ns", "episodes", "audio_tracks", "result", "error",
            "probed_at",
        ],
    )  # fmt: skip
    if scanned.tag is not None:
        media.planned_tag = scanned.tag
    media.verdict_reasons = scanned.reasons
    media.original_suggestion = scanned.original_suggestion
    media.settings_hash = options.settings_hash(media)
    media.file_count = len(scanned.rows)
    media.error_file_count = scanned.file_errors
    media.error = ""
    media.last_scanned_at = timezone.now()
    media.save(
        update_fields=[
            "planned_tag", "verdict_reasons", "original_suggestion", "settings_hash",
            "file_count", "error_file_count", "error", "last_scanned_at", "updated_at",
        ]
    )  # fmt: skip


def redecide(media: Media) -> Media:
    """The item's verdict again from its stored tracks: nothing is listed or probed."""
    options = ScanOptions.for_instance(media.instance)
    files = []
    for old in media.files.select_related("season").order_by("path"):
        tracks = tuple(AudioTrack.from_dict(track) for track in old.audio_tracks)
        season = old.season.number if old.season is not None else None
        result = judge(media, old.path, season, tuple(old.episodes), tracks, old.error, options)
        row = MediaFile(
            media=media, path=old.path, size=old.size, mtime_ns=old.mtime_ns,
            episodes=old.episodes, audio_tracks=old.audio_tracks, result=result_code(result),
            error=old.error, probed_at=old.probed_at,
        )  # fmt: skip
        files.append(ScannedFile(row, result, probed=False))
    problems = (media.verdict_reasons or {}).get("problems")
    scanned = decide(media, files, problems=problems)
    with transaction.atomic():
        store(media, scanned, options)
    return media


def result_code(result: FileResult) -> str:
    if result.error is not None:
        return MediaFile.Result.ERROR
    if result.wrong:
        return MediaFile.Result.WRONG
    if result.has_all:
        return MediaFile.Result.ALL
    return MediaFile.Result.SOME if result.has_some else MediaFile.Result.NONE
