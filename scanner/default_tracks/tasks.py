"""The default tracks' tasks: after a run, a task per item that plans its files' default
flags and, on "set", writes them (runner.run_item, held per item: scanner.leases
.DEFAULT_TRACKS); the writes and undos a person asks for on the page, the API or the
command line's queue. Ids only: workers may be on other machines, where the files are."""

from __future__ import annotations

import logging

from scanner.default_tracks import runner
from scanner.default_tracks import undo as undoing
from scanner.pipeline.running import progressed
from scanner.tasking import kinds
from scanner.tasking.base import SideTask, bound_task, task

logger = logging.getLogger(__name__)


def after_run(run_id: int) -> None:
    """A run ended: its items' default tracks (most runs' instances have the option off:
    the task then ends at once)."""
    plan_run_default_tracks.delay(run_id)


@task(kinds.RUN_DEFAULT_TRACKS)
def plan_run_default_tracks(run_id: int) -> int:
    """The run's items whose default tracks may have changed, one ``plan_default_tracks``
    per item, which workers run side by side; the items sent."""
    items = runner.items_of_run(run_id)
    for media_id in items:
        plan_default_tracks.delay(media_id, run_id)
    return len(items)


@bound_task(kinds.DEFAULT_TRACKS)
def plan_default_tracks(self: SideTask, media_id: int, run_id: int | None = None) -> int:
    """One item's files planned (and written, on "set"); the files written. Held with the
    task's own token: a message delivered again takes back its item."""
    result = runner.run_item(media_id, run_id=run_id, token=self.own_token(), progressed=progressed)
    return result.written


@bound_task(kinds.DEFAULT_TRACKS)
def apply_default_tracks(
    self: SideTask, media_id: int, change_ids: list[int] | None, by: str = "", via: str = ""
) -> int:
    """An item's planned rows written, as a person asked (apply.queue); the files written."""
    result = runner.apply_held(media_id, change_ids, token=self.own_token(), by=by, via=via)
    return result.counts.get("written", 0) if result is not None else 0


@bound_task(kinds.DEFAULT_TRACKS)
def undo_default_tracks(self: SideTask, change_ids: list[int], by: str = "", via: str = "") -> int:
    """The rows' old bytes put back, as a person asked (undo.queue); the files undone."""
    result = undoing.undo(change_ids=change_ids, by=by, via=via)
    return result.counts.get(undoing.UNDONE, 0)
