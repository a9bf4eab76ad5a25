"""Writing exactly what was planned (issue 81, items 2-4): an item's planned rows, each
file's few header bytes changed in place, journalled first, read again after.

Per item, held by its lease (lease.py): the *arr is asked first whether it is importing
a download of the item (ArrClient.importing): then nothing is written, every row refused
"importing" and planned again by the next run. Per file, within the hold limit:

1. the file must still be the one planned (size, mtime, inode; write_patch checks the
   header's bytes too): else refused "changed", planned again next run;
2. MediaInfo reads it (verify.read_again), the row is saved "writing" with the patch:
   the journal, BEFORE any byte changes (a crash leaves a row undo can act on);
3. header_edit.write_patch: the bytes written, fsync'd, read back;
4. MediaInfo reads it again: anything but the flags different (verify.same_but_flags)
   undoes the patch at once, the row "failed", an ERROR in the log and an event;
   when that undo is refused (the file changed again), the row is "not-undone" (the
   check failed, the new bytes may be there: undo acts on it), never "written";
5. in one transaction: the row "written" with the file's identity after the write, the
   MediaFile's stored size and time and its audio tracks' default flags as they are
   now, and the item's plan key with them (so the next scan finds the file unchanged:
   no new read of it nor of its header, no arrival or loss, no second write), the event.

Then the item is refreshed once on the *arr and the media servers (refresh.py).
"""

from __future__ import annotations

import copy
import errno
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner.changes.act import Outcomes
from scanner.changes.checks import Check, Refusal, first_refusal
from scanner.connect.arr import arr_client
from scanner.default_tracks import events, files, refusals
from scanner.default_tracks import lease as item_lease
from scanner.default_tracks.header_edit import Changed, Patch, WriteFailed, undo_patch, write_patch
from scanner.default_tracks.matroska import HeaderError
from scanner.default_tracks.plan import plan_key
from scanner.default_tracks.refresh import refresh_items
from scanner.default_tracks.verify import Reading, read_again, same_but_flags
from scanner.engine.library import files_digest
from scanner.errors import ArrError, ConfigError, ProbeError, ShareUnanswered
from scanner.models import DefaultTrackChange, DefaultTrackLease, Media, MediaFile
from scanner.models import event_data as codes
from scanner.runtime.hold import holding
from scanner.runtime.journal_work import selected, send_by_item

logger = logging.getLogger(__name__)

State = DefaultTrackChange.State
WRITTEN, REFUSED, FAILED, INTERRUPTED = "written", "refused", "failed", "interrupted"


@dataclass
class ItemApply(Outcomes):
    """What writing one item's planned rows did (a line per file), and what the media
    servers were asked to read again."""

    refreshed: dict[str, int] = field(default_factory=dict)


def patch_of(change: DefaultTrackChange) -> Patch:
    if change.patch_offset is None or change.patch_old is None or change.patch_new is None:
        raise ValueError(f"change #{change.pk} has no patch")
    return Patch(change.patch_offset, bytes(change.patch_old), bytes(change.patch_new))


def importing(media: Media) -> bool:
    """Whether the *arr is importing (or about to import) a download of the item. An *arr
    that cannot be asked counts as importing: nothing is written that it may replace."""
    if not media.instance.is_arr or media.arr_id is None:
        return False
    return media.arr_id in arr_client(media.instance).importing([media.arr_id])


