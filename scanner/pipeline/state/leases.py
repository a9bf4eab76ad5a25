"""Items held with a fencing token: who may extend, release, retry or store an item.

A claim leases items until ``now + TAGGARR_SCAN_STALL_SECONDS`` and writes a fresh
random token on them (``ScanItem.lease_token``). Everything the holder does afterwards
is an ``UPDATE … WHERE (id, lease_token) = (…, its token)``, before anything else is
written: a holder whose lease ran out and whose item another worker claimed (a paused
container, a database blip longer than the lease) matches no row, writes nothing and
frees nothing of the new holder's. On PostgreSQL the rows are taken with ``FOR UPDATE
SKIP LOCKED``, so concurrent claimers never wait on, nor aim at, the same rows.

An item waiting for its retry (``retry_at`` in the future) carries no token: no
heartbeat extends it, and only its retry (or, once it is overdue, the stalled-work
recovery) takes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from scanner.leases import ITEMS, Fence, Held, Param, new_token
from scanner.models import ScanItem, ScanRun

__all__ = ["Held", "new_token"]  # the item's lease and token, as scanner.leases has them

TABLE = ScanItem._meta.db_table
RUNS = ScanRun._meta.db_table


def lease_end(now: datetime) -> datetime:
    return ITEMS.end(now)


def claim(
    item_ids: Sequence[int],
    token: int,
    *,
    retries: Iterable[int] = (),
    own: Sequence[Held] = (),
) -> list[int]:
    """Lease the items of ``item_ids`` that are pending, held by nobody, not waiting for a
    retry (but those in ``retries``: their retry has come) and of a run that runs, with
    ``token``, in one statement; their ids. Each claim counts a start. An item of
    ``own`` still leased with the token given there is taken too: a task's retry takes
    back the lease its earlier try could not release (the database was down)."""
    if not item_ids:
        return []
    now = timezone.now()
    table, runs = connection.ops.quote_name(TABLE), connection.ops.quote_name(RUNS)
    wanted = ", ".join(str(int(pk)) for pk in item_ids)
    retry_ids = ", ".join(str(int(pk)) for pk in retries) or "NULL"
    # Integers only (ids and tokens), written into the statement as the ids are.
    own_pairs = ", ".join(f"({int(pk)}, {int(held)})" for pk, held in own)
    taken_back = f" OR (id, lease_token) IN (VALUES {own_pairs})" if own_pairs else ""
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    free = (
        f"SELECT id FROM {table} WHERE id IN ({wanted}) AND status = %s "  # noqa: S608
        f"AND (leased_until IS NULL OR leased_until <= %s{taken_back}) "
        f"AND (retry_at IS NULL OR retry_at <= %s OR id IN ({retry_ids})) "
        f"AND run_id IN (SELECT id FROM {runs} WHERE status = %s AND NOT cancel_requested)"
        f"{skip_locked}"
    )
    sql = (
        f"UPDATE {table} SET attempts = attempts + 1, leased_until = %s, lease_token = %s, "  # noqa: S608
        f"retry_at = NULL WHERE id IN ({free}) RETURNING id"
    )
    params: list[Param] = [
        lease_end(now),
        token,
        ScanItem.Status.PENDING,
        now,
        now,
        ScanRun.Status.RUNNING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


PENDING_ONLY = "status = %s"  # the rows still held are pending: done or failed, let go


def extend(held: Sequence[Held]) -> list[int]:
    """The holder is alive: its items stay its own; the ids it still holds."""
    return ITEMS.extend_rows(held, where=PENDING_ONLY, where_params=[ScanItem.Status.PENDING])


def mark_done(held: Sequence[Held]) -> list[int]:
    """The first write of a store: the items still held become done; their ids. Only
    these may have their results written (in the same transaction)."""
    return ITEMS.release_rows(
        held,
        "status = %s",
        [ScanItem.Status.DONE],
        where=PENDING_ONLY,
        where_params=[ScanItem.Status.PENDING],
    )


def mark_failed(held: Held, reason: str) -> bool:
    """The item, if still held, is failed with ``reason``."""
    return bool(
        ITEMS.release_rows(
            [held],
            "status = %s, error = %s",
            [ScanItem.Status.FAILED, reason[:2000]],
            where=PENDING_ONLY,
            where_params=[ScanItem.Status.PENDING],
        )
    )


def release(held: Sequence[Held]) -> list[int]:
    """The holder cannot go on (not the items' fault): they are free again and the start
    does not count."""
    return ITEMS.release_rows(
        held,
        "attempts = attempts - 1",
        where=PENDING_ONLY,
        where_params=[ScanItem.Status.PENDING],
    )


def wait_for_retry(held: Held, retry_at: datetime, since: datetime) -> bool:
    """The item, if still held, waits for its retry: no token (no heartbeat extends it),
    the start not counted (not a crash), ``since`` kept as the first try of its error."""
    return bool(
        ITEMS.release_rows(
            [held],
            "attempts = attempts - 1, retries = retries + 1, retry_at = %s, "
            "retrying_since = COALESCE(retrying_since, %s)",
            [retry_at, since],
            where=PENDING_ONLY,
            where_params=[ScanItem.Status.PENDING],
        )
    )


def taken_over(item_id: int, token: int | None) -> str | None:
    """Why a task that met an outage while holding the item with ``token`` (None: its
    claim was never answered, it holds nothing) must step aside: its fence says the item
    is no longer its own (done or failed meanwhile, or held with another token: its lease
    ran out and another task took it). None while the item is still its own, or free:
    the outage is then its own to ride out."""
    fence, row = ITEMS.fence(token, Q(pk=item_id), "status")
    if fence == Fence.GONE:
        return "the item is no longer part of a scan"
    if row[0] == ScanItem.Status.DONE:
        return "the item is scanned already"
    if row[0] == ScanItem.Status.FAILED:
        return "the item is failed already"
    if fence == Fence.ANOTHER:
        return "another task holds the item now"
    return None


def why_not_taken(item_ids: Sequence[int]) -> dict[int, str]:
    """Why each of these items was not claimed, in words for a task's result."""
    now = timezone.now()
    reasons: dict[int, str] = {}
    rows = ScanItem.objects.filter(pk__in=item_ids).values_list(
        "pk", "status", "leased_until", "retry_at", "run__status", "run__cancel_requested"
    )
    for pk, status, leased_until, retry_at, run_status, cancelled in rows:
        if status == ScanItem.Status.DONE:
            reasons[pk] = "already scanned (by another task of this item)"
        elif status == ScanItem.Status.FAILED:
            reasons[pk] = "already failed (by another task of this item)"
        elif run_status != ScanRun.Status.RUNNING or cancelled:
            reasons[pk] = f"not scanned: its scan is {'cancelled' if cancelled else run_status}"
        elif leased_until is not None and leased_until > now:
            reasons[pk] = "not scanned here: another task holds the item"
        elif retry_at is not None and retry_at > now:
            reasons[pk] = "not scanned here: the item waits for its retry"
        else:
            reasons[pk] = "not scanned here: another task took it meanwhile"
    for pk in item_ids:
        reasons.setdefault(pk, "not scanned: the item is no longer part of a scan")
    return reasons


def free_lapsed(run_id: int) -> list[int]:
    """The run's pending items whose holder stopped beating (its lease ran out) or whose
    retry is overdue by a lease's length (its message was lost with its worker), made
    free again for work sent anew; their ids. One statement: two callers never both
    get an item."""
    now = timezone.now()
    overdue = now - ITEMS.length()
    table = connection.ops.quote_name(TABLE)
    sql = (
        f"UPDATE {table} SET leased_until = NULL, lease_token = NULL, retry_at = NULL "  # noqa: S608
        "WHERE run_id = %s AND status = %s AND (leased_until <= %s "
        "OR (leased_until IS NULL AND retry_at <= %s)) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id, ScanItem.Status.PENDING, now, overdue])
        return sorted(row[0] for row in cursor.fetchall())
