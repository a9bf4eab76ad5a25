"""An *arr that left one of a run's items unanswered after all its retries is not asked
again for each of the run's other items (issue 92).

Each item's requests are retried for TAGGARR_ARR_RETRY_SECONDS (arr_calls.py): against an
*arr whose editor answers 500 every time, that is two minutes per item, one item after
another (``scan --inline``) or a worker's every slot held as long. So the first of a
run's rows that fails "arr-unanswered" after its own retries trips the run's breaker: the
run's other rows of the instance fail at once, without a request, with that row's reason
(their detail says ``not_asked``), and are planned again by the next run as any
unanswered one is. The record is the journal itself (ProfileChange), which the workers on
every machine read: no state of its own. The breaker closes once a row of the instance is
written since, and BREAKER_SECONDS after the row that tripped it (at least the retry
budget): then one item asks again, and trips it again if the *arr is still silent.

A person's undo of many rows runs in one process, one row after another: its own loop
stops asking alike (undo.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from scanner.models import ProfileChange
from scanner.wish_profiles import refusals

NOT_ASKED = "not_asked"  # the detail's key of a row failed by the breaker, not by the *arr
BREAKER_SECONDS = 60.0  # the least a tripped breaker stays open


def open_seconds() -> float:
    """How long a tripped breaker stays open: the retry budget, at least BREAKER_SECONDS."""
    return max(float(settings.ARR_RETRY_SECONDS), BREAKER_SECONDS)


def tripped(change: ProfileChange) -> str | None:
    """The reason another row of ``change``'s run failed with, unanswered after its own
    retries, while the breaker it tripped is open; None: the *arr is asked. A row of no
    run (a person's, a Seerr request's) is always asked."""
    if change.run_id is None:
        return None
    since = timezone.now() - timedelta(seconds=open_seconds())
    failed = (
        ProfileChange.objects.filter(
            run_id=change.run_id,
            instance_id=change.instance_id,
            state=ProfileChange.State.FAILED,
            refusal=refusals.ARR_UNANSWERED,
            updated_at__gte=since,
        )
        .exclude(detail__has_key=NOT_ASKED)
        .order_by("-updated_at")
        .values_list("updated_at", "detail")
        .first()
    )
    if failed is None:
        return None
    at, detail = failed
    answered = ProfileChange.objects.filter(
        instance_id=change.instance_id, state=ProfileChange.State.WRITTEN, written_at__gt=at
    )
    if answered.exists():
        return None
    error = detail.get("error") if isinstance(detail, dict) else None
    return str(error or "")
