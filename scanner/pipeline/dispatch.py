"""How pipeline steps hand work to the next step.

``CeleryDispatcher`` sends tasks (the worker path); ``InlineDispatcher`` calls
the same step functions in this process (``manage.py scan --inline``). Either
way every hand-over waits for the current transaction to commit, so a worker
never looks for a row that is not there yet.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


class Dispatcher:
    def plan(self, run_id: int) -> None:
        raise NotImplementedError

    def items(self, run_id: int, item_ids: list[int]) -> None:
        raise NotImplementedError

    def apply(self, run_id: int) -> None:
        raise NotImplementedError

    def barrier(self, run_id: int) -> None:
        """When every item of a running run is done or failed, start applying (once)."""
        from scanner.pipeline.runs import claim_apply

        if claim_apply(run_id):
            self.apply(run_id)


class CeleryDispatcher(Dispatcher):
    def plan(self, run_id: int) -> None:
        from scanner import tasks

        transaction.on_commit(lambda: tasks.plan_scan.delay(run_id))

    def items(self, run_id: int, item_ids: list[int]) -> None:
        from scanner import tasks

        def send() -> None:
            for item_id in item_ids:
                tasks.scan_item.delay(run_id, item_id)

        transaction.on_commit(send)

    def apply(self, run_id: int) -> None:
        from scanner import tasks

        transaction.on_commit(lambda: tasks.apply_scan.delay(run_id))


class InlineDispatcher(Dispatcher):
    """Runs every step right here; ``on_item`` is called after each item (progress bars)."""

    def __init__(self, on_item: Callable[[int], None] | None = None) -> None:
        self.on_item = on_item

    def plan(self, run_id: int) -> None:
        from scanner.pipeline.plan import plan_run

        transaction.on_commit(lambda: _guarded(run_id, lambda: plan_run(run_id, self)))

    def items(self, run_id: int, item_ids: list[int]) -> None:
        from scanner.pipeline.item import scan_item

        def run_all() -> None:
            for item_id in item_ids:
                _guarded(run_id, lambda item_id=item_id: scan_item(run_id, item_id, self))
                if self.on_item:
                    self.on_item(run_id)

        transaction.on_commit(run_all)

    def apply(self, run_id: int) -> None:
        from scanner.pipeline.apply import apply_run

        transaction.on_commit(lambda: _guarded(run_id, lambda: apply_run(run_id, self)))


def _guarded(run_id: int, step: Callable[[], None]) -> None:
    """A step that fails fails its run, as the task's on_failure does on the worker
    path; the run carries the reason. An unexpected error still reaches the caller."""
    from scanner.errors import TaggarrError
    from scanner.pipeline.runs import fail_run

    handled = False
    try:
        step()
        handled = True
    except TaggarrError as exc:
        handled = True
        fail_run(run_id, str(exc))
    finally:
        if not handled:
            fail_run(run_id, "the scan stopped on an unexpected error (see the log)")


def default_dispatcher() -> Dispatcher:
    return CeleryDispatcher()
