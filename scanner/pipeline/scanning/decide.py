"""From an item's judged files to its stored verdict: the planned tag and labels, the
reasons, the seasons with their coverage, the files, and whether the *arr's original
language is in doubt.

Used by the item step after listing and probing, and by ``redecide`` when only a
setting changed (the original-language override, a settled variety): then the stored tracks suffice,
and nothing is listed or probed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner import names
from scanner.engine.file_varieties import latin_as_latino, settle_varieties
from scanner.engine.guesses import GuessedFile, review_reasons
from scanner.engine.languages import canonical
from scanner.engine.library import files_digest
from scanner.engine.listened import listened, read_subtitles
from scanner.engine.originals import doubtful_english
from scanner.engine.per_language import coverage, language_tags, subtitle_tags
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack
from scanner.engine.verdict import FileResult, file_result, item_verdict
from scanner.models import Media, MediaFile
from scanner.models.bulk import update_fields, upsert
from scanner.pipeline.scanning.dub_news import first_note
from scanner.pipeline.scanning.listening_reasons import listening_reasons
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.scanning.seasons import store_seasons
from scanner.pipeline.scanning.wanted import wanted_reason, wanted_summary


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
    tag: str | None  # None: keep what is planned (no counted file could be read)
    reasons: dict[str, Any]
    languages: dict[str, str]  # per target: dub / semi-dub / none
    subtitles: dict[str, str]  # per target: sub / semi-sub / none
    labels: list[str]  # the per-language and subtitle labels, rendered
    original_suggestion: str
    review: list[dict[str, Any]]  # the guesses the verdict rests on (engine.guesses)
    files_probed: int
    file_errors: int
    stale_file_ids: list[int] = field(default_factory=list)  # stored, no longer counted
    files_fingerprint: str | None = None  # the *arr's word on the files; None: keep
    arr_files: list[dict[str, Any]] | None = None  # the *arr's files; None: keep
    arr_episodes: list[list[Any]] | None = None  # Sonarr's episodes (its page); None: keep
    episodes_fingerprint: str | None = None  # the files' word they were asked with
    tracks_to_hear: int = 0  # audio tracks this scan found to listen to (heard or not)
    tracks_heard: int = 0  # audio tracks listened to by this scan
    listening_pending: bool = False  # tracks left unheard: the next scan reads it again
    tracks_unheard: int = 0  # ... not heard because listening could not run here
    unheard_reason: str = ""  # why (scanner.engine.unheard.UNHEARD)
    # Files judged from the *arr's word alone whose regional target now rests on a track
    # of unknown variety (a re-decision after an item's own targets or a settled variety
    # changed): the next scan's plan reads the item, and hybrid reads those files.
    reading_pending: bool = False


_ROW_FIELDS = tuple(field.attname for field in MediaFile._meta.concrete_fields)
ARR = MediaFile.Source.ARR


def file_row(
    media: Media,
    path: str,
    *,
    size: int,
    mtime_ns: int,
    episodes: list[int],
    audio_tracks: list[dict[str, Any]],
    subtitle_tracks: list[dict[str, Any]],
    result: FileResult,
    error: str,
    probed_at: datetime | None,
    source: str = MediaFile.Source.FILE,
    source_note: str = "",
    sidecars_key: str = "",
) -> MediaFile:
    """A counted file's row as ``store_many`` writes it (unsaved, in no season yet).
    Made from values in the model's field order, Django's own fast way (as it loads
    rows): for the 30,500 files of a first scan 0.4 s where keyword arguments took 1.0."""
    values = {
        "id": None, "media_id": media.pk, "season_id": None, "path": path, "size": size,
        "mtime_ns": mtime_ns, "episodes": episodes, "audio_tracks": audio_tracks,
        "subtitle_tracks": subtitle_tracks, "sidecars_key": sidecars_key, "source": source,
        "source_note": source_note[:200],
        "result": result_code(result), "error": error, "probed_at": probed_at,
    }  # fmt: skip
    # django-stubs' plugin reads the unpacked list as the first field's value, but only
    # with a warm mypy cache: ignored then, and not called unused with a cold one.
    row = MediaFile(*[values[name] for name in _ROW_FIELDS])  # type: ignore[misc, unused-ignore]
    MediaFile.media.field.set_cached_value(row, media)
    return row


def stored_tracks(row: MediaFile) -> FileTracks:
    return FileTracks(
        tuple(AudioTrack.from_dict(track) for track in row.audio_tracks),
        tuple(SubtitleTrack.from_dict(track) for track in row.subtitle_tracks),
    )


def judge(
    media: Media,
    relpath: str,
    season: int | None,
    episodes: tuple[int, ...],
    tracks: FileTracks,
    error: str,
    options: ScanOptions,
) -> FileResult:
    """One counted file against the instance's targets, with the item's original (and a
    person's language for its unknown tracks, and a person's word on its tracks of
    unknown variety)."""
    shown = names.display(relpath)
    if error:
        return FileResult.failed(shown, season, episodes, error)
    if options.lat_is_latino:
        tracks = latin_as_latino(tracks)
    audio = listened(tracks.audio, options.listen_mode, media.unknown_language)
    subtitles = read_subtitles(tracks.subtitles, options.listen_mode)
    if media.settled_varieties:
        audio = settle_varieties(audio, media.settled_varieties)
        subtitles = settle_varieties(subtitles, media.settled_varieties)
    return file_result(
        audio, media.effective_original or None, options.targets_for(media), options.policy,
        path=shown, season=season, episodes=episodes, subtitles=subtitles,
    )  # fmt: skip


def decide(
    media: Media,
    files: list[ScannedFile],
    options: ScanOptions,
    *,
    problems: list[dict[str, str]] | None = None,
    stale_file_ids: list[int] | None = None,
    files_fingerprint: str | None = None,
    arr_files: list[dict[str, Any]] | None = None,
    arr_episodes: list[list[Any]] | None = None,
    episodes_fingerprint: str | None = None,
    tracks_to_hear: int = 0,
    tracks_heard: int = 0,
    listening_pending: bool = False,
    tracks_unheard: int = 0,
    unheard_reason: str = "",
) -> ScannedItem:
    results = [file.result for file in files]
    verdict = item_verdict(results)
    reasons = dict(verdict.reasons)
    if problems:
        reasons["problems"] = problems
    heard = listening_reasons(
        (
            (file.result.path, stored_tracks(file.row))
            for file in files
            if file.result.error is None
        ),
        options.listen_mode,
    )
    if heard:
        reasons["listening"] = heard
    if media.wanted:
        reasons["wanted"] = wanted_reason(media)
        reasons["summary"] = wanted_summary(str(reasons["summary"]), reasons["wanted"])
    languages = {code: str(tag) for code, tag in language_tags(results).items()}
    subtitles = {
        code: str(tag)
        for code, tag in subtitle_tags(
            results,
            options.subtitle_targets_for(media),
            unknown_variety_counts=options.policy.unknown_variety_counts,
        ).items()
    }
    firsts = [
        file.row.audio_tracks[0].get("language") if file.row.audio_tracks else None
        for file in files
        if file.result.error is None
    ]
    suggestion = (
        doubtful_english(media.original_language, firsts, options.targets_for(media))
        if media.arr_id
        else None
    )
    review = review_reasons(
        (
            GuessedFile(
                file.result.path, file.row.audio_tracks, file.row.source == ARR, file.result.unsure
            )
            for file in files
            if file.result.error is None
        ),
        original=canonical(media.effective_original),
        unknown_first_track=options.policy.unknown_first_track,
        unknown_as=media.unknown_language,
        original_suggestion="" if media.original_override else suggestion or "",
        listen_mode=options.listen_mode,
    )
    return ScannedItem(
        rows=[file.row for file in files],
        results=results,
        tag=verdict.tag.value if verdict.tag is not None else None,
        reasons=reasons,
        languages=languages,
        subtitles=subtitles,
        labels=options.labels.language_labels(languages, subtitles),
        original_suggestion=suggestion or "",
        review=review,
        files_probed=sum(file.probed for file in files),
        file_errors=sum(file.result.error is not None for file in files),
        stale_file_ids=stale_file_ids or [],
        files_fingerprint=files_fingerprint,
        arr_files=arr_files,
        arr_episodes=arr_episodes,
        episodes_fingerprint=episodes_fingerprint if arr_episodes is not None else None,
        tracks_to_hear=tracks_to_hear,
        tracks_heard=tracks_heard,
        listening_pending=listening_pending,
        tracks_unheard=tracks_unheard,
        unheard_reason=unheard_reason,
    )


def store(media: Media, scanned: ScannedItem, options: ScanOptions) -> None:
    """The item's files, seasons and verdict. Call inside a transaction."""
    store_many([(media, scanned)], options)


