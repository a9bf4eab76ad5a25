"""The telling of a Seerr ask claimed (issue 72, docs/seerr.md): ``said`` keeps the last
standing Seerr took; a change is claimed before Seerr is asked (``telling_since``, a
lease a killed worker's claim runs out of): one comment per change, whoever runs it. The
answer around it: answering.py."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from scanner.models import SeerrAsk
from scanner.seerr import heard

# How long a worker's telling holds its ask: its exchanges with Seerr are bounded by the
# HTTP deadlines, far below; past it the teller is taken as dead (killed mid-answer).
TELL_LEASE = timedelta(minutes=10)


def claim_telling(ask: SeerrAsk, before: str) -> QuerySet[SeerrAsk] | None:
    """The ask claimed for telling its change from ``before`` (posting.tell reads its
    marker back): the claimed row, to give back or settle; None when another worker is
    telling this change."""
    # Claimed for the telling (a lease: a worker killed while it tells leaves the change
    # to the answer after TELL_LEASE); ``said`` moves only once Seerr took it. The state
    # of the message posted is kept (``telling_state``) while Seerr's answer is unknown:
    # its marker read back then says it was taken (``_tell``).
    claimed = timezone.now()
    free = Q(telling_since__isnull=True) | Q(telling_since__lt=claimed - TELL_LEASE)
    claim = SeerrAsk.objects.filter(free, pk=ask.pk, said=before, tellings=ask.tellings)
    if not claim.update(telling_since=claimed):
        return None  # another worker is telling this change
    mine = SeerrAsk.objects.filter(pk=ask.pk, telling_since=claimed)
    return mine


def give_back(mine: QuerySet[SeerrAsk]) -> None:
    """Seerr did not take the message: the claim given back, the change told again at
    the next run's end."""
    mine.update(telling_since=None)


def settle(mine: QuerySet[SeerrAsk], standing: heard.Standing, done: bool, tellings: int) -> None:
    """Seerr took the message: the standing said, the claim released, its refusals
    forgotten; ``done`` when the language is there."""
    mine.update(
        said=standing.state,
        done=done,
        telling_since=None,
        telling_state="",
        tellings=tellings,
        told_at=timezone.now(),
        refusals=0,
        refused_since=None,
    )
