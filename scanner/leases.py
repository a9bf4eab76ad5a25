"""Work held with a token for a while: one way to take, hold, release and fence it.

Every kind of work two workers might both start (a scan's items, a run's apply step, an
artwork image, a person account's tracks in Plex, a Seerr ask's telling) is held as a
lease on its database row: the holder's token in one field, the lease's end in another
(``Lease``: the model, those two fields and the lease's length, declared once per kind
at the end of this module). Each move is ONE compare-and-set statement, so of two takers
one gets the work:

* ``take``: the rows that are free (no token), whose lease ran out, or that the token
  holds already (a task's retry, a message delivered again) become the token's;
* ``hold``: the holder is alive, its lease is extended, only while the token still holds
  it; the number of rows says whether it does (the fence, first in each write's
  transaction: a holder paused past its lease whose work another took writes nothing);
* ``release``: the token lets its rows go;
* ``fence``: whether the token still holds the work, is free, or another holds it now.

A scan's items are claimed in bulk by a statement of their own
(scanner.pipeline.state.leases.claim: ``FOR UPDATE SKIP LOCKED``); what their holder does
afterwards goes through ``held_rows``: an ``UPDATE … WHERE (id, token) IN (…)`` for
the many (item, token) pairs a process holds.

Tokens are made one way: ``new_token`` (a random 62-bit number, no secret), or
``token_of`` a Celery task's id (the same when its message is delivered again, so the
task takes back its own lease). A lease whose ``until`` is None holds the take's time
as its token (a Seerr telling: ``telling_since``) and ends ``length`` after it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model, Q
from django.utils import timezone

from scanner.models import (
    ArtworkFetch,
    BadgeLease,
    DefaultTrackLease,
    ProfileLease,
    ScanItem,
    ScanRun,
    SeerrAsk,
    TrackLease,
)

Token = Any  # an int, or for a lease whose ``until`` is None the take's time
Held = tuple[int, int]  # (row id, token): one row as its holder holds it
Param = int | str | datetime  # a value of a statement's parameters


def new_token() -> int:
    """A fresh fencing token: a random positive 62-bit number (no secret)."""
    return secrets.randbits(62) + 1


def token_of(task_id: str) -> int:
    """A Celery task's own token, the same when its message is delivered again."""
    digits = "".join(c for c in task_id if c in "0123456789abcdef")
    return (int(digits[:15] or "0", 16) or 1) if digits else new_token()


class Fence(StrEnum):
    """Where a token stands with the work it took."""

    MINE = "mine"  # the token holds it still
    FREE = "free"  # nobody holds it (released, or never taken)
    ANOTHER = "another"  # another token holds it now: its holder must step aside
    GONE = "gone"  # no such row


