"""The scan, step by step: start → plan → one item task per media → apply.

Called by the Celery tasks (scanner.tasks), by ``manage.py scan`` (inline or
through workers), by webhooks and by beat. See each module for one step.
"""

from __future__ import annotations

from scanner.pipeline.apply import apply_run
from scanner.pipeline.dispatch import CeleryDispatcher, Dispatcher, InlineDispatcher
from scanner.pipeline.item import record_item_failure, scan_item
from scanner.pipeline.plan import plan_run
from scanner.pipeline.runs import (
    RunStateError,
    ScanAlreadyActive,
    active_run,
    cancel_run,
    fail_run,
    kick_requested_scans,
    mark_stalled_runs,
    request_item_scan,
    resume_run,
    start_scan,
)
from scanner.pipeline.schedule import start_due_scans

__all__ = [
    "CeleryDispatcher",
    "Dispatcher",
    "InlineDispatcher",
    "RunStateError",
    "ScanAlreadyActive",
    "active_run",
    "apply_run",
    "cancel_run",
    "fail_run",
    "kick_requested_scans",
    "mark_stalled_runs",
    "plan_run",
    "record_item_failure",
    "request_item_scan",
    "resume_run",
    "scan_item",
    "start_due_scans",
    "start_scan",
]
