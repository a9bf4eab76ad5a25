"""The badges' tasks, declared by the change flow (scanner.changes.tasks): after a run, a
task per item that plans its poster's badges and, on "set", draws them (held per item:
scanner.leases.BADGES); the writes and undos a person asks for. Ids only: workers may be
on other machines, where the posters are."""

from __future__ import annotations

from scanner.badges.act import ACT
from scanner.changes.tasks import declare
from scanner.tasking import kinds

TASKS = declare(ACT, run_kind=kinds.RUN_BADGES, item_kind=kinds.BADGES)
plan_run_badges, plan_badges = TASKS.run, TASKS.item
apply_badges, undo_badges = TASKS.apply, TASKS.undo
after_run = TASKS.after_run
