"""What a run planned, act by act, and every act's planned rows of that run applied at
once (the guided setup's last step, issue 94: from the first dry run to every act
applied in a few clicks). Each act's journal row keeps its run, so a run's plans are its
rows still planned; applying them is what each act's Apply does (one task per item, by
the act's task name, once the caller's transaction commits), so every check an act
declares still runs on the worker before anything is written."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from scanner.changes import registry
from scanner.changes.act import Act
from scanner.changes.lines import PLANNED
from scanner.changes.queue import queue_apply

__all__ = ["REFUSED", "ActPlan", "apply_run", "plans_of_run"]

REFUSED = "refused"  # every act's refused state


@dataclass(frozen=True, slots=True)
class ActPlan:
    """What ``act`` planned in a run: its rows still planned, their items, and its rows
    refused (what a person reads before applying)."""

    act: Act
    planned: int
    items: int
    refused: int

    @property
    def sentence(self) -> str:
        """The planned rows in the act's own words ("" when it planned none)."""
        said = self.act.review.planned if self.act.review is not None else None
        return said(self.planned) if said is not None and self.planned else ""


def plans_of_run(run_id: int) -> list[ActPlan]:
    """Each act with a journal, in the wiring's order, and what it planned in the run
    (an act that planned and refused nothing is left out)."""
    plans = []
    for act in registry.acts():
        if act.journal is None:
            continue
        counted = act.journal._default_manager.filter(run_id=run_id).aggregate(
            planned=Count("pk", filter=Q(state=PLANNED, media__isnull=False)),
            items=Count("media", filter=Q(state=PLANNED), distinct=True),
            refused=Count("pk", filter=Q(state=REFUSED)),
        )
        if counted["planned"] or counted["refused"]:
            plans.append(ActPlan(act, counted["planned"], counted["items"], counted["refused"]))
    return plans


def apply_run(run_id: int, *, by: str, via: str) -> dict[str, int]:
    """Every act's rows the run planned, handed to the workers (one apply task per item,
    as the act's own Apply sends it); the items sent, per act's name."""
    sent: dict[str, int] = {}
    for act in registry.acts():
        if act.journal is None:
            continue
        items = queue_apply(act, run_id=run_id, by=by, via=via)
        if items:
            sent[act.name] = items
    return sent
