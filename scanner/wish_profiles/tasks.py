"""The quality profiles' tasks, declared by the change flow (scanner.changes.tasks): after
a run, a task per item that plans its profile and, on "set", writes it (held per item:
scanner.leases.WISH_PROFILES); one item followed at once (a Seerr request:
requests.follow, the item's task); the writes and undos a person asks for on the page,
the API or the command line's queue. Ids only (and who asked, for the history)."""

from __future__ import annotations

from scanner.changes.tasks import declare
from scanner.tasking import kinds
from scanner.wish_profiles.act import ACT

TASKS = declare(ACT, run_kind=kinds.RUN_WISH_PROFILES, item_kind=kinds.WISH_PROFILES)
plan_run_wish_profiles, follow_wish_profile = TASKS.run, TASKS.item
apply_wish_profiles, undo_wish_profiles = TASKS.apply, TASKS.undo
after_run = TASKS.after_run
