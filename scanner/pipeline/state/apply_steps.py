"""The apply step's progress in the database: which of its steps runs (the *arr's tags,
the NFO files, the media servers), m of n done, and when the step and the apply step
began, so that the run's page shows counts, a rate over the step's own work and a time
left (scanner.reports.apply_steps) instead of 100 % and a rate that falls.

The apply step runs once per run (the barrier's compare-and-set) and is held by one
task at a time (apply_lease): only its holder writes these values, and each write is
also a heartbeat."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from scanner.models import ScanRun
from scanner.pipeline.state.apply_lease import ApplyHold
from scanner.runtime import running

ARR = "arr"
NFO = "nfo"
SERVERS = "servers"
STEPS = (ARR, NFO, SERVERS)


def _held(held: ApplyHold) -> QuerySet[ScanRun]:
    return ScanRun.objects.filter(
        pk=held.run_id, status=ScanRun.Status.APPLYING, apply_token=held.token
    )


def begin_step(
    held: ApplyHold, step: str, total: int, *, done: int = 0, since: str | None = None
) -> str:
    """``step`` runs now, ``done`` of ``total``; its rate counted from ``since`` (an
    earlier ``begin_step``'s answer: a step taken up again after another, as the apply
    step's chunks do) or from now. When it began (ISO), for taking it up again."""
    now = timezone.now()
    began_step = since or now.isoformat()
    applying = _held(held)
    current = applying.values_list("apply_progress", flat=True).first()
    if current is None:
        return began_step  # interrupted, cancelled or taken by another task meanwhile
    kept = current if isinstance(current, dict) else {}  # what the step keeps beside them
    began = kept.get("apply_at")
    progress = {**kept, "step": step, "done": done, "total": total, "step_at": began_step,
                "apply_at": began or now.isoformat()}  # fmt: skip
    applying.update(apply_progress=progress, heartbeat_at=now)
    return began_step


def step_done(held: ApplyHold, done: int) -> None:
    running.progressed()  # a chunk written: the step is not hung (its hold limit)
    now = timezone.now()
    applying = _held(held)
    current = applying.values_list("apply_progress", flat=True).first()
    if not isinstance(current, dict) or not current:
        return
    applying.update(apply_progress={**current, "done": done}, heartbeat_at=now)
