"""Every change of a ScanRun's state and counters, in one place.

Each transition is a compare-and-set: ``filter(pk=..., status=<expected>).update(...)``
and a check of the row count, so two workers, a web request and beat can act on
the same run without locks, and a run that one of them moved on (interrupted,
cancelled, failed) is never then moved again by a late step of another. "One
active run per instance" is a partial unique index: creating a second one fails
in the database.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from scanner.errors import ConfigError, TaggarrError
from scanner.models import Event, Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import leases
from scanner.pipeline.work import (
    NOTHING,
    Apply,
    Next,
    Plan,
    RunEnded,
    ScanItems,
    StartRequested,
    Work,
)

logger = logging.getLogger(__name__)

Status = ScanRun.Status


class ScanAlreadyActive(TaggarrError):
    def __init__(self, run: ScanRun | None) -> None:
        self.run = run
        which = f"scan #{run.pk} ({run.status})" if run else "another scan"
        super().__init__(f"{which} is already active for this instance")


class RunStateError(TaggarrError):
    """The run is not in a state that allows the action (e.g. resuming a finished run)."""


def active_run(instance: Instance) -> ScanRun | None:
    return ScanRun.objects.filter(instance=instance, status__in=ScanRun.ACTIVE).first()


# --- queued -----------------------------------------------------------------------


def create_run(
    instance: Instance,
    request: RunRequest,
    *,
    webhook_file_changes: dict[str, list[dict[str, Any]]] | None = None,
    webhook_items: Sequence[int] = (),
) -> ScanRun:
    """A queued run, as ``request`` asks; the caller sends its ``Plan``. Raises
    ScanAlreadyActive. ``webhook_file_changes``, ``webhook_items``: what the webhooks
    that asked for it said (scanner.pipeline.state.webhook_requests), for its plan."""
    if not instance.enabled:
        raise ConfigError(_("instance %(name)r is disabled") % {"name": instance.name})
    mode, dry_run = request.mode, request.dry_run
    if mode not in ScanRun.Mode.values:
        raise ConfigError(_("unknown scan mode %(mode)r") % {"mode": mode})
    if mode == ScanRun.Mode.APPLY:
        if dry_run:
            raise ConfigError(_("applying the planned tags is never a dry run"))
        dry_run = False  # asking to apply is asking to write, whatever the instance's default
    try:
        with transaction.atomic():
            run = ScanRun.objects.create(
                instance=instance,
                trigger=request.trigger,
                mode=mode,
                dry_run=instance.dry_run if dry_run is None else dry_run,
                quick_mode=request.quick_mode,
                scope=list(request.scope),
                webhook_file_changes=webhook_file_changes or {},
                webhook_items=list(webhook_items),
                heartbeat_at=timezone.now(),
            )
    except IntegrityError:
        raise ScanAlreadyActive(active_run(instance)) from None
    logger.info("scan #%s of %s queued (%s, %s)", run.pk, instance.name, request.trigger, mode)
    if request.trigger in ScanRun.BY_A_PERSON and instance.waits_for_first_scan:
        start_schedule(instance)
    return run


def start_schedule(instance: Instance) -> None:
    """The first scan a person starts: from now on the instance scans on its schedule and
    webhooks start scans (until then they are remembered)."""
    now = timezone.now()
    interval = instance.scan_interval_minutes
    next_at = now + timedelta(minutes=interval) if interval else None
    if Instance.objects.filter(pk=instance.pk, first_scan_at__isnull=True).update(
        first_scan_at=now, next_scan_at=next_at
    ):
        instance.first_scan_at, instance.next_scan_at = now, next_at
        logger.info("%s: first scan started by a person; its schedule starts", instance.name)


# --- running ----------------------------------------------------------------------


def claim_plan(run_id: int, token: int) -> bool:
    """Queued -> running, for exactly one caller: the one whose ``token`` (drawn by the
    plan's task, or by ``scan --inline`` taking the run over) it now holds. The holder's
    retries take it again while it is unplanned; anyone else steps aside (a worker and
    ``scan --inline`` that take the same queued run at once: one statement, one wins).
    A holder that is lost gives the run back to the queue (``recover_stalled``)."""
    now = timezone.now()
    mine = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, plan_token=token)
    return bool(
        ScanRun.objects.filter(
            mine, pk=run_id, planned_at__isnull=True, cancel_requested=False
        ).update(
            status=Status.RUNNING,
            plan_token=token,
            started_at=Coalesce(F("started_at"), now),
            heartbeat_at=now,
        )
    )


def queued_run(instance: Instance) -> ScanRun | None:
    """The instance's run that waits for a worker: queued, nobody plans it yet."""
    return ScanRun.objects.filter(instance=instance, status=Status.QUEUED).first()


def mark_planned(
    run_id: int, token: int, *, items_total: int, items_skipped: int, **values: Any
) -> bool:
    """The plan is stored, by the holder of ``token``; false if the run stopped or was
    taken from it meanwhile (its items must not be sent)."""
    now = timezone.now()
    return bool(
        ScanRun.objects.filter(
            pk=run_id, status=Status.RUNNING, planned_at__isnull=True, plan_token=token
        ).update(
            items_total=items_total,
            items_skipped=items_skipped,
            planned_at=now,
            heartbeat_at=now,
            **values,
        )
    )


def heartbeat(run_id: int) -> None:
    ScanRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())


