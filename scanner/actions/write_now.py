"""A person's decision takes effect at once (issue 68): a settled variety, an item's
wanted languages, a review decision are written by a run scoped to the item that decides
it again from its stored tracks (no file is read) and applies, unless the instance is in
dry-run mode (then it plans, as a dry run does). The admin and the API call this after
the decision is saved (it is decided again there already, so the page shows it).

"Decide again from stored tracks" and "Read the files again", on an item or on the whole
instance, are the same two runs (``decide_again``, scanner.actions.scans.rescan_media).

No storm of runs: a queued run that will decide and write the item anyway is used again
rather than a second started; while another run of the instance is active, the item is
remembered as a webhook's is and scanned when that run ends (nothing is lost).

Only a worker takes the run. Where none is running (``scan --inline`` from cron), the
decision says so (``Writing.worker_running``, ``no_worker_sentence``): the next
``scan --inline`` runs what waited for the instance first (scanner.actions.scans).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from scanner import tasks
from scanner.actions.scans import media_scope, start_scan
from scanner.models import Instance, Media, RunRequest, ScanRun
from scanner.pipeline.state import runs, webhook_requests
from scanner.pipeline.state.runs import ScanAlreadyActive
from scanner.worker import alive

# The event type a remembered request carries (ScanRequest.event_type).
DECISION = "Decision"


@dataclass(frozen=True, slots=True)
class Writing:
    """What a decision started: ``run`` writes (or, on a dry run, plans) the item's tags;
    ``reused``: it was queued already; ``run`` None: ``active`` is under way, and a run for
    the item starts when it ends. ``worker_running``: a worker is there to take it (else
    the next scan writes it: ``no_worker_sentence``)."""

    run: ScanRun | None
    reused: bool = False
    active: ScanRun | None = None
    worker_running: bool = True


def no_worker_sentence() -> str:
    """What a decision made where no worker runs says, in the reader's language."""
    return gettext(
        "No worker is running: the decision is written by the next scan (manage.py scan "
        "--inline, or a worker when one starts)."
    )


def decide_again(instance: Instance, media_ids: list[int] | None, *, trigger: str) -> ScanRun:
    """Start a run that decides these media (every item: None) again from their stored
    tracks and writes their tags (plans them on a dry-run instance). Raises
    ScanAlreadyActive, NoSuchItems or ConfigError."""
    scope = media_scope(instance, media_ids) if media_ids is not None else ()
    return start_scan(instance, RunRequest(trigger, mode=ScanRun.Mode.REDECIDE, scope=scope))


def write_decision(media: Media, *, trigger: str) -> Writing:
    """The item's new tags written now (its decision saved and decided again already).
    Raises ConfigError (a disabled instance)."""
    return write_decisions(media.instance, [media], trigger=trigger)


def write_decisions(instance: Instance, items: list[Media], *, trigger: str) -> Writing:
    """The same for several items of one instance (a list's bulk action): one run."""
    keys = {media.scope_key for media in items}
    worker = alive.any_alive()
    pending = _pending_for(instance, keys)
    if pending is not None:
        return Writing(pending, reused=True, worker_running=worker)
    try:
        run = decide_again(instance, [media.pk for media in items], trigger=trigger)
        return Writing(run, worker_running=worker)
    except ScanAlreadyActive as exc:
        pending = _pending_for(instance, keys)  # one queued meanwhile, by a click beside this
        if pending is not None:
            return Writing(pending, reused=True, worker_running=worker)
        webhook_requests.remember_requests(instance, sorted(keys), DECISION)
        tasks.send(webhook_requests.start_requested_scan(instance.pk))  # it ended meanwhile
        return Writing(None, active=exc.run, worker_running=worker)


def _pending_for(instance: Instance, keys: set[int]) -> ScanRun | None:
    """The instance's queued run (not planned yet, so it reads the decision) that writes
    these items as their instance does: its scope holds them (or is the whole library),
    it writes tags (not a removal) and it is a dry run only if the instance is."""
    run = runs.active_run(instance)
    if run is None or run.status != ScanRun.Status.QUEUED or run.planned_at is not None:
        return None
    if run.mode == ScanRun.Mode.REMOVE or run.dry_run != instance.dry_run:
        return None
    if run.scope and not keys <= set(run.scope):
        return None
    return run