def store_many(items: Sequence[tuple[Media, ScannedItem]], options: ScanOptions) -> None:
    """Several items' files, seasons and verdicts in a fixed number of statements,
    whatever their number. Call inside a transaction."""
    season_ids = store_seasons([(media, scanned.results) for media, scanned in items])
    rows = []
    stale = []
    for media, scanned in items:
        for row, result in zip(scanned.rows, scanned.results, strict=True):
            season = result.season  # a movie's file has none
            row.season_id = None if season is None else season_ids.get((media.pk, season))
            rows.append(row)
        stale += scanned.stale_file_ids
    if stale:
        MediaFile.objects.filter(pk__in=stale).delete()
    upsert(
        rows,
        unique_fields=["media", "path"],
        update_fields=[
            "season", "size", "mtime_ns", "episodes", "audio_tracks", "subtitle_tracks",
            "sidecars_key", "result", "error", "probed_at", "source", "source_note",
        ],
    )  # fmt: skip
    now = timezone.now()
    first_noted = [media for media, scanned in items if _set_verdict(media, scanned, options, now)]
    update_fields([media for media, _ in items], STORED_FIELDS)
    if first_noted:
        update_fields(first_noted, ["dub_announced"])


def _set_verdict(media: Media, scanned: ScannedItem, options: ScanOptions, now: datetime) -> bool:
    """Sets the item's verdict; whether it took the item's first dub note."""
    noted = False
    if scanned.tag is not None:  # no readable file: keep what was planned
        media.planned_tag = scanned.tag
        media.language_verdicts = scanned.languages
        media.subtitle_verdicts = scanned.subtitles
        media.planned_labels = scanned.labels
        item_coverage = coverage(scanned.results)
        media.coverage = {code: list(pair) for code, pair in item_coverage.items()}
        media.lowest_coverage = _lowest_percent(item_coverage)
        # The next real run compares the files with the last news; a first look is none.
        noted = first_note(media, scanned.results, scanned.rows, options.listen_mode)
        media.dubs_due = not noted
    media.verdict_reasons = scanned.reasons
    media.variety_unknown = bool(scanned.reasons.get("variety_unknown"))
    _set_review(media, scanned.review)
    media.original_suggestion = scanned.original_suggestion
    # Tracks left unheard (the run's limit): a hash no settings give, so the next scan's
    # plan reads the item again instead of taking it for unchanged.
    media.settings_hash = (
        options.settings_hash(media)
        + (":listen" if scanned.listening_pending else "")
        + (":read" if scanned.reading_pending else "")
    )
    if scanned.files_fingerprint is not None:
        media.files_fingerprint = scanned.files_fingerprint
    if scanned.arr_files is not None:
        media.arr_files = scanned.arr_files
    if scanned.arr_episodes is not None:
        media.arr_episodes = scanned.arr_episodes
    if scanned.episodes_fingerprint is not None:
        media.episodes_fingerprint = scanned.episodes_fingerprint
    # The stored files are now these rows (the stale ones deleted): what the plan of the
    # next scan compares the folder's listing with (plan._needs_scan).
    media.files_digest = files_digest(
        (row.path, row.size, row.mtime_ns, row.sidecars_key) for row in scanned.rows
    )
    media.file_count = len(scanned.rows)
    media.error_file_count = scanned.file_errors
    media.error = ""
    media.last_scanned_at = now
    media.updated_at = now  # update_fields does not apply auto_now
    return noted