def waiting_to_retry(run_id: int, why: str, next_try_at: datetime) -> None:
    """A heartbeat that also says why the run waits and until when (``retry_why``,
    ``retry_next_at``, stamped with this beat in ``retry_noted_at``: a later beat means it
    is trying again), so that its page says "waiting to retry" rather than a phase that
    seems stuck."""
    now = timezone.now()
    ScanRun.objects.filter(pk=run_id, status__in=ScanRun.ACTIVE).update(
        retry_why=why[:300], retry_next_at=next_try_at, retry_noted_at=now, heartbeat_at=now
    )


def count_items_done(
    run_id: int,
    *,
    items: int,
    files_probed: int,
    file_errors: int,
    arr_requests: int = 0,
    tracks_to_hear: int = 0,
    tracks_heard: int = 0,
    tracks_unheard: int = 0,
    unheard_reason: str = "",
) -> Next:
    """Finished items, in the run's counters (in the caller's transaction, beside the
    items' results); the apply step when they were the run's last. ``unheard_reason`` is
    kept only as the run's first."""
    first_reason: dict[str, Any] = {}
    if unheard_reason:
        first_reason["unheard_reason"] = Case(
            When(unheard_reason="", then=Value(unheard_reason)),
            default=F("unheard_reason"),
            output_field=CharField(),
        )
    return _count(
        run_id,
        items,
        items_done=F("items_done") + items,
        files_probed=F("files_probed") + files_probed,
        file_errors=F("file_errors") + file_errors,
        arr_requests=F("arr_requests") + arr_requests,
        tracks_to_hear=F("tracks_to_hear") + tracks_to_hear,
        tracks_heard=F("tracks_heard") + tracks_heard,
        tracks_unheard=F("tracks_unheard") + tracks_unheard,
        **first_reason,
    )


def count_item_failed(run_id: int) -> Next:
    """A failed item, in the run's counters; the apply step when it was the run's last."""
    return _count(run_id, 1, items_failed=F("items_failed") + 1)


def _count(run_id: int, items: int, **counters: Any) -> Next:
    """Adds ``items`` to the counters and, when they are the run's last, closes the
    counter barrier (see ``claim_apply``) in the same statement: one UPDATE for every
    item but the last, where a claim after each item cost it a second one."""
    counters.update(resends=0, heartbeat_at=timezone.now())
    run = ScanRun.objects.filter(pk=run_id)
    counted = F("items_done") + F("items_failed") + items  # with these
    if run.filter(items_total__gt=counted).update(**counters):
        return NOTHING  # more to come
    ready = run.filter(
        status=Status.RUNNING,
        planned_at__isnull=False,
        cancel_requested=False,
        items_total__lte=counted,
    )
    if ready.update(**counters, status=Status.APPLYING, **APPLY_FREE):
        return (Apply(run_id),)
    run.update(**counters)  # not planned to the end yet, cancelled, or ended
    return NOTHING


# A run that becomes applying has its apply step free: the task that runs it takes it
# (scanner.pipeline.state.apply_lease); a holder from before (of a run interrupted while
# applying, then resumed) writes nothing more.
APPLY_FREE = {"apply_token": None, "apply_leased_until": None}


def claim_apply(run_id: int) -> bool:
    """The counter barrier: true for exactly one caller once every item is done or failed
    (this claim, or the count of the last items, ``_count``). The apply step itself is
    then taken by its task with a token (apply_lease.take)."""
    return bool(
        ScanRun.objects.filter(
            pk=run_id,
            status=Status.RUNNING,
            planned_at__isnull=False,
            cancel_requested=False,
            items_total__lte=F("items_done") + F("items_failed"),
        ).update(status=Status.APPLYING, heartbeat_at=timezone.now(), **APPLY_FREE)
    )


# --- ended ------------------------------------------------------------------------


