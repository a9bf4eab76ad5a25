"""The apply step's progress in the database: which of its steps runs (the *arr's tags,
the NFO files, the media servers), m of n done, and when the step and the apply step
began, so that the run's page shows counts, a rate over the step's own work and a time
left (scanner.reports.apply_steps) instead of 100 % and a rate that falls.

The apply step runs once per run (the barrier's compare-and-set), so it is the only
writer of these values; each write is also a heartbeat."""

from __future__ import annotations

from django.utils import timezone

from scanner.models import ScanRun

ARR = "arr"
NFO = "nfo"
SERVERS = "servers"
STEPS = (ARR, NFO, SERVERS)


def begin_step(run_id: int, step: str, total: int) -> None:
    now = timezone.now()
    applying = ScanRun.objects.filter(pk=run_id, status=ScanRun.Status.APPLYING)
    current = applying.values_list("apply_progress", flat=True).first()
    if current is None:
        return  # interrupted or cancelled meanwhile
    began = current.get("apply_at") if isinstance(current, dict) else None
    progress = {"step": step, "done": 0, "total": total, "step_at": now.isoformat(),
                "apply_at": began or now.isoformat()}  # fmt: skip
    applying.update(apply_progress=progress, heartbeat_at=now)


def step_done(run_id: int, done: int) -> None:
    now = timezone.now()
    applying = ScanRun.objects.filter(pk=run_id, status=ScanRun.Status.APPLYING)
    current = applying.values_list("apply_progress", flat=True).first()
    if not isinstance(current, dict) or not current:
        return
    applying.update(apply_progress={**current, "done": done}, heartbeat_at=now)
