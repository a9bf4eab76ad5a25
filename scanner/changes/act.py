"""An act on the change flow, declared once (``Act``), and the one runner every act runs
on: after a scan, per item, wherever it runs (a worker's task, ``scan --inline``, the
command line, at once for a Seerr request).

After a run of an instance whose option is "plan" or "set" (a dry-run scan only plans),
each item of its scope the act finds due (``items_of_run``) is planned; on "set" what was
planned is written right after, by the same holder. The item is held by the act's lease
(``held_by``) from its plan to its last write: a second task for it marks it asked again
and ends, and the holder plans it once more (scanner.runtime.held_turns.take_turns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Model

from scanner.changes.checks import Check
from scanner.changes.lines import Review
from scanner.leases import new_token
from scanner.models import Instance, ScanRun
from scanner.runtime.held_turns import HeldBy, held_once, take_turns

__all__ = ["WRITTEN", "Act", "ItemRun", "Outcomes", "Planned", "TaskNames", "followed_run"]

SET = "set"  # every act's option: off, plan, or set (plan and write)
WRITTEN = "written"  # the outcome of a row written, in every act's tally
ENDED = (ScanRun.Status.SUCCEEDED, ScanRun.Status.PARTIAL)
NOT_AFTER = (ScanRun.Mode.REMOVE,)  # a run that takes Taggarr's tags away plans nothing


def followed_run(run_id: int) -> ScanRun | None:
    """The run, with its instance, when its end is followed by the acts: it ended well
    and did not take Taggarr's tags away; else None."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.status not in ENDED or run.mode in NOT_AFTER:
        return None
    return run


@dataclass
class Outcomes:
    """What an apply or an undo did: a count per outcome (``written``, ``refused``,
    ``undone``...) and a line per row, English (the command line's)."""

    media_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


class Planned(Protocol):
    """What an act's plan of one item returns: at least the rows it planned."""

    @property
    def planned(self) -> list[int]: ...


class ApplyItem(Protocol):
    def __call__(
        self,
        media_id: int,
        *,
        token: int,
        change_ids: Iterable[int] | None = None,
        by: str = "",
        via: str = "",
    ) -> Outcomes: ...


class UndoRows(Protocol):
    def __call__(
        self, *, change_ids: Iterable[int] | None = None, by: str = "", via: str = ""
    ) -> Outcomes: ...


@dataclass(frozen=True, slots=True)
class TaskNames:
    """The act's four tasks, by the names beat, the routes and the messages in flight
    know (``scanner.tasks.<name>``): after a run, one item, an apply, an undo."""

    run: str
    item: str
    apply: str
    undo: str


@dataclass
class ItemRun:
    """What one item's turn did (its plans, and on "set" its writes)."""

    media_id: int
    held: bool = True  # False: another task held the item (asked to plan it again)
    plans: list[Planned] = field(default_factory=list)
    applies: list[Outcomes] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(each.counts.get(WRITTEN, 0) for each in self.applies)


@dataclass(frozen=True)
class Act:
    """One per-item act: what it declares, and the runner every act shares.

    ``option``: the Instance field that says "off", "plan" or "set"; ``held_by``: the
    item's lease; ``items_of_run``: the items to plan after a run (none when the option is
    off or the run did not end well); ``plan_item``/``apply_item``/``undo``: the act's
    own; ``context``: what a run's items share, read once per inline run (passed to
    ``plan_item``); ``tasks``: its tasks' names (scanner.changes.tasks.declare);
    ``journal``: its change model, and ``review``: its rows said as every act's are
    (scanner.changes.review), for the one review of every act's changes; ``checks``: its
    refusals before a write, in order (scanner.changes.checks)."""

    name: str
    option: str
    held_by: HeldBy
    items_of_run: Callable[[int], list[int]]
    plan_item: Callable[..., Planned]  # (media_id, *, run_id, token, **context)
    apply_item: ApplyItem
    undo: UndoRows
    tasks: TaskNames
    context: Callable[[], Mapping[str, Any]] | None = None
    journal: type[Model] | None = None
    review: Review | None = None
    checks: Sequence[Check[Any]] = ()

    def writes_after(self, run_id: int | None, instance: Instance) -> bool:
        """Whether planned rows are written right after their plan: "set", and not after
        a dry run."""
        if getattr(instance, self.option) != SET:
            return False
        if run_id is None:
            return True
        return not ScanRun.objects.filter(pk=run_id, dry_run=True).exists()

    def run_item(
        self,
        media_id: int,
        *,
        run_id: int | None = None,
        token: int | None = None,
        progressed: Callable[[], None] | None = None,
        **context: Any,
    ) -> ItemRun:
        """Plan the item (and on "set" write what was planned), held by ``token`` (a new
        one when None)."""
        held_as = new_token() if token is None else token
        result = ItemRun(media_id)

        def turn() -> bool:
            instance = Instance.objects.filter(media__pk=media_id).first()
            if instance is None:  # the item was removed meanwhile
                return False
            planned = self.plan_item(media_id, run_id=run_id, token=held_as, **context)
            result.plans.append(planned)
            if progressed is not None:
                progressed()
            if planned.planned and self.writes_after(run_id, instance):
                result.applies.append(
                    self.apply_item(media_id, token=held_as, change_ids=planned.planned)
                )
            return True

        result.held = take_turns(self.held_by, media_id, held_as, turn)
        return result

    def run_inline(self, run_id: int) -> list[ItemRun]:
        """``scan --inline``: the run's items planned (and on "set" written) here, one
        after another (there may be no worker at all)."""
        items = self.items_of_run(run_id)
        shared = self.context() if items and self.context is not None else {}
        return [self.run_item(media_id, run_id=run_id, **shared) for media_id in items]

    def apply_held(
        self, media_id: int, change_ids: list[int] | None, *, token: int, by: str, via: str
    ) -> Outcomes | None:
        """Write the item's planned rows (``change_ids`` among them) under its lease; None
        when another task holds the item (the rows stay planned: asked again later)."""
        return held_once(
            self.held_by,
            media_id,
            token,
            lambda: self.apply_item(media_id, token=token, change_ids=change_ids, by=by, via=via),
        )
