"""The default tracks' tasks, declared by the change flow (scanner.changes.tasks): after a
run, a task per item that plans its files' default flags and, on "set", writes them (held
per item: scanner.leases.DEFAULT_TRACKS); the writes and undos a person asks for on the
page, the API or the command line's queue; and the files a person asked to plan again
(plan_again.py: plan only, nothing written). Ids only: workers may be on other machines,
where the files are."""

from __future__ import annotations

from scanner.changes.tasks import declare
from scanner.default_tracks import plan_again
from scanner.default_tracks.act import ACT
from scanner.tasking import kinds
from scanner.tasking.base import SideTask, bound_task

TASKS = declare(ACT, run_kind=kinds.RUN_DEFAULT_TRACKS, item_kind=kinds.DEFAULT_TRACKS)
plan_run_default_tracks, plan_default_tracks = TASKS.run, TASKS.item
apply_default_tracks, undo_default_tracks = TASKS.apply, TASKS.undo
after_run = TASKS.after_run


@bound_task(kinds.DEFAULT_TRACKS)
def plan_default_tracks_again(self: SideTask, media_id: int, file_ids: list[int]) -> int:
    """The item's files planned again, held with the task's own token; the rows planned
    (0 when another task held the item)."""
    done = plan_again.plan_again(media_id, file_ids, token=self.own_token())
    return len(done.planned) if done is not None else 0
