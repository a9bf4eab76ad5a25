"""Starting, resuming, cancelling and requesting scans: what the admin, the API, the
webhooks and the command line call. Each changes the run's state (scanner.pipeline)
and hands the resulting work to the workers (scanner.tasks.send) or, for
``scan --inline``, runs it right here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from scanner.errors import ConfigError
from scanner.models import Instance, Media, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.state import runs, webhook_requests
from scanner.pipeline.state.leases import new_token
from scanner.pipeline.state.runs import RunStateError, ScanAlreadyActive
from scanner.pipeline.work import Next, Plan, StartRequested
from scanner.run_end import end_here, tell_here

# The tasks' wiring (scanner.tasks: every feature's tasks and beat's tick) is imported
# where it is used, not here, and a run's end imports each feature when it ends
# (scanner.run_end): ``scan``'s start is a cron rescan's fixed cost (bench/RESULTS.md,
# issue 83). Workers import scanner.tasks themselves (taggarr/celery.py's autodiscovery):
# every task stays registered.

__all__ = [
    "NoSuchItems",
    "NothingToApply",
    "RunStateError",
    "ScanAlreadyActive",
    "Waiting",
    "apply_planned",
    "await_upgrade",
    "cancel_scan",
    "media_scope",
    "request_instance_scan",
    "request_item_scan",
    "rescan_media",
    "resume_scan",
    "run_waiting",
    "scan_inline",
    "send_artwork",
    "start_scan",
    "waiting_work",
]

logger = logging.getLogger(__name__)


class NothingToApply(ConfigError):
    """None of the chosen items has a planned change."""


class NoSuchItems(ConfigError):
    """None of the chosen media is the instance's."""


def start_scan(instance: Instance, request: RunRequest) -> ScanRun:
    """Queue a run for the workers. Raises ScanAlreadyActive or ConfigError."""
    _send(runs.recover_stalled())
    run = runs.create_run(instance, request)
    _send((Plan(run.pk),))
    return run


def _send(work: Next) -> None:
    """The work to the workers (scanner.tasks.send, on commit)."""
    from scanner import tasks

    tasks.send(work)


def scan_inline(
    instance: Instance,
    request: RunRequest,
    *,
    on_item: Callable[[int], None] | None = None,
    on_waited: Callable[[ScanRun], None] | None = None,
) -> ScanRun:
    """Run a whole scan in this process, no broker or worker; returns the ended run.
    What waited for the instance runs first (``run_waiting``; ``on_waited(run)`` for
    each that ended): a decision's run that no worker took never blocks this scan. Its
    end is this scan's: the notifications of the runs that waited are sent with the
    scan's own, one message per kind (scanner.run_end). A dry run runs nothing that
    waited, which stays waiting (``Waiting``: a queued run refuses the dry run, as it
    refuses any scan). Its notifications are sent from here too: there may be no worker
    at all (cron). Its artwork is not fetched here: the caller sends it to the workers
    (``send_artwork``), so that the scan ends when its tags are written."""
    waited: list[ScanRun] = []
    if not request.dry_run:
        waited = run_waiting(instance, on_item=on_item)
    for each in waited:
        if on_waited is not None:
            on_waited(each)
    told_with = tuple(each.pk for each in waited)
    try:
        runs.interrupt_stalled(instance)
        run = runs.create_run(instance, request)
    except BaseException:
        if told_with:  # the runs that waited are told all the same
            tell_here(told_with[-1], told_with=told_with[:-1])
        raise
    run_inline(
        (Plan(run.pk),),
        on_item=on_item,
        on_ended=lambda run_id: end_here(run_id, told_with=told_with),
    )
    run.refresh_from_db()
    return run


class Waiting(NamedTuple):
    """What waits for an instance's worker: its queued run that nobody has started (None
    when none), the items webhooks asked to scan, and whether they asked for its whole
    library (past their rate)."""

    queued: ScanRun | None
    items: int
    whole: bool


def waiting_work(instance: Instance) -> Waiting:
    """What waits for the instance's workers (a dry run leaves it so)."""
    return Waiting(runs.queued_run(instance), *webhook_requests.requested(instance))


