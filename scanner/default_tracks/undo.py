"""Undo: the old bytes put back, for one file, one item or a whole run (issue 81, item 2).

A row "written" is undone when the file still holds what the write left (its size and
mtime, and the new bytes at the offset: header_edit.undo_patch); a file changed since
is refused ("changed") and left as it is. A row "writing" is a write that never
finished (a crash, a share that stopped answering): the file holds the old bytes (the
write never happened: nothing to do) or the new ones (written, not yet checked: put
back, whatever its time, the size unchanged); anything else is refused. Each undone
row is an event; the stored file follows (apply.follow_file), and each item is
refreshed once on the *arr and the media servers. Each item is held by its lease while
its files are undone (lease.py): one another task plans or writes is left alone, "busy",
each of its rows noted with when that lease runs out (the page says when to try again);
a lease whose holder provably died is taken over (lease.py). A row "not-undone" (read
otherwise after its write, and that write's own undo refused) is undone as a written one.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from scanner.changes.act import Outcomes
from scanner.default_tracks import events, files, refusals
from scanner.default_tracks import lease as item_lease
from scanner.default_tracks.apply import UNDO_TASK, follow_file, patch_of
from scanner.default_tracks.header_edit import Changed, Patch, WriteFailed, undo_patch
from scanner.default_tracks.refresh import refresh_items
from scanner.errors import ShareUnanswered
from scanner.leases import new_token
from scanner.models import DefaultTrackChange, Instance
from scanner.models import event_data as codes
from scanner.runtime.hold import holding
from scanner.runtime.journal_work import selected, send_on_commit

logger = logging.getLogger(__name__)

State = DefaultTrackChange.State
UNDOABLE = (State.WRITTEN, State.WRITING, State.NOT_UNDONE)
UNDONE, REFUSED, NOTHING = "undone", "refused", "nothing"


UndoResult = Outcomes  # a line per file


def undo(
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
    refresh: bool = True,
) -> UndoResult:
    """Undo the rows named (by id, item or run) that may hold new bytes, here."""
    rows = selected(
        DefaultTrackChange, UNDOABLE, change_ids=change_ids, media_ids=media_ids, run_id=run_id
    )
    result = UndoResult()
    undone: dict[int, set[int]] = {}  # instance -> items
    by_item: dict[int | None, list[DefaultTrackChange]] = {}
    for change in rows.select_related("media__instance").order_by("path"):
        by_item.setdefault(change.media_id, []).append(change)
    with holding():
        for media_id, changes in by_item.items():
            token = new_token()
            if media_id is not None and not item_lease.take(media_id, token):
                # Another task plans or writes the item now: its files are not touched.
                _busy(changes, item_lease.held_until(media_id), result)
                continue
            try:
                stopped = _undo_item(changes, result, undone, by=by, via=via)
            finally:
                if media_id is not None:
                    item_lease.let_go(media_id, token)
            if stopped:
                break
    if refresh:
        for instance in Instance.objects.filter(pk__in=list(undone)):
            refresh_items(instance, undone[instance.pk])
    return result


def _busy(changes: list[DefaultTrackChange], until: datetime | None, result: UndoResult) -> None:
    """The item's rows refused "busy": each noted with when the holder's lease runs out
    (only where the row is as read: the holder's own writes are never overwritten)."""
    now = timezone.now()
    when = ""
    if until is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        when = f" until {timezone.localtime(until):%H:%M:%S} (in {minutes} min)"
    note = {"undo": refusals.BUSY, "undo_until": until.isoformat() if until else None}
    for change in changes:
        result.count(REFUSED)
        result.lines.append(f"{os.path.basename(change.path)}: refused, busy{when}")
        DefaultTrackChange.objects.filter(
            pk=change.pk, state=change.state, updated_at=change.updated_at
        ).update(detail={**change.detail, **note}, updated_at=now)


def _undo_item(
    changes: list[DefaultTrackChange],
    result: UndoResult,
    undone: dict[int, set[int]],
    *,
    by: str,
    via: str,
) -> bool:
    """One item's rows undone, held; True when the share stopped answering."""
    for change in changes:
        outcome, why = undo_one(change, by=by, via=via)
        result.count(outcome)
        name = os.path.basename(change.path)
        result.lines.append(f"{name}: {outcome}" + (f", {why}" if why else ""))
        if outcome == UNDONE and change.media_id is not None:
            undone.setdefault(change.instance_id, set()).add(change.media_id)
        if why == refusals.SHARE_UNANSWERED:
            return True
    return False


def undo_one(change: DefaultTrackChange, *, by: str = "", via: str = "") -> tuple[str, str]:
    """Put one row's old bytes back; (UNDONE | NOTHING | REFUSED, why)."""
    path = change.path
    patch = patch_of(change)
    try:
        where = files.misplaced(change.media, path) if change.media is not None else None
        if where is not None:  # a link put in its place: never written through
            _note(change, {"undo": where})
            return REFUSED, where
        now = files.identity(path)
        if change.state == State.WRITING:
            held = files.held(lambda: _bytes_at(path, patch), path)
            if held == patch.old and now.size == change.size:
                _mark_undone(change, now, now, by=by, via=via, event=False)
                return NOTHING, ""
            size, mtime_ns = change.size or now.size, now.mtime_ns
        else:
            size = change.written_size if change.written_size is not None else now.size
            mtime_ns = change.written_mtime_ns if change.written_mtime_ns is not None else -1
        if change.inode is not None and files.stored_inode(now.ino) != change.inode:
            raise Changed("identity")
        result = files.held(lambda: undo_patch(path, patch, size=size, mtime_ns=mtime_ns), path)
    except ShareUnanswered:
        return REFUSED, refusals.SHARE_UNANSWERED
    except FileNotFoundError:
        return REFUSED, refusals.GONE
    except Changed as exc:
        _note(change, {"undo": refusals.CHANGED, "undo_what": exc.code})
        return REFUSED, refusals.CHANGED
    except (WriteFailed, OSError) as exc:
        logger.error("%s: not undone: %s", path, exc)
        _note(change, {"undo": refusals.WRITE_FAILED})
        return REFUSED, refusals.WRITE_FAILED
    _mark_undone(change, now, result, by=by, via=via)
    return UNDONE, ""


def _bytes_at(path: str, patch: Patch) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(patch.offset)
        return handle.read(len(patch.old))


def _note(change: DefaultTrackChange, detail: dict[str, str]) -> None:
    change.detail = {**change.detail, **detail}
    change.save(update_fields=["detail", "updated_at"])


def _mark_undone(
    change: DefaultTrackChange,
    before: files.Identity,
    after: object,
    *,
    by: str,
    via: str,
    event: bool = True,
) -> None:
    with transaction.atomic():
        change.state = State.UNDONE
        change.undone_at = timezone.now()
        change.undone_by = by
        change.save()
        if change.media_file_id is not None:
            follow_file(change.media_file_id, before, after, change.flags, undo=True)
        if event:
            events.record(change, codes.DEFAULT_TRACK_UNDONE, by=by, via=via)


def queue(
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
) -> int:
    """Undo on a worker, where the files are (the admin's and the API's undo): one task
    for the rows named; how many rows it will try."""
    ids = list(
        selected(
            DefaultTrackChange, UNDOABLE, change_ids=change_ids, media_ids=media_ids, run_id=run_id
        ).values_list("pk", flat=True)
    )
    if ids:
        send_on_commit(UNDO_TASK, ids, by, via)
    return len(ids)
