"""The quality profiles' tasks: after a run, a task per item that plans its profile and,
on "set", writes it (runner.run_item, held per item: scanner.leases.WISH_PROFILES); one
item followed at once (a Seerr request: requests.follow); the writes and undos a person
asks for on the page, the API or the command line's queue. Ids only (and who asked, for
the history)."""

from __future__ import annotations

from scanner.pipeline.running import progressed
from scanner.tasking import kinds
from scanner.tasking.base import SideTask, bound_task, task
from scanner.wish_profiles import runner
from scanner.wish_profiles import undo as undoing


def after_run(run_id: int) -> None:
    """A run ended: its items' quality profiles (most runs' instances have the option
    off: the task then ends at once)."""
    plan_run_wish_profiles.delay(run_id)


@task(kinds.RUN_WISH_PROFILES)
def plan_run_wish_profiles(run_id: int) -> int:
    """The run's items, one ``follow_wish_profile`` per item, which workers run side by
    side; the items sent."""
    items = runner.items_of_run(run_id)
    for media_id in items:
        follow_wish_profile.delay(media_id, run_id)
    return len(items)


@bound_task(kinds.WISH_PROFILES)
def follow_wish_profile(self: SideTask, media_id: int, run_id: int | None = None) -> int:
    """One item's quality profile planned (and written, on "set"); 1 when it was
    written. Held with the task's own token: a message delivered again takes back its
    item."""
    result = runner.run_item(media_id, run_id=run_id, token=self.own_token(), progressed=progressed)
    return result.written


@bound_task(kinds.WISH_PROFILES)
def apply_wish_profiles(
    self: SideTask, media_id: int, change_ids: list[int] | None, by: str = "", via: str = ""
) -> int:
    """An item's planned row written, as a person asked (apply.queue); 1 when written."""
    result = runner.apply_held(media_id, change_ids, token=self.own_token(), by=by, via=via)
    return result.counts.get("written", 0) if result is not None else 0


@bound_task(kinds.WISH_PROFILES)
def undo_wish_profiles(self: SideTask, change_ids: list[int], by: str = "", via: str = "") -> int:
    """The rows' earlier profiles given back, as a person asked (undo.queue); how many."""
    result = undoing.undo(change_ids=change_ids, by=by, via=via)
    return result.counts.get(undoing.UNDONE, 0)
