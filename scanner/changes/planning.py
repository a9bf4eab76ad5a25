"""Whether the acts are still planning after a run (scanner.models.ActPlanning): a run's
end hands each act's planning to the workers (its run task counts the items due, one
item task each), so the run has ended before its plans exist. Each act's planning is
recorded from the moment it is sent (``sent``: not counted yet), counted by its run task
(``counted``) and ticked by each item task that ends (``ticked``), however it ended; a
page that lists a run's plans (the guided setup's last step) waits while ``planning``
names an act. A message delivered twice ticks twice: the count only ever says "done"
early. A planning that has not moved for the stall window (TAGGARR_SCAN_STALL_SECONDS: a
message lost with a broker that went down, a worker killed) is no longer waited on: the
page lists what is there, never "still planning" for ever. ``scan --inline`` plans
before it returns, so records nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from scanner.models import ActPlanning

__all__ = ["counted", "planning", "sent", "ticked"]


def sent(run_id: int, act: str) -> None:
    """The act's planning of the run is on its way to a worker (not counted yet)."""
    ActPlanning.objects.update_or_create(run_id=run_id, act=act, defaults={"due": None, "done": 0})


def counted(run_id: int, act: str, due: int) -> None:
    """The act found ``due`` items to plan after the run; their tasks are sent."""
    ActPlanning.objects.update_or_create(run_id=run_id, act=act, defaults={"due": due, "done": 0})


def ticked(run_id: int | None, act: str) -> None:
    """One item task of the act's planning of the run ended."""
    if run_id is not None:
        rows = ActPlanning.objects.filter(run_id=run_id, act=act)
        rows.update(done=F("done") + 1, updated_at=timezone.now())  # update() skips auto_now


def planning(run_id: int) -> dict[str, tuple[int, int | None]]:
    """The acts still planning after the run: act -> (items done, items due; None: not
    counted yet)."""
    moved = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS)
    waiting = (Q(due__isnull=True) | Q(done__lt=F("due"))) & Q(updated_at__gte=moved)
    rows = ActPlanning.objects.filter(run_id=run_id).filter(waiting)
    return {row.act: (row.done, row.due) for row in rows.only("act", "done", "due")}
