"""The dry run: for each file of an item, the default flags the household's rules want,
and the bytes that would set them, planned (issue 81, item 3: the plan lists every file
that would change, its default now and the one it would get, and every refusal).

Per file: Matroska only (by its name; an MP4 is refused and says why), its identity
(stat: more than one hard link is left alone unless the instance says otherwise), its
header read (matroska.read_header: the header only, never a cluster), the wish
(choice.wish) and the bytes that fulfil it (header_edit.plan_flags). A file with nothing
to change gets no row; a file planned as before keeps its row (a second run says nothing
new); a new plan makes the file's earlier open rows stale. Each read is within the hold
limit: a share that stops answering ends the item there, refused "share-unanswered",
nothing touched. The item is held by its lease (lease.py) throughout.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scanner.changes.checks import Check, Refusal, first_refusal, refuse_when
from scanner.default_tracks import choice, files
from scanner.default_tracks import lease as item_lease
from scanner.default_tracks import refusals as codes
from scanner.default_tracks.header_edit import plan_flags
from scanner.default_tracks.matroska import Header, HeaderError, read_header
from scanner.engine.languages import canonical
from scanner.engine.tracks import AudioTrack
from scanner.errors import ShareUnanswered
from scanner.models import DefaultTrackChange, DefaultTrackLease, Instance, Media, MediaFile

logger = logging.getLogger(__name__)

State = DefaultTrackChange.State
OPEN = (State.PLANNED, State.REFUSED)  # what a new plan of the file replaces
# Outcomes of one file's plan, counted.
PLANNED, REFUSED, ALREADY, KEPT, SKIPPED = "planned", "refused", "already", "kept", "skipped"


@dataclass
class ItemPlan:
    """What planning one item did: each file's outcome counted, the rows planned (to
    write now, on "set"), and why it stopped early (a share that did not answer)."""

    media_id: int
    counts: Counter[str] = field(default_factory=Counter)
    planned: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # one per file, English (the CLI's)
    stopped: str = ""


@dataclass
class Survey:
    """One file as read: a refusal, or the bytes to write (or nothing to change)."""

    refusal: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    identity: files.Identity | None = None
    patch: Any = None  # header_edit.Patch
    flags: list[list[Any]] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def nothing(self) -> bool:
        return not self.refusal and self.patch is None


def household_of(media: Media, instance: Instance) -> choice.Household:
    """The item's side of the choice: its targets, its wish, its original, its varieties."""
    settled = media.settled_varieties if isinstance(media.settled_varieties, dict) else {}
    return choice.Household(
        instance_targets=tuple(instance.target_languages or ()),
        wanted=media.wanted,
        own_targets=media.targets_own,
        original=canonical(media.effective_original) or None,
        lat_is_latino=instance.lat_is_latino,
        settled={str(k): str(v) for k, v in settled.items()},
        unknown_language=media.unknown_language or None,
    )