def _set_review(media: Media, review: list[dict[str, Any]]) -> None:
    """The guesses, and whether a person has still to look: a confirmation holds for the
    guesses confirmed, until another one appears."""
    codes = [reason["code"] for reason in review]
    media.review_reasons = review
    media.review_confirmed = [code for code in media.review_confirmed if code in codes]
    media.needs_review = not set(codes) <= set(media.review_confirmed)


STORED_FIELDS = [
    "planned_tag", "language_verdicts", "subtitle_verdicts", "planned_labels", "coverage",
    "lowest_coverage", "verdict_reasons", "variety_unknown", "original_suggestion", "settings_hash",
    "dubs_due", "review_reasons", "review_confirmed", "needs_review",
    "files_digest", "files_fingerprint", "arr_files", "arr_episodes", "episodes_fingerprint",
    "file_count",
    "error_file_count", "error", "last_scanned_at", "updated_at",
]  # fmt: skip


def _lowest_percent(item_coverage: dict[str, tuple[int, int]]) -> int | None:
    shares = [100 * having // total for having, total in item_coverage.values() if total]
    return min(shares) if shares else None


def redecide(media: Media) -> Media:
    """The item's verdict again from its stored tracks: nothing is listed or probed."""
    options = ScanOptions.for_instance(media.instance)
    rows = media.files.select_related("season").order_by("path")
    files = [stored_file(media, old, options) for old in rows]
    problems = (media.verdict_reasons or {}).get("problems")
    scanned = decide(media, files, options, problems=problems)
    if any(file.row.source == ARR and file.result.unsure for file in files):
        scanned = replace(scanned, reading_pending=True)
    with transaction.atomic():
        store(media, scanned, options)
    return media


def stored_file(media: Media, old: MediaFile, options: ScanOptions) -> ScannedFile:
    """A stored file judged again from its stored tracks (today's settings), unread."""
    season = old.season.number if old.season is not None else None
    tracks = stored_tracks(old)
    result = judge(media, old.path, season, tuple(old.episodes), tracks, old.error, options)
    row = file_row(
        media, old.path, size=old.size, mtime_ns=old.mtime_ns, episodes=old.episodes,
        audio_tracks=old.audio_tracks, subtitle_tracks=old.subtitle_tracks, result=result,
        error=old.error, probed_at=old.probed_at, source=old.source,
        source_note=old.source_note, sidecars_key=old.sidecars_key,
    )  # fmt: skip
    return ScannedFile(row, result, probed=False)


def result_code(result: FileResult) -> str:
    if result.error is not None:
        return MediaFile.Result.ERROR
    if result.wrong:
        return MediaFile.Result.WRONG
    if result.has_all:
        return MediaFile.Result.ALL
    return MediaFile.Result.SOME if result.has_some else MediaFile.Result.NONE
