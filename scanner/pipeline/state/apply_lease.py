"""The apply step held with a fencing token, like an item (scanner.pipeline.state.leases).

The counter barrier moves a run to *applying* once (runs.claim_apply); the task that
then runs its apply step takes it with a fresh random token (``ScanRun.apply_token``)
until ``now + TAGGARR_SCAN_STALL_SECONDS``, when it is free or its holder's lease ran
out. The step's heartbeat extends the lease only while the token is held, and each of
its writes (its events, the dub news, the applied tags, the NFO-due flags, the run's
end) is made in a transaction whose first statement is ``hold``: an ``UPDATE … WHERE
token = mine AND status = applying``. A holder paused past its lease (a stopped
container, an *arr request held for minutes) whose step another task took meanwhile
matches no row there: it writes nothing more and ends (``ApplyLost``). Holding the
run's row also keeps the run applying until the transaction commits, so what such a
transaction reads (the items' files for the dub news) is never a later run's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from scanner.leases import APPLY, Fence, new_token
from scanner.models import ScanRun

__all__ = [
    "ApplyHold",
    "ApplyLost",
    "Superseded",
    "forget",
    "hold",
    "new_token",
    "released_here",
    "releasing",
    "take",
    "why_lost",
]

APPLYING = ScanRun.Status.APPLYING
# The tokens whose holder, in this process, is ending its run (releasing): a beat of
# the step that finds its lease gone after that was told so by its own holder, not lost.
_releasing: set[int] = set()


class ApplyLost(Exception):
    """The token is gone: another task took the step, or the run is no longer applying.
    Nothing more is written; the step ends with ``why``."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(why)


@dataclass(frozen=True, slots=True)
class Superseded:
    """The apply step's task did not (or no longer) hold its run: nothing written by it
    since; ``why`` names what happened, as its task's result."""

    why: str


@dataclass(frozen=True, slots=True)
class ApplyHold:
    """The run's apply step as held by ``token``; called, it is the fence (``hold``)."""

    run_id: int
    token: int

    def __call__(self) -> None:
        hold(self.run_id, self.token)


def take(run_id: int, token: int) -> bool:
    """The run's apply step, for ``token``: when it is free, held by this token already (a
    retry), or its holder's lease ran out. One statement: two takers never both get it."""
    now = timezone.now()
    return bool(APPLY.take(token, Q(pk=run_id, status=APPLYING), now=now, heartbeat_at=now))


def extend(run_id: int, token: int) -> bool:
    """The holder is alive (a heartbeat): false when it holds the step no more."""
    now = timezone.now()
    return bool(APPLY.hold(token, Q(pk=run_id, status=APPLYING), now=now, heartbeat_at=now))


def hold(run_id: int, token: int) -> None:
    """The fence, first in the transaction of each write of the step (and before each
    write outside the database): raises ApplyLost when the token is gone. It also
    extends the lease and locks the run's row until the transaction ends."""
    if not extend(run_id, token):
        raise ApplyLost(why_lost(run_id, token))


def releasing(token: int) -> None:
    """The holder of ``token`` ends its run now (the end's transaction lets the step go
    with the run): from here its lease going is its own doing. Called before that
    transaction, so that a beat that finds the lease gone afterwards knows why."""
    _releasing.add(token)


def released_here(token: int) -> bool:
    """Whether the holder of ``token`` in this process let the step go (``releasing``)."""
    return token in _releasing


def forget(token: int) -> None:
    """The step held with ``token`` ended in this process: nothing more kept of it."""
    _releasing.discard(token)


def why_lost(run_id: int, token: int) -> str:
    """Why ``token`` does not hold the run's apply step, in words for a task's result."""
    fence, row = APPLY.fence(token, Q(pk=run_id), "status")
    if fence == Fence.GONE:
        return f"not applied: scan #{run_id} is gone"
    if row[0] != APPLYING:
        return f"superseded: scan #{run_id} is {row[0]} meanwhile"
    if fence != Fence.MINE:
        return f"superseded: another apply took scan #{run_id}"
    return f"superseded: scan #{run_id}'s apply lease ran out"
