"""An act's planned rows written, or its written rows undone, on the workers: what an
act's Apply and Undo on its page, the API and the guided setup send (a task per item for
a write, one for an undo, by the act's task names: scanner.changes.tasks), once the
caller's transaction commits. Only ids travel: the workers may be on other machines."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.changes.act import Act
from scanner.changes.lines import PLANNED
from scanner.runtime.journal_work import selected, send_by_item, send_on_commit

__all__ = ["queue_apply", "queue_undo", "task_name"]


def task_name(act: Act, which: str) -> str:
    """The registered name of the act's ``apply`` or ``undo`` task."""
    return f"scanner.tasks.{getattr(act.tasks, which)}"


def _journal(act: Act) -> type:
    if act.journal is None:
        raise ValueError(f"{act.name} keeps no journal: nothing to apply or undo")
    return act.journal


def queue_apply(
    act: Act,
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
) -> int:
    """The act's planned rows (of ``change_ids``, of ``media_ids``' items, or of run
    ``run_id``) written by the workers, a task per item; how many items."""
    rows = selected(
        _journal(act), (PLANNED,), change_ids=change_ids, media_ids=media_ids, run_id=run_id
    )
    return len(send_by_item(task_name(act, "apply"), rows, by, via))


def queue_undo(
    act: Act, change_ids: Iterable[int], *, states: Iterable[str], by: str = "", via: str = ""
) -> int:
    """The act's rows of ``change_ids`` in ``states`` (its undoable ones) undone by a
    worker; how many rows it will try."""
    rows = selected(_journal(act), tuple(states), change_ids=change_ids)
    ids = list(rows.values_list("pk", flat=True))
    if ids:
        send_on_commit(task_name(act, "undo"), ids, by, via)
    return len(ids)