def apply_item(
    media_id: int,
    *,
    token: int,
    change_ids: Iterable[int] | None = None,
    by: str = "",
    via: str = "",
    refresh: bool = True,
) -> ItemApply:
    """Write the item's planned rows (or those of ``change_ids`` among them); the caller
    holds the item's lease with ``token``."""
    result = ItemApply(media_id)
    media = Media.objects.select_related("instance").get(pk=media_id)
    rows = DefaultTrackChange.objects.filter(media=media, state=State.PLANNED)
    if change_ids is not None:
        rows = rows.filter(pk__in=list(change_ids))
    changes = list(rows.select_related("media_file", "media__instance").order_by("path"))
    if not changes:
        return result
    try:
        busy = importing(media)
    except (ArrError, ConfigError) as exc:
        logger.warning("%s: the *arr could not say whether it imports: %s", media.title, exc)
        _refuse_all(changes, token, refusals.ARR_UNANSWERED, {"error": str(exc)[:300]})
        result.counts[REFUSED] = len(changes)
        result.lines += [f"{os.path.basename(c.path)}: refused, arr-unanswered" for c in changes]
        return result
    if busy:
        _refuse_all(changes, token, refusals.IMPORTING, {})
        result.counts[REFUSED] = len(changes)
        result.lines += [f"{os.path.basename(c.path)}: refused, importing" for c in changes]
        return result
    with holding():
        for change in changes:
            outcome = write_one(change, token=token, by=by, via=via)
            result.count(outcome)
            result.lines.append(f"{os.path.basename(change.path)}: {outcome}" + _why(change))
            if outcome == INTERRUPTED:
                break  # the share stopped answering: every other file is on it
    if refresh and result.counts.get(WRITTEN):
        result.refreshed = refresh_items(media.instance, [media.pk])
    return result


def _why(change: DefaultTrackChange) -> str:
    return f", {change.refusal}" if change.refusal else ""


def _refuse_all(
    changes: list[DefaultTrackChange], token: int, code: str, detail: dict[str, Any]
) -> None:
    with transaction.atomic():
        item_lease.hold(changes[0].media_id or 0, token)
        DefaultTrackChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            state=State.REFUSED, refusal=code, detail=detail, updated_at=timezone.now()
        )


@dataclass
class Target:
    """A planned row's file as the checks before its write read it: its identity taken
    once, when first asked (once the file is found the library's own), written against."""

    change: DefaultTrackChange

    @cached_property
    def now(self) -> files.Identity:
        return files.identity(self.change.path)


def _in_library(target: Target) -> Refusal | None:
    """A link, or outside the library: never written through."""
    media = target.change.media
    where = files.misplaced(media, target.change.path) if media is not None else None
    return None if where is None else Refusal(where)


def _unchanged(target: Target) -> Refusal | None:
    now, change = target.now, target.change
    planned = (change.size, change.mtime_ns, change.inode)
    if (now.size, now.mtime_ns, files.stored_inode(now.ino)) == planned:
        return None
    return Refusal(refusals.CHANGED, {"what": "identity"})


# Refused before a write (the file gone, unreadable, its share unanswered: by their errors).
WRITE_CHECKS = (
    Check("in the library", _in_library, refusals.MISPLACED),
    Check("unchanged since planned", _unchanged, frozenset({refusals.CHANGED})),
)


def write_one(
    change: DefaultTrackChange,
    *,
    token: int,
    by: str = "",
    via: str = "",
    read: Callable[[str], Reading] = read_again,
) -> str:
    """Write one planned row's patch; what became of it (WRITTEN, REFUSED, FAILED, or
    INTERRUPTED: the share stopped answering mid-way, the row left as it was)."""
    path = change.path
    patch = patch_of(change)
    media_id = change.media_id or 0
    target = Target(change)
    try:
        if (refused := first_refusal(WRITE_CHECKS, target)) is not None:
            return _refuse(change, token, refused.code, refused.detail)
        now = target.now
        before = files.held(lambda: read(path), path)
    except ShareUnanswered:
        return _refuse(change, token, refusals.SHARE_UNANSWERED, {}, INTERRUPTED)
    except FileNotFoundError:
        return _refuse(change, token, refusals.GONE, {})
    except (OSError, ProbeError, HeaderError) as exc:
        return _refuse(change, token, refusals.UNREADABLE, {"error": str(exc)[:300]})
    with transaction.atomic():  # the journal: saved before any byte changes
        item_lease.hold(media_id, token)
        change.state = State.WRITING
        change.applied_by = by
        change.save(update_fields=["state", "applied_by", "updated_at"])
    checked: list[Patch] = []
    try:
        result = files.held(
            lambda: write_patch(
                path,
                patch,
                size=now.size,
                mtime_ns=now.mtime_ns,
                ino=now.ino,
                journal=checked.append,
            ),
            path,
        )
    except ShareUnanswered:
        # The write may or may not have happened: the row stays "writing" (undo acts on it).
        logger.error("%s: the share stopped answering during the write: undo it", path)
        change.detail = {**change.detail, "interrupted": refusals.SHARE_UNANSWERED}
        change.save(update_fields=["detail", "updated_at"])
        return INTERRUPTED
    except Changed as exc:
        return _refuse(change, token, refusals.CHANGED, {"what": exc.code})
    except WriteFailed as exc:
        logger.error("%s: default flags not written: %s", path, exc)
        _fail(change, token, refusals.WRITE_FAILED, {}, by=by, via=via)
        return FAILED
    except OSError as exc:
        if not checked:  # nothing was written: the file could not be opened
            return _refuse(change, token, refusals.UNREADABLE, {"error": str(exc)[:300]})
        logger.error("%s: the write stopped (%s): the row stays writing, undo it", path, exc)
        return INTERRUPTED
    try:
        after = files.held(lambda: read(path), path)
        different = same_but_flags(before, after)
    except ShareUnanswered:
        logger.error("%s: written, not read again (the share stopped answering)", path)
        return INTERRUPTED
    except (OSError, ProbeError, HeaderError) as exc:
        different = f"unreadable: {exc}"[:100]
    if different is not None:
        return _undo_failed(change, patch, result, token, different, by=by, via=via)
    _written(change, now, result, token, by=by, via=via)
    return WRITTEN