def plan_key(media: Media, instance: Instance, rows: list[MediaFile]) -> str:
    """What an item's plan depends on, hashed: its files as last scanned (and the files
    beside them: an audio file may be the choice), the settings of the choice, the
    hardlink option."""
    household = household_of(media, instance)
    parts = [
        repr(sorted((row.path, row.size, row.mtime_ns, row.sidecars_key) for row in rows)),
        repr(household),
        str(instance.default_tracks_hardlinked),
        media.path,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def due(media: Media, instance: Instance) -> bool:
    """Whether the item's plan may have changed since its last one, or a write refused
    one of its files for a while ("importing", "changed" ...: planned again)."""
    again = DefaultTrackChange.objects.filter(
        media=media, state=State.REFUSED, refusal__in=codes.PLANNED_AGAIN
    )
    if again.exists():
        return True
    rows = list(media.files.all())
    stored = DefaultTrackLease.objects.filter(media=media).values_list("planned_key", flat=True)
    return next(iter(stored), "") != plan_key(media, instance, rows)


def plan_item(
    media_id: int,
    *,
    run_id: int | None,
    token: int,
    only_files: set[int] | None = None,
    dry: bool = False,
) -> ItemPlan:
    """Plan the item's files; the caller holds the item's lease with ``token``.
    ``only_files``: these MediaFile ids only; ``dry``: say what would be planned, record
    nothing."""
    media = Media.objects.select_related("instance").get(pk=media_id)
    instance = media.instance
    household = household_of(media, instance)
    rows = list(media.files.order_by("path"))
    result = ItemPlan(media_id)
    # A write that may have left its bytes unchecked (interrupted, or read otherwise and
    # not undone): undone first, never planned over.
    writing = set(
        DefaultTrackChange.objects.filter(
            media=media, state__in=(State.WRITING, State.NOT_UNDONE)
        ).values_list("media_file_id", flat=True)
    )
    for row in rows:
        if only_files is not None and row.pk not in only_files:
            continue
        path = files.file_path(media, row)
        refused = first_refusal(FILE_CHECKS, File(media, path, row.pk in writing))
        if refused is not None:
            survey = Survey(refused.code, dict(refused.detail))
        else:
            survey = survey_file(
                path,
                household,
                allow_hardlinked=instance.default_tracks_hardlinked,
                external=external_audio(row),
            )
        outcome, change_id = (
            (_outcome(survey), None)
            if dry
            else record(media, row, run_id, path, survey, token, again=only_files is not None)
        )
        result.counts[outcome] += 1
        if outcome in (PLANNED, KEPT) and change_id is not None and not survey.refusal:
            result.planned.append(change_id)
        result.lines.append(line_of(path, outcome, survey))
        if survey.refusal == codes.SHARE_UNANSWERED:
            result.stopped = codes.SHARE_UNANSWERED
            break  # every other file is on the same share: the step ends here
    if not dry and not result.stopped and only_files is None:
        item_lease.hold(media_id, token)
        DefaultTrackLease.objects.filter(media_id=media_id).update(
            planned_key=plan_key(media, instance, rows), planned_at=timezone.now()
        )
    return result


class File(NamedTuple):
    media: Media
    path: str
    interrupted: bool  # a write of it may have left its bytes unchecked


def _in_library(file: File) -> Refusal | None:
    """A link, or outside the library: never read to write; a share that does not answer
    is its own refusal (a file gone or unreadable: the survey says which)."""
    try:
        where = files.misplaced(file.media, file.path)
    except ShareUnanswered:
        return Refusal(codes.SHARE_UNANSWERED)
    except OSError:
        return None
    return None if where is None else Refusal(where)


# A file's refusals before it is opened, in order.
FILE_CHECKS: tuple[Check[File], ...] = (
    refuse_when("no write interrupted", codes.INTERRUPTED, lambda f: f.interrupted),
    Check("in the library", _in_library, codes.MISPLACED | {codes.SHARE_UNANSWERED}),
    refuse_when("not an MP4", codes.MP4, lambda f: files.is_mp4(f.path)),
    refuse_when(
        "Matroska by its name", codes.NOT_MATROSKA, lambda f: not files.is_matroska(f.path)
    ),
)


def external_audio(row: MediaFile) -> tuple[AudioTrack, ...]:
    """The audio files kept beside the video, as the scan stored them with its tracks."""
    stored = row.audio_tracks if isinstance(row.audio_tracks, list) else []
    return tuple(
        AudioTrack.from_dict(track)
        for track in stored
        if isinstance(track, dict) and track.get("file")
    )


def survey_file(
    path: str,
    household: choice.Household,
    *,
    allow_hardlinked: bool,
    external: tuple[AudioTrack, ...] = (),
) -> Survey:
    """Read one file (its stat, then its header) and plan its flags, once FILE_CHECKS
    accept it; no database. ``external``: the audio files beside it (a choice of one sets
    nothing in the video)."""
    try:
        identity = files.identity(path)
        if identity.nlink > 1 and not allow_hardlinked:
            return Survey(codes.HARDLINKED, {"nlink": identity.nlink}, identity)
        header = files.held(lambda: read_header(path), path)
    except ShareUnanswered:
        return Survey(codes.SHARE_UNANSWERED)
    except FileNotFoundError:
        return Survey(codes.GONE)
    except OSError as exc:
        return Survey(codes.UNREADABLE, {"error": exc.strerror or str(exc)})
    except HeaderError as exc:
        return Survey(exc.code if exc.code in codes.REFUSALS else codes.UNREADABLE)
    identity = _header_identity(header) or identity
    if identity.nlink > 1 and not allow_hardlinked:
        return Survey(codes.HARDLINKED, {"nlink": identity.nlink}, identity)
    return planned(header, path, household, identity, external)


def planned(
    header: Header,
    path: str,
    household: choice.Household,
    identity: files.Identity,
    external: tuple[AudioTrack, ...] = (),
) -> Survey:
    """The wish for a header read, and the bytes that fulfil it."""
    tracks = header.tracks
    wish = choice.wish(tracks, os.path.basename(path), household, external)
    before = _defaults(tracks, {})
    if wish.audio_file is not None:
        beside = {"file": wish.audio_file, "language": wish.language or ""}
        return Survey(codes.EXTERNAL_AUDIO, beside, identity, before=before, after=before)
    if wish.refused:
        code = codes.UNCERTAIN if wish.doubt is not None or wish.outcome == "uncertain" else None
        detail: dict[str, Any] = {"outcome": str(wish.outcome)}
        if wish.doubt is not None:
            detail["doubt"] = str(wish.doubt)
        if wish.language:
            detail["language"] = wish.language
        return Survey(code or codes.NO_CHOICE, detail, identity, before=before, after=before)
    edit = plan_flags(header, path, wish.flags)
    after = _defaults(tracks, wish.flags)
    changed = [[kind, position, old, new] for kind, position, old, new in edit.changed]
    if edit.refusal:
        detail = {"command": edit.command}
        return Survey(edit.refusal, detail, identity, None, changed, before, after)
    return Survey("", {}, identity, edit.patch, changed, before, after)


def _header_identity(header: Header) -> files.Identity | None:
    """The identity the header reader took from the same open file, when it gives one."""
    found = getattr(header, "identity", None)
    if found is None:
        return None
    return files.Identity(found.size, found.mtime_ns, found.ino, found.nlink)


def _defaults(tracks: Any, flags: Mapping[tuple[str, int], bool]) -> dict[str, Any]:
    audio = choice.after_flags(tracks, flags, choice.AUDIO)
    subtitle = choice.after_flags(tracks, flags, choice.SUBTITLE)
    return {
        "audio": audio.position if audio is not None else None,
        "audio_language": choice.track_language(audio),
        "subtitle": subtitle.position if subtitle is not None else None,
        "subtitle_language": choice.track_language(subtitle),
    }


def _outcome(survey: Survey) -> str:
    if survey.refusal:
        return REFUSED
    return ALREADY if survey.patch is None else PLANNED


def record(
    media: Media,
    row: MediaFile,
    run_id: int | None,
    path: str,
    survey: Survey,
    token: int,
    *,
    again: bool = False,
) -> tuple[str, int | None]:
    """The file's plan kept: nothing to change closes its open rows; the same plan as
    its open row keeps that row; another replaces it. ``again``: asked for this file, so
    planned even where it was written and undone before. Its outcome and row."""
    with transaction.atomic():
        item_lease.hold(media.pk, token)  # the fence, first
        open_rows = DefaultTrackChange.objects.filter(media_file=row, state__in=OPEN)
        if survey.nothing:
            open_rows.update(state=State.STALE)
            return ALREADY, None
        fields = _fields(survey)
        same = [r for r in open_rows.order_by("-id") if _same(r, fields)]
        if same:
            return KEPT if not survey.refusal else REFUSED, same[0].pk
        ended = DefaultTrackChange.objects.filter(
            media_file=row, state__in=(State.FAILED, State.UNDONE), **_identity_fields(fields)
        )
        if survey.patch is not None and not again and ended.exists():
            # Written once and undone (by a person, or because MediaInfo read the file
            # otherwise): not planned again for the same file and bytes on its own; a
            # new file, new settings or a plan asked for this file plan it again.
            return SKIPPED, None
        open_rows.update(state=State.STALE)
        change = DefaultTrackChange.objects.create(
            instance_id=media.instance_id,
            media=media,
            media_file=row,
            run_id=run_id,
            path=path,
            state=State.REFUSED if survey.refusal else State.PLANNED,
            **fields,
        )
    return (REFUSED if survey.refusal else PLANNED), change.pk


def _fields(survey: Survey) -> dict[str, Any]:
    ident = survey.identity
    patch = survey.patch
    return {
        "refusal": survey.refusal,
        "detail": survey.detail,
        "size": ident.size if ident else None,
        "mtime_ns": ident.mtime_ns if ident else None,
        "inode": files.stored_inode(ident.ino) if ident else None,
        "patch_offset": patch.offset if patch is not None else None,
        "patch_old": bytes(patch.old) if patch is not None else None,
        "patch_new": bytes(patch.new) if patch is not None else None,
        "flags": survey.flags,
        "audio_before": survey.before.get("audio"),
        "audio_before_language": survey.before.get("audio_language", ""),
        "audio_after": survey.after.get("audio"),
        "audio_after_language": survey.after.get("audio_language", ""),
        "subtitle_before": survey.before.get("subtitle"),
        "subtitle_before_language": survey.before.get("subtitle_language", ""),
        "subtitle_after": survey.after.get("subtitle"),
        "subtitle_after_language": survey.after.get("subtitle_language", ""),
    }


def _identity_fields(fields: dict[str, Any]) -> dict[str, Any]:
    # Not the time: a write and its undo each change it.
    keys = ("size", "inode", "patch_offset", "patch_old", "patch_new")
    return {key: fields[key] for key in keys}


def _same(row: DefaultTrackChange, fields: dict[str, Any]) -> bool:
    for key, value in fields.items():
        stored = getattr(row, key)
        if isinstance(stored, memoryview):
            stored = bytes(stored)
        if stored != value:
            return False
    return True


def line_of(path: str, outcome: str, survey: Survey) -> str:
    """One file's plan as the command line prints it (English, the log's language)."""
    name = os.path.basename(path)
    if survey.refusal:
        extra = f" ({survey.detail})" if survey.detail else ""
        return f"{name}: refused, {survey.refusal}{extra}"
    if survey.patch is None:
        return f"{name}: already as wanted"
    before, after = survey.before, survey.after
    return (
        f"{name}: {outcome}: audio {before.get('audio')} ({before.get('audio_language')}) -> "
        f"{after.get('audio')} ({after.get('audio_language')}), subtitle "
        f"{before.get('subtitle')} -> {after.get('subtitle')}"
    )


def open_rows_of(media_id: int) -> Q:
    """The item's rows a write may take: planned."""
    return Q(media_id=media_id, state=State.PLANNED)