@dataclass(frozen=True)
class Lease:
    """One kind of work held by a token: ``model``'s rows, the token in ``holder``, the
    lease's end in ``until`` (None: the token is the take's time), ``length`` long."""

    model: type[Model]
    holder: str  # the field of the holder's token
    until: str | None
    length: Callable[[], timedelta]  # read at each take (a setting may change)

    def _rows(self, *where: Q, **fields: Any) -> Any:
        return self.model._default_manager.filter(*where, **fields)

    def _column(self, name: str) -> str:
        """The quoted column of the model's field ``name`` ("pk": its primary key)."""
        meta = self.model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        return connection.ops.quote_name(str(getattr(field, "column", name)))

    def end(self, now: datetime | None = None) -> datetime:
        """When a lease taken or extended at ``now`` runs out."""
        return (now or timezone.now()) + self.length()

    def free(self, token: Token, now: datetime) -> Q:
        """The rows ``token`` may take at ``now``: nobody's, ran out, or its own."""
        if self.until is None:
            return Q(**{f"{self.holder}__isnull": True}) | Q(
                **{f"{self.holder}__lt": now - self.length()}
            )
        return (
            Q(**{f"{self.holder}__isnull": True})
            | Q(**{f"{self.until}__lte": now})
            | Q(**{self.holder: token})
        )

    def held_by_another(self, token: Token, now: datetime) -> Q:
        """The rows another token holds at ``now`` (their lease still runs)."""
        if self.until is None:
            alive = Q(**{f"{self.holder}__gte": now - self.length()})
        else:
            alive = Q(**{f"{self.holder}__isnull": False, f"{self.until}__gt": now})
        return alive & ~Q(**{self.holder: token})

    def take(self, token: Token, where: Q, *, now: datetime | None = None, **also: Any) -> int:
        """``where``'s rows that are free for ``token`` become its own (``also`` set with
        them), in one statement; how many it took."""
        now = now or timezone.now()
        values: dict[str, Any] = {self.holder: token, **also}
        if self.until is not None:
            values[self.until] = self.end(now)
        return int(self._rows(where, self.free(token, now)).update(**values))

    def hold(self, token: Token, where: Q, *, now: datetime | None = None, **also: Any) -> int:
        """The holder is alive: ``where``'s rows the token still holds are extended (and
        ``also`` set); how many (0: it holds nothing there any more)."""
        values: dict[str, Any] = dict(also)
        if self.until is not None:
            values[self.until] = self.end(now)
        return int(self._rows(where, **{self.holder: token}).update(**values))

    def release(self, token: Token, where: Q, **also: Any) -> int:
        """``where``'s rows the token holds are let go (and ``also`` set); how many."""
        values: dict[str, Any] = {self.holder: None, **also}
        if self.until is not None:
            values[self.until] = None
        return int(self._rows(where, **{self.holder: token}).update(**values))

    def fence(self, token: Token | None, where: Q, *fields: str) -> tuple[Fence, tuple[Any, ...]]:
        """Where ``token`` stands with the row of ``where`` (one read), and the row's
        ``fields`` read with it (empty when the row is gone)."""
        row = self._rows(where).values_list(self.holder, *fields).first()
        if row is None:
            return Fence.GONE, ()
        holder, rest = row[0], tuple(row[1:])
        if holder is None:
            return Fence.FREE, rest
        return (Fence.MINE if holder == token else Fence.ANOTHER), rest

    def held_rows(
        self,
        held: Sequence[Held],
        assignments: str,
        params: Sequence[Param] = (),
        *,
        where: str = "",
        where_params: Sequence[Param] = (),
    ) -> list[int]:
        """One ``UPDATE … SET assignments WHERE (id, token) IN (held) [AND where]`` over
        the rows still held as ``held`` says; the ids it updated (sorted)."""
        if not held:
            return []
        table = connection.ops.quote_name(self.model._meta.db_table)
        pk, token = self._column("pk"), self._column(self.holder)
        pairs = ", ".join("(%s, %s)" for _ in held)
        pair_params: list[Param] = [value for pair in held for value in pair]
        also = f" AND {where}" if where else ""
        sql = (
            f"UPDATE {table} SET {assignments} "  # noqa: S608 - names quoted, values bound
            f"WHERE ({pk}, {token}) IN (VALUES {pairs}){also} RETURNING {pk}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *pair_params, *where_params])
            return sorted(row[0] for row in cursor.fetchall())

    def extend_rows(
        self, held: Sequence[Held], *, where: str = "", where_params: Sequence[Param] = ()
    ) -> list[int]:
        """``held_rows`` extended: the ids the holders still hold."""
        return self.held_rows(
            held,
            f"{self._column(self.until or '')} = %s",
            [self.end()],
            where=where,
            where_params=where_params,
        )

    def release_rows(
        self,
        held: Sequence[Held],
        assignments: str = "",
        params: Sequence[Param] = (),
        *,
        where: str = "",
        where_params: Sequence[Param] = (),
    ) -> list[int]:
        """``held_rows`` let go (and ``assignments`` made): the ids let go."""
        freed = [f"{self._column(self.holder)} = NULL"]
        if self.until is not None:
            freed.insert(0, f"{self._column(self.until)} = NULL")
        sets = ", ".join([*([assignments] if assignments else []), *freed])
        return self.held_rows(held, sets, params, where=where, where_params=where_params)


def stall_window() -> timedelta:
    """TAGGARR_SCAN_STALL_SECONDS: a scan's leases' length, and the silence after which
    a run's work is sent again."""
    return timedelta(seconds=settings.SCAN_STALL_SECONDS)


def _minutes(n: int) -> Callable[[], timedelta]:
    return lambda: timedelta(minutes=n)


# Each kind's lease, declared once.
# A scan's items: a process's desk beats for them (scanner.pipeline.runtime.desk_beat).
ITEMS = Lease(ScanItem, holder="lease_token", until="leased_until", length=stall_window)
# A run's apply step: its heartbeat extends it (scanner.pipeline.runtime.heartbeat).
APPLY = Lease(ScanRun, holder="apply_token", until="apply_leased_until", length=stall_window)
# An artwork image: longer than a chunk's fetches take at their bound (artwork.fetch).
ARTWORK = Lease(ArtworkFetch, holder="lease_token", until="leased_until", length=_minutes(10))
# A person account's tracks in Plex: longer than one item's requests at their bounds
# (the lease is extended before each write): a holder silent this long has died.
PERSON_TRACKS = Lease(TrackLease, holder="token", until="leased_until", length=_minutes(10))
# A Seerr ask's telling: its exchanges with Seerr are bounded by the HTTP deadlines, far
# below; past it the teller is taken as dead (killed mid-answer).
SEERR_TELLING = Lease(SeerrAsk, holder="telling_since", until=None, length=_minutes(10))
# An item's default tracks planned and written (scanner.default_tracks.lease): extended
# before each file's write; a file's read and write are bounded by the hold limit, far below.
DEFAULT_TRACKS = Lease(DefaultTrackLease, holder="token", until="leased_until", length=_minutes(10))
# An item's quality profile planned and written (scanner.wish_profiles.lease): a few
# requests to the *arr, each bounded by its timeouts, retried within
# TAGGARR_ARR_RETRY_SECONDS (far below): extended before each write.
WISH_PROFILES = Lease(ProfileLease, holder="token", until="leased_until", length=_minutes(10))
# An item's badges planned and written (scanner.badges.lease): a poster read, drawn and
# replaced, each within the hold limit (far below): extended before each write.
BADGES = Lease(BadgeLease, holder="token", until="leased_until", length=_minutes(10))