def _refuse(
    change: DefaultTrackChange,
    token: int,
    code: str,
    detail: Mapping[str, Any],
    outcome: str = REFUSED,
) -> str:
    with transaction.atomic():
        item_lease.hold(change.media_id or 0, token)
        change.state = State.REFUSED
        change.refusal = code
        change.detail = {**change.detail, **detail}
        change.save(update_fields=["state", "refusal", "detail", "updated_at"])
    return outcome


def _undo_failed(
    change: DefaultTrackChange,
    patch: Patch,
    result: Any,
    token: int,
    different: str,
    *,
    by: str,
    via: str,
) -> str:
    """MediaInfo read the file otherwise: the patch undone at once, the row failed."""
    logger.error(
        "%s: after the default flags were set MediaInfo read more than the flags changed "
        "(%s): undoing it",
        change.path,
        different,
    )
    try:
        files.held(
            lambda: undo_patch(change.path, patch, size=result.size, mtime_ns=result.mtime_ns),
            change.path,
        )
    except (Changed, WriteFailed, OSError, ShareUnanswered) as exc:
        # Never "written": the row says the check failed and the file may hold the new
        # bytes (undo acts on it as on a written row, once the file is as the write left it).
        logger.error(
            "%s: the failed change could not be undone (%s): the file may hold the new "
            "flags, undo it",
            change.path,
            exc,
        )
        with transaction.atomic():
            item_lease.hold(change.media_id or 0, token)
            change.state = State.NOT_UNDONE
            change.refusal = refusals.VERIFY_NOT_UNDONE
            change.detail = {**change.detail, "verify": different, "not_undone": _why_not(exc)}
            change.error = str(exc)[:300]
            change.written_size, change.written_mtime_ns = result.size, result.mtime_ns
            change.written_inode = change.inode
            change.applied_at = timezone.now()
            change.applied_by = by
            change.save()
            events.record(change, codes.DEFAULT_TRACK_FAILED, by=by, via=via)
        return FAILED
    _fail(change, token, refusals.VERIFY, {"verify": different}, by=by, via=via)
    return FAILED


def _why_not(exc: Exception) -> str:
    """An undo's exception as its refusal's code (refusals.UNDO_WHY)."""
    if isinstance(exc, ShareUnanswered):
        return refusals.SHARE_UNANSWERED
    if isinstance(exc, WriteFailed):
        return refusals.WRITE_FAILED
    if isinstance(exc, FileNotFoundError):
        return refusals.GONE
    if isinstance(exc, Changed) or (isinstance(exc, OSError) and exc.errno == errno.ELOOP):
        return refusals.CHANGED  # another file, or a link, is there now
    return refusals.UNREADABLE


def _fail(
    change: DefaultTrackChange,
    token: int,
    code: str,
    detail: dict[str, Any],
    *,
    by: str,
    via: str,
) -> None:
    with transaction.atomic():
        item_lease.hold(change.media_id or 0, token)
        change.state = State.FAILED
        change.refusal = code
        change.detail = {**change.detail, **detail}
        change.save(update_fields=["state", "refusal", "detail", "updated_at"])
        events.record(change, codes.DEFAULT_TRACK_FAILED, by=by, via=via)


