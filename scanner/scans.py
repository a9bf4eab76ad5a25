"""Starting, resuming, cancelling and requesting scans: what the admin, the API, the
webhooks and the command line call. Each changes the run's state (scanner.pipeline)
and hands the resulting work to the workers (scanner.tasks.send) or, for
``scan --inline``, runs it right here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scanner import tasks
from scanner.models import Instance, ScanRun
from scanner.notify.dispatch import notify_run_ended
from scanner.pipeline import requests, runs
from scanner.pipeline.inline import run_inline
from scanner.pipeline.runs import RunStateError, ScanAlreadyActive
from scanner.pipeline.work import Plan

__all__ = [
    "RunStateError",
    "ScanAlreadyActive",
    "cancel_scan",
    "request_item_scan",
    "resume_scan",
    "scan_inline",
    "start_scan",
]


def start_scan(
    instance: Instance,
    *,
    trigger: str,
    dry_run: bool | None = None,
    mode: str = ScanRun.Mode.NORMAL,
    scope: Iterable[int] = (),
    quick_mode: bool | None = None,
) -> ScanRun:
    """Queue a run for the workers. Raises ScanAlreadyActive or ConfigError."""
    tasks.send(runs.recover_stalled())
    run = runs.create_run(
        instance, trigger=trigger, dry_run=dry_run, mode=mode, scope=scope, quick_mode=quick_mode
    )
    tasks.send((Plan(run.pk),))
    return run


def scan_inline(
    instance: Instance,
    *,
    trigger: str,
    dry_run: bool | None = None,
    mode: str = ScanRun.Mode.NORMAL,
    scope: Iterable[int] = (),
    quick_mode: bool | None = None,
    on_item: Callable[[int], None] | None = None,
) -> ScanRun:
    """Run a whole scan in this process, no broker or worker; returns the ended run.
    Its notifications are sent from here too: there may be no worker at all (cron)."""
    runs.interrupt_stalled(instance)
    run = runs.create_run(
        instance, trigger=trigger, dry_run=dry_run, mode=mode, scope=scope, quick_mode=quick_mode
    )
    run_inline((Plan(run.pk),), on_item=on_item, on_ended=notify_run_ended)
    run.refresh_from_db()
    return run


def resume_scan(run: ScanRun) -> ScanRun:
    """Re-queue what an interrupted or stalled run had not done. Raises RunStateError."""
    tasks.send(runs.resume(run))
    return run


def cancel_scan(run: ScanRun) -> ScanRun:
    """Raises RunStateError when the run has ended already."""
    tasks.send(runs.cancel(run))
    return run


def request_item_scan(
    instance: Instance,
    arr_ids: Iterable[int],
    event_type: str,
    file_changes: list[dict[str, Any]] | None = None,
) -> ScanRun | None:
    """Webhooks: remember the items (and the file changes they carry) and start a run
    for them unless one is active (its end starts it). Returns the started run, if any."""
    requests.remember_requests(instance, arr_ids, event_type, file_changes)
    work = requests.start_requested_scan(instance.pk)
    tasks.send(work)
    started = [each.run_id for each in work if isinstance(each, Plan)]
    return ScanRun.objects.get(pk=started[0]) if started else None
