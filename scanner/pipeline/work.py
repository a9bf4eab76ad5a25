"""What a pipeline step hands on: the next work, as plain values.

Steps return these and never send anything themselves. ``scanner.tasks.send``
turns them into Celery tasks (once the current transaction commits);
``scanner.pipeline.runtime.inline`` runs them in this process for ``scan --inline``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plan:
    """List the run's instance and decide which items need a scan. ``token``: the
    fencing token the step holds the run with (runs.claim_plan); 0 when sent, the task
    that runs it draws one (and its retries keep it)."""

    run_id: int
    token: int = 0


@dataclass(frozen=True, slots=True)
class ScanItems:
    """Scan these items of the run (one Celery task each). A ``retry`` of items that
    wait for it (``ScanItem.retry_at``), ``delay`` seconds from now, takes them although
    their wait is not quite over: only the retry may (scanner.pipeline.state.leases).
    ``since``: when the first try of a database outage being retried began (seconds
    since the epoch); an item's own errors keep theirs in the item. ``token``: the
    fencing token of a one-item retry's earlier claim, which it may take back."""

    run_id: int
    item_ids: tuple[int, ...]
    delay: float = 0.0
    retry: bool = False
    since: float | None = None
    token: int | None = None


@dataclass(frozen=True, slots=True)
class Apply:
    """Every item of the run is done or failed: write the tags. ``token``: the fencing
    token its task holds the step with (scanner.pipeline.state.apply_lease); 0 when sent,
    the task that runs it draws one (and its retries keep it)."""

    run_id: int
    token: int = 0


@dataclass(frozen=True, slots=True)
class RunEnded:
    """The run ended (succeeded, partial, failed or cancelled): what it did may be worth
    a notification. Only a value here: scanner.notify decides, outside the pipeline."""

    run_id: int


@dataclass(frozen=True, slots=True)
class StartRequested:
    """The instance is free again: start a run for the items webhooks asked for."""

    instance_id: int


Work = Plan | ScanItems | Apply | RunEnded | StartRequested
Next = tuple[Work, ...]
NOTHING: Next = ()