def _written(
    change: DefaultTrackChange,
    planned: files.Identity,
    result: Any,
    token: int,
    *,
    by: str,
    via: str,
) -> None:
    with transaction.atomic():
        item_lease.hold(change.media_id or 0, token)
        change.state = State.WRITTEN
        change.written_size = result.size
        change.written_mtime_ns = result.mtime_ns
        change.written_inode = files.stored_inode(planned.ino)
        change.applied_at = timezone.now()
        change.applied_by = by
        change.save()
        if change.media_file_id is not None:
            follow_file(change.media_file_id, planned, result, change.flags, undo=False)
        events.record(change, codes.DEFAULT_TRACK_WRITTEN, by=by, via=via)


def follow_file(
    media_file_id: int, before: Any, after: Any, flags: list[list[Any]], *, undo: bool
) -> None:
    """The stored file as the change left it: its size and time where they were the
    file's own (a file listed from the *arr's media info keeps the *arr's import time),
    its audio tracks' default flags (MediaInfo reads no subtitle's). ``before``/``after``:
    the file's size and mtime_ns before and after the change."""
    row = MediaFile.objects.select_for_update().filter(pk=media_file_id).first()
    if row is None:
        return
    changed: list[str] = []
    if (row.size, row.mtime_ns) == (before.size, before.mtime_ns):
        row.size, row.mtime_ns = after.size, after.mtime_ns
        changed += ["size", "mtime_ns"]
    audio_flags = {
        int(position): bool(old if undo else new)
        for kind, position, old, new in flags
        if kind == "audio"
    }
    tracks = row.audio_tracks if isinstance(row.audio_tracks, list) else []
    updated = []
    for track in tracks:
        if isinstance(track, dict) and track.get("position") in audio_flags:
            track = {**track, "default": audio_flags[track["position"]]}
        updated.append(track)
    if updated != tracks:
        row.audio_tracks = updated
        changed.append("audio_tracks")
    if changed:
        row.save(update_fields=changed)
    if "size" in changed:
        # The item's files digest follows its stored files (decide._set_verdict), so
        # that the next scan takes the file as written for unchanged, as before.
        stored = MediaFile.objects.filter(media_id=row.media_id)
        fingerprints = stored.values_list("path", "size", "mtime_ns", "sidecars_key")
        Media.objects.filter(pk=row.media_id).exclude(files_digest="").update(
            files_digest=files_digest(fingerprints)
        )
        follow_plan(row, before)


def follow_plan(row: MediaFile, before: Any) -> None:
    """The item's last plan (its key, plan.plan_key) follows the file ``row`` now stored,
    where it was made from the file as it was ``before`` the change: the change is the
    plan's own (or its undo, which no plan asks for again by itself), so a plan now would
    read the file's header for nothing. Otherwise (another file or a setting changed
    since) the key stays, and the next run plans the item."""
    media = Media.objects.select_related("instance").filter(pk=row.media_id).first()
    if media is None:
        return
    now = list(MediaFile.objects.filter(media_id=row.media_id))
    then = [copy.copy(stored) for stored in now]
    for stored in then:
        if stored.pk == row.pk:
            stored.size, stored.mtime_ns = before.size, before.mtime_ns
    DefaultTrackLease.objects.filter(
        media_id=media.pk, planned_key=plan_key(media, media.instance, then)
    ).update(planned_key=plan_key(media, media.instance, now))


def queue(
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
) -> int:
    """Write planned rows on a worker (the admin's and the API's apply): the rows of
    ``change_ids``, or the planned rows of ``media_ids``' items, or of run ``run_id``.
    A task per item (sent by its name: the tasks sit on top of this module); how many
    rows it will try."""
    rows = selected(
        DefaultTrackChange,
        (State.PLANNED,),
        change_ids=change_ids,
        media_ids=media_ids,
        run_id=run_id,
    )
    items = send_by_item(APPLY_TASK, rows, by, via)
    return sum(len(ids) for ids in items.values())


APPLY_TASK = "scanner.tasks.apply_default_tracks"  # scanner.default_tracks.tasks
UNDO_TASK = "scanner.tasks.undo_default_tracks"
