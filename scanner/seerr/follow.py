"""The telling of a Seerr ask claimed (issue 72, docs/seerr.md): ``said`` keeps the last
standing Seerr took; a change is claimed before Seerr is asked (``telling_since``, a
lease a killed worker's claim runs out of: scanner.leases.SEERR_TELLING): one comment per
change, whoever runs it. The answer around it: answering.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from scanner.leases import SEERR_TELLING
from scanner.models import SeerrAsk
from scanner.seerr import heard


@dataclass(frozen=True)
class Telling:
    """An ask's telling as claimed: the ask, and the claim's time (its token)."""

    ask_id: int
    claimed: datetime


def claim_telling(ask: SeerrAsk, before: str) -> Telling | None:
    """The ask claimed for telling its change from ``before`` (posting.tell reads its
    marker back): the claim, to give back or settle; None when another worker is
    telling this change."""
    # Claimed for the telling (a lease, SEERR_TELLING: a worker killed while it tells
    # leaves the change to the answer after it); ``said`` moves only once Seerr took it.
    # The state of the message posted is kept (``telling_state``) while Seerr's answer is
    # unknown: its marker read back then says it was taken (``_tell``).
    claimed = timezone.now()
    telling = Q(pk=ask.pk, said=before, tellings=ask.tellings)
    if not SEERR_TELLING.take(claimed, telling, now=claimed):
        return None  # another worker is telling this change
    return Telling(ask.pk, claimed)


def give_back(mine: Telling) -> None:
    """Seerr did not take the message: the claim given back, the change told again at
    the next run's end."""
    SEERR_TELLING.release(mine.claimed, Q(pk=mine.ask_id))


def settle(mine: Telling, standing: heard.Standing, done: bool, tellings: int) -> None:
    """Seerr took the message: the standing said, the claim released, its refusals
    forgotten; ``done`` when the language is there."""
    SEERR_TELLING.release(
        mine.claimed,
        Q(pk=mine.ask_id),
        said=standing.state,
        done=done,
        telling_state="",
        tellings=tellings,
        told_at=timezone.now(),
        refusals=0,
        refused_since=None,
    )
