"""Plan again (issue 93): a file whose change was undone or refused planned once more, as
a person asks on the default tracks' page or in the API.

The file's header is read again and its flags planned (plan.plan_item for these files
only, which plans a file again even where the same change was written and undone
before), the item held by its lease throughout; one another task holds is left as it is
(its rows stay as they were: ask again in a moment). Nothing is written to a file: the
person applies what was planned. The files are where the workers are: a task per item
(tasks.plan_default_tracks_again, sent by its name once the caller's transaction
commits)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from scanner.default_tracks import lease as item_lease
from scanner.default_tracks import plan
from scanner.models import DefaultTrackChange
from scanner.runtime.held_turns import held_once
from scanner.runtime.journal_work import selected, send_on_commit

__all__ = ["AGAIN", "PLAN_AGAIN_TASK", "plan_again", "queue"]

State = DefaultTrackChange.State
AGAIN = (State.UNDONE, State.REFUSED)  # the rows a person may have planned again
PLAN_AGAIN_TASK = "scanner.tasks.plan_default_tracks_again"  # tasks.py


def files_of(change_ids: Iterable[int]) -> dict[int, list[int]]:
    """The files (MediaFile ids) of the undone or refused rows among ``change_ids``, by
    their item; rows whose item or file is gone are left out."""
    rows = selected(DefaultTrackChange, AGAIN, change_ids=change_ids)
    items: dict[int, set[int]] = {}
    for media_id, file_id in rows.values_list("media_id", "media_file_id"):
        if media_id is not None and file_id is not None:
            items.setdefault(media_id, set()).add(file_id)
    return {media_id: sorted(files) for media_id, files in items.items()}


def queue(change_ids: Iterable[int]) -> int:
    """A task per item that plans these rows' files again, once the caller's transaction
    commits; how many files."""
    items = files_of(change_ids)
    for media_id, file_ids in items.items():
        send_on_commit(PLAN_AGAIN_TASK, media_id, file_ids)
    return sum(len(file_ids) for file_ids in items.values())


def plan_again(media_id: int, file_ids: Iterable[int], *, token: int) -> plan.ItemPlan | None:
    """The item's files ``file_ids`` planned again while ``token`` holds the item; None
    when another task holds it (nothing planned)."""
    planning = functools.partial(
        plan.plan_item, media_id, run_id=None, token=token, only_files=set(file_ids)
    )
    return held_once(item_lease.ITEM, media_id, token, planning)
