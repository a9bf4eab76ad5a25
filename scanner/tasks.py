"""Thin Celery tasks around the pipeline steps (scanner.pipeline).

Each task loads its rows by id, runs one step and exits quietly if the rows are
gone. Only named transient errors are retried (backoff with jitter); when a task
gives up, ``on_failure`` records it on the run or the item, so a run never hangs
on a task that died.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from scanner import pipeline
from scanner.errors import ArrTransientError, StorageError

RETRY = {
    "max_retries": 3,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "acks_late": True,
}


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


class RunStepTask(Task):
    """Plan and apply: when they give up, the run fails with the reason."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        pipeline.fail_run(args[0], _reason(exc))


class ItemTask(Task):
    """An item that gives up is failed; the run goes on without it."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        pipeline.record_item_failure(args[1], _reason(exc), pipeline.CeleryDispatcher())


@shared_task(
    bind=True, base=RunStepTask, autoretry_for=(ArrTransientError, OperationalError), **RETRY
)
def plan_scan(self: Task, run_id: int) -> None:
    pipeline.plan_run(run_id, pipeline.CeleryDispatcher())


@shared_task(bind=True, base=ItemTask, autoretry_for=(StorageError, OperationalError), **RETRY)
def scan_item(self: Task, run_id: int, item_id: int) -> None:
    retries_left = self.max_retries - self.request.retries
    pipeline.scan_item(run_id, item_id, pipeline.CeleryDispatcher(), retries_left=retries_left)


@shared_task(
    bind=True, base=RunStepTask, autoretry_for=(ArrTransientError, OperationalError), **RETRY
)
def apply_scan(self: Task, run_id: int) -> None:
    pipeline.apply_run(run_id, pipeline.CeleryDispatcher())


@shared_task(acks_late=True)
def start_due_scans() -> int:
    return len(pipeline.start_due_scans())