def finish(run_id: int, token: int, *, status: str, **values: Any) -> bool:
    """Applying -> ``status`` (succeeded, partial or failed), by the holder of the apply
    step's ``token``. False when the run is no longer applying (interrupted or cancelled
    meanwhile) or another task took its apply step: then nothing is recorded."""
    now = timezone.now()
    return bool(
        ScanRun.objects.filter(pk=run_id, status=Status.APPLYING, apply_token=token).update(
            status=status, finished_at=now, heartbeat_at=now, **APPLY_FREE, **values
        )
    )


def fail(run_id: int, reason: str, *, cause: str = "") -> Next:
    """Any active run -> failed, with the reason (and its ``cause``, if known); then
    webhook requests get their turn."""
    updated = ScanRun.objects.filter(pk=run_id, status__in=ScanRun.ACTIVE).update(
        status=Status.FAILED, finished_at=timezone.now(), error=reason[:2000]
    )
    if not updated:
        return NOTHING
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    logger.error("scan #%s of %s failed: %s", run_id, run.instance.name, reason)
    return _ended_without_applying(
        run, f"scan #{run_id} failed: {reason[:500]}", {"status": Status.FAILED, "cause": cause}
    )


def cancel(run: ScanRun) -> Next:
    """Queued, running or interrupted -> cancelled; remaining item tasks stop at their
    first check and nothing is applied. ``run`` is refreshed."""
    cancelled = ScanRun.objects.filter(
        pk=run.pk, status__in=[Status.QUEUED, Status.RUNNING, Status.INTERRUPTED]
    ).update(
        status=Status.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        error="cancelled",
    )
    run.refresh_from_db()
    if not cancelled:
        raise RunStateError(f"scan #{run.pk} is {run.status}: it cannot be cancelled any more")
    return _ended_without_applying(run, f"scan #{run.pk} cancelled", {"status": run.status})


def _ended_without_applying(run: ScanRun, message: str, data: dict[str, str]) -> Next:
    Event.objects.create(
        instance_id=run.instance_id,
        run=run,
        kind=Event.Kind.SCAN_FINISHED,
        message=message,
        data=data,
    )
    return ended(run)


def ended(run: ScanRun) -> Next:
    """What follows any end of a run: its notifications, then the waiting requests."""
    return (RunEnded(run.pk), StartRequested(run.instance_id))


# --- stalled, interrupted and resumed -------------------------------------------

# A stalled run whose lost work was sent again this many times without any progress
# is interrupted: then no worker is taking it, and a person resumes it.
MAX_RESENDS = 3