def run_waiting(
    instance: Instance, *, on_item: Callable[[int], None] | None = None
) -> list[ScanRun]:
    """What waits for the instance, run here to its end (``scan --inline`` where no
    worker may ever come): its queued run that nobody has started, taken over as it was
    asked (its mode, scope and dry run: a decision's run writes the decision), then the
    runs that webhooks and decisions asked for while it was busy. The take-over is the
    plan's claim (runs.claim_plan): a worker that takes the same run at the same moment
    or later steps aside, or this process does, and nothing is written twice. Their ends
    but their telling run here (the caller tells them with its own run's, scanner.run_end).
    The runs that ended here, in order; none when nothing waited or a worker took it first."""
    work: tuple[Plan | StartRequested, ...] = (StartRequested(instance.pk),)
    queued = runs.queued_run(instance)
    if queued is not None:
        token = new_token()
        if not runs.claim_plan(queued.pk, token):
            return []  # a worker took it: the instance is busy, as it says
        logger.info(
            "scan #%s of %s waited for a worker (%s, %s): run here",
            queued.pk, instance.name, queued.trigger, queued.mode,
        )  # fmt: skip
        work = (Plan(queued.pk, token=token),)
    ended: list[int] = []

    def on_ended(run_id: int) -> None:
        ended.append(run_id)
        end_here(run_id, tell=False)

    run_inline(work, on_item=on_item, on_ended=on_ended, requested=True)
    found = ScanRun.objects.select_related("instance").in_bulk(ended)
    return [found[run_id] for run_id in ended if run_id in found]


def send_artwork(run: ScanRun) -> bool:
    """A run's posters and fanart to the workers (``scan --inline`` ends without them);
    False when the broker is unreachable."""
    from scanner.artwork.tasks import queue_artwork

    return queue_artwork(run.pk)


def media_scope(instance: Instance, media_ids: Iterable[int]) -> tuple[int, ...]:
    """A run's scope for these media of the instance (ids of other instances' media
    are not in it). Raises ConfigError when none is the instance's."""
    wanted = set(media_ids)
    found = tuple(m.scope_key for m in instance.media.filter(pk__in=wanted).only("pk", "arr_id"))
    if wanted and not found:
        raise NoSuchItems(f"none of those items belongs to instance {instance.name!r}")
    return found


def apply_planned(
    instance: Instance, *, trigger: str, media_ids: Iterable[int] | None = None
) -> ScanRun:
    """Write the planned tags (after a dry run) of these media, or of every item with a
    planned change: a run that reads no file. Raises NothingToApply, ScanAlreadyActive
    or ConfigError."""
    pending = instance.media.filter(Media.PENDING_CHANGE)
    if media_ids is not None:
        pending = pending.filter(pk__in=set(media_ids))
    if not pending.exists():
        raise NothingToApply("no planned tag change to apply")
    scope = media_scope(instance, pending.values_list("pk", flat=True)) if media_ids else ()
    return start_scan(instance, RunRequest(trigger, mode=ScanRun.Mode.APPLY, scope=scope))


def rescan_media(
    instance: Instance, media_ids: Iterable[int], *, trigger: str, dry_run: bool | None = None
) -> ScanRun:
    """Read every file of these media again (rewrite mode) and decide their tags anew."""
    scope = media_scope(instance, media_ids)
    if not scope:
        raise NoSuchItems("no item chosen to rescan")
    return start_scan(
        instance, RunRequest(trigger, dry_run=dry_run, mode=ScanRun.Mode.REWRITE, scope=scope)
    )


def resume_scan(run: ScanRun) -> ScanRun:
    """Re-queue what an interrupted or stalled run had not done. Raises RunStateError."""
    _send(runs.resume(run))
    return run


def cancel_scan(run: ScanRun) -> ScanRun:
    """Raises RunStateError when the run has ended already."""
    _send(runs.cancel(run))
    return run


def await_upgrade(instance: Instance, arr_id: int, paths: list[str]) -> None:
    """Webhooks: an *arr upgrade deleted these files of the item and its import follows:
    nothing is scanned now, and a scan before the import keeps them."""
    webhook_requests.remember_upgrade(instance, arr_id, paths)


def request_item_scan(
    instance: Instance,
    arr_ids: Iterable[int],
    event_type: str,
    file_changes: list[dict[str, Any]] | None = None,
) -> ScanRun | None:
    """Webhooks: remember the items (and the file changes they carry) and start a run
    for them unless one is active (its end starts it). Returns the started run, if any."""
    webhook_requests.remember_requests(instance, arr_ids, event_type, file_changes)
    work = webhook_requests.start_requested_scan(instance.pk)
    _send(work)
    started = [each.run_id for each in work if isinstance(each, Plan)]
    return ScanRun.objects.get(pk=started[0]) if started else None


def request_instance_scan(instance: Instance, event_type: str) -> None:
    """Webhooks past their rate: the instance's whole library is scanned instead of the
    items they named (remembered once; started unless a run is active)."""
    webhook_requests.remember_whole_instance(instance, event_type)
    _send(webhook_requests.start_requested_scan(instance.pk))
