"""Every act's tasks, declared once (``declare``): after a run, a task that sends one task
per due item, which workers run side by side; the item's task, which plans it (and on
"set" writes it) held with the task's own token, so that a message delivered again takes
back its item; the writes and the undos a person asks for on a page, the API or the
command line's queue. Ids only (and who asked, for the history): workers may be on other
machines. Each keeps the name the act's tasks always had."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from celery import Task

from scanner.changes import planning
from scanner.changes.act import WRITTEN, Act
from scanner.models import ScanRun
from scanner.runtime.running import progressed
from scanner.tasking.base import SideTask, bound_task, task
from scanner.tasking.kinds import TaskKind

__all__ = ["ActTasks", "declare"]

UNDONE = "undone"  # every act's undo tally
OFF = "off"  # every act's option, off


@dataclass(frozen=True)
class ActTasks:
    """An act's four tasks; ``after_run`` sends the first for a run that ended."""

    run: Task[Any, int]
    item: Task[Any, int]
    apply: Task[Any, int]
    undo: Task[Any, int]

    act: str = ""
    option: str = ""  # the Instance field that says "off", "plan" or "set"

    def after_run(self, run_id: int) -> None:
        """A run ended: its items planned by a task, its planning recorded as on its way;
        nothing for a run whose instance has the act off (most runs, and every scheduled
        rescan of such an instance: no row, no task)."""
        if not followed(run_id, self.option):
            return
        planning.sent(run_id, self.act)
        self.run.delay(run_id)


def followed(run_id: int, option: str) -> bool:
    """Whether the act of ``option`` follows run ``run_id``: its instance has it on."""
    runs = ScanRun.objects.filter(pk=run_id)
    if option:
        runs = runs.exclude(**{f"instance__{option}": OFF})
    return runs.exists()


def declare(act: Act, *, run_kind: TaskKind, item_kind: TaskKind) -> ActTasks:
    """``act``'s tasks, registered under ``act.tasks``' names."""
    names = act.tasks

    @bound_task(item_kind, name=names.item)
    def item(self: SideTask, media_id: int, run_id: int | None = None) -> int:
        """One item planned (and written, on "set"); the rows written."""
        done = act.run_item(media_id, run_id=run_id, token=self.own_token(), progressed=progressed)
        planning.ticked(run_id, act.name)
        return done.written

    @task(run_kind, name=names.run)
    def run(run_id: int) -> int:
        """The run's items due, one item task each; how many were sent."""
        items = act.items_of_run(run_id)
        planning.counted(run_id, act.name, len(items))
        for media_id in items:
            item.delay(media_id, run_id)
        return len(items)

    @bound_task(item_kind, name=names.apply)
    def apply(
        self: SideTask, media_id: int, change_ids: list[int] | None, by: str = "", via: str = ""
    ) -> int:
        """An item's planned rows written, as a person asked; how many."""
        done = act.apply_held(media_id, change_ids, token=self.own_token(), by=by, via=via)
        return done.counts.get(WRITTEN, 0) if done is not None else 0

    @bound_task(item_kind, name=names.undo)
    def undo(self: SideTask, change_ids: list[int], by: str = "", via: str = "") -> int:
        """The rows' earlier state given back, as a person asked; how many."""
        return act.undo(change_ids=change_ids, by=by, via=via).counts.get(UNDONE, 0)

    return ActTasks(run=run, item=item, apply=apply, undo=undo, act=act.name, option=act.option)