def recover_stalled(queued: int | None = None) -> Next:
    """The lost work of active runs, sent again; per run.

    Items first: a pending item whose lease ran out lost its holder (a worker killed,
    or stopped past its lease), and an item whose retry is overdue by a lease's length
    lost its retry's message: each is sent again at once, whatever other runs do (a
    holder that comes back has lost its lease and writes nothing,
    scanner.pipeline.state.leases). Then runs: a run without a heartbeat for
    TAGGARR_SCAN_STALL_SECONDS lost its step (the plan or apply task died with its
    worker, or a message was lost) unless the broker still holds ``queued`` messages,
    among which its work may be waiting its turn (None: unknown, sent again; sending
    twice is safe, every step is a compare-and-set).
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SCAN_STALL_SECONDS)
    active = ScanRun.objects.filter(status__in=ScanRun.ACTIVE).annotate(
        last_beat=Coalesce("heartbeat_at", "created_at")
    )
    work: list[Work] = []
    for run in active.select_related("instance"):
        freed = leases.free_lapsed(run.pk) if run.status == Status.RUNNING else []
        if freed:
            logger.warning(
                "scan #%s of %s: %d items whose holder stopped beating (or whose retry was "
                "lost) sent again",
                run.pk, run.instance.name, len(freed),
            )  # fmt: skip
            work.append(ScanItems(run.pk, tuple(freed)))
        if run.last_beat >= cutoff or queued:
            continue
        if run.resends >= MAX_RESENDS:
            _interrupt(run)
            continue
        # Compare-and-set on the beat: two beats (or a beat and a resume) never both send.
        # A plan lost with its holder goes back to the queue, for the plan sent again.
        requeued = (
            {"status": Status.QUEUED, "plan_token": None}
            if run.status == Status.RUNNING and run.planned_at is None
            else {}
        )
        claimed = ScanRun.objects.filter(
            pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
        ).update(resends=F("resends") + 1, heartbeat_at=now, **requeued)
        if claimed:
            logger.warning(
                "scan #%s of %s: no heartbeat for %d s; sending its work again",
                run.pk, run.instance.name, settings.SCAN_STALL_SECONDS,
            )  # fmt: skip
            work.extend(lost_work(run, sent=set(freed)))
    return tuple(work)


def lost_work(run: ScanRun, *, sent: set[int] | None = None) -> Next:
    """What an active run still needs: its plan, its pending items nobody holds, or its
    apply step. ``sent``: the items whose lapsed leases the caller freed and sent
    already (recover_stalled); without it (a resume) they are freed here."""
    if run.status == Status.APPLYING:
        return (Apply(run.pk),)
    if run.planned_at is None:
        return (Plan(run.pk),)
    freed = leases.free_lapsed(run.pk) if sent is None else []
    sent = (sent or set()) | set(freed)
    now = timezone.now()
    pending = ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING)
    free, waiting, wait, held = [], [], 0.0, False
    rows = pending.values_list("pk", "retry_at", "leased_until")
    for pk, retry_at, leased_until in rows:
        if leased_until is not None and leased_until > now:
            held = True  # a live holder has it
        elif retry_at is None or retry_at <= now:
            free.append(pk)
        else:  # an item waiting for its retry: sent again, as its retry, when it is due
            waiting.append(pk)
            wait = max(wait, (retry_at - now).total_seconds())
    if not free and not waiting and not held:
        return ready_to_apply(run.pk)
    free = [pk for pk in free if pk not in sent]
    work = [ScanItems(run.pk, tuple(freed))] if freed else []
    if free:
        work.append(ScanItems(run.pk, tuple(free)))
    if waiting:
        work.append(ScanItems(run.pk, tuple(waiting), delay=round(wait, 2), retry=True))
    return tuple(work)


def interrupt_stalled(instance: Instance) -> int:
    """The instance's active runs without a heartbeat for TAGGARR_SCAN_STALL_SECONDS are
    interrupted: ``scan --inline`` has no worker to send their work to."""
    cutoff = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS)
    stalled = (
        ScanRun.objects.filter(instance=instance, status__in=ScanRun.ACTIVE)
        .annotate(last_beat=Coalesce("heartbeat_at", "created_at"))
        .filter(last_beat__lt=cutoff)
    )
    return sum(_interrupt(run, "no progress (did the scan's process die?)") for run in stalled)


def _interrupt(run: ScanRun, why: str | None = None) -> int:
    seconds = settings.SCAN_STALL_SECONDS * (MAX_RESENDS + 1)
    why = why or (
        f"no progress for {seconds} s although its work was sent again {MAX_RESENDS} times "
        "(is a worker running?)"
    )
    interrupted = ScanRun.objects.filter(pk=run.pk, status=run.status).update(
        status=Status.INTERRUPTED, error=f"{why}; resume it to finish"
    )
    if interrupted:
        logger.warning("scan #%s of %s interrupted: %s", run.pk, run.instance_id, why)
    return interrupted


def resumable(run: ScanRun) -> bool:
    """Interrupted, or active but silent for TAGGARR_SCAN_STALL_SECONDS (what ``resume``
    takes)."""
    if run.status == Status.INTERRUPTED:
        return True
    last_beat = run.heartbeat_at or run.created_at
    cutoff = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS)
    return run.is_active and last_beat < cutoff


def resume(run: ScanRun) -> Next:
    """An interrupted run -> running (or queued, if it was never planned), or an active
    run that has stalled: what is left is handed back. ``run`` is refreshed."""
    run.refresh_from_db()
    if not resumable(run):
        raise RunStateError(
            f"scan #{run.pk} is {run.status}: only an interrupted or stalled scan resumes"
        )
    planned = run.planned_at is not None
    back_to = run.status if run.status == Status.APPLYING else None
    try:
        with transaction.atomic():
            # Compare-and-set on the state just read: a beat or a late step that moved
            # the run meanwhile wins, and this resume does nothing.
            resumed = ScanRun.objects.filter(
                pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
            ).update(
                status=back_to or (Status.RUNNING if planned else Status.QUEUED),
                heartbeat_at=timezone.now(),
                finished_at=None,
                resends=0,
                error="",
                plan_token=None,  # a plan lost with its holder: the plan sent again takes it
                **APPLY_FREE,  # a stalled applying run: its silent holder writes nothing more
            )
    except IntegrityError:
        raise ScanAlreadyActive(active_run(run.instance)) from None
    run.refresh_from_db()
    if not resumed:
        raise RunStateError(f"scan #{run.pk} changed meanwhile ({run.status}); try again")
    work = lost_work(run)
    logger.info("scan #%s resumed: %s", run.pk, work)
    return work


def ready_to_apply(run_id: int) -> Next:
    """The apply step, if this caller is the one that closes the barrier."""
    return (Apply(run_id),) if claim_apply(run_id) else NOTHING
