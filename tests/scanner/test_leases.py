"""The one lease module (scanner.leases): a token takes free or lapsed work in one
statement, holds it only while it is its own, lets it go, and its fence says where it
stands; many holders' rows moved by (id, token) pairs; tokens made one way; and of
takers in separate processes at once, exactly one gets the work."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from scanner import leases
from scanner.leases import APPLY, ITEMS, Fence, Lease
from scanner.models import ScanItem, ScanRun
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import at_once

pytestmark = pytest.mark.django_db

MINE, THEIRS = 11, 22


def _run(**values: object) -> ScanRun:
    return ScanRunFactory(status=ScanRun.Status.APPLYING, **values)


def _until(run: ScanRun) -> object:
    return ScanRun.objects.values_list("apply_leased_until", flat=True).get(pk=run.pk)


def test_tokens_are_made_one_way() -> None:
    made = {leases.new_token() for _ in range(100)}
    assert len(made) == 100
    assert all(0 < token < 2**63 for token in made)
    task_id = "1f0e9d3c-4b5a-4c2d-9e8f-7a6b5c4d3e2f"
    assert leases.token_of(task_id) == leases.token_of(task_id)  # delivered again: the same
    assert leases.token_of(task_id) != leases.token_of(task_id.replace("1f", "2f"))
    assert 0 < leases.token_of(task_id) < 2**63
    assert leases.token_of("") > 0  # no id (a call outside a task): a fresh token


def test_take_hold_release_and_the_fence() -> None:
    run = _run()
    where = Q(pk=run.pk)
    assert APPLY.fence(MINE, where) == (Fence.FREE, ())
    assert APPLY.take(MINE, where) == 1
    assert APPLY.take(MINE, where) == 1  # its own retry takes it back
    assert APPLY.take(THEIRS, where) == 0  # held, and the lease runs
    assert APPLY.fence(MINE, where, "status") == (Fence.MINE, (ScanRun.Status.APPLYING,))
    assert APPLY.fence(THEIRS, where)[0] == Fence.ANOTHER
    assert APPLY.hold(THEIRS, where) == 0
    ScanRun.objects.filter(pk=run.pk).update(apply_leased_until=timezone.now())
    before = _until(run)
    assert APPLY.hold(MINE, where, heartbeat_at=timezone.now()) == 1  # extended
    assert _until(run) > before  # type: ignore[operator]
    assert APPLY.release(THEIRS, where) == 0  # frees nothing of another's
    assert APPLY.release(MINE, where) == 1
    assert _until(run) is None
    assert APPLY.fence(MINE, where)[0] == Fence.FREE
    assert APPLY.take(THEIRS, where) == 1
    assert APPLY.fence(MINE, Q(pk=10**9)) == (Fence.GONE, ())


def test_a_lapsed_lease_is_taken_and_its_old_holder_holds_nothing() -> None:
    run = _run()
    where = Q(pk=run.pk)
    assert APPLY.take(MINE, where)
    assert ScanRun.objects.filter(APPLY.held_by_another(THEIRS, timezone.now())).exists()
    ScanRun.objects.filter(pk=run.pk).update(apply_leased_until=timezone.now())
    assert not ScanRun.objects.filter(APPLY.held_by_another(THEIRS, timezone.now())).exists()
    assert APPLY.take(THEIRS, where) == 1
    assert APPLY.hold(MINE, where) == 0  # the paused holder's fence
    assert APPLY.release(MINE, where) == 0
    assert APPLY.fence(MINE, where)[0] == Fence.ANOTHER


def test_a_lease_of_the_take_time_runs_out_its_length_after_it() -> None:
    """A lease whose token is the take's time (a Seerr telling): free when empty or
    older than its length, released by that time only."""
    since = Lease(ScanRun, holder="heartbeat_at", until=None, length=lambda: timedelta(minutes=1))
    run = _run(heartbeat_at=None)
    where = Q(pk=run.pk)
    first = timezone.now()
    assert since.take(first, where, now=first) == 1
    assert since.take(first + timedelta(seconds=30), where) == 0  # held for a minute
    later = first + timedelta(minutes=2)
    assert since.take(later, where, now=later) == 1  # ran out: taken
    assert since.release(first, where) == 0  # the first teller frees nothing
    assert since.fence(first, where)[0] == Fence.ANOTHER
    assert since.release(later, where, status=ScanRun.Status.SUCCEEDED) == 1
    assert ScanRun.objects.values_list("heartbeat_at", "status").get(pk=run.pk) == (
        None,
        ScanRun.Status.SUCCEEDED,
    )


def test_many_holders_rows_move_by_their_pairs() -> None:
    instance = InstanceFactory()
    run = ScanRun.objects.create(instance=instance, trigger="api", status=ScanRun.Status.RUNNING)
    a, b, c = (
        ScanItem.objects.create(run=run, media=MediaFactory(instance=instance)) for _ in "abc"
    )
    ITEMS.take(MINE, Q(pk__in=[a.pk, b.pk]))
    ITEMS.take(THEIRS, Q(pk=c.pk))
    held = [(a.pk, MINE), (b.pk, MINE), (c.pk, MINE)]  # c is not MINE
    assert ITEMS.extend_rows(held) == [a.pk, b.pk]
    assert ITEMS.extend_rows([]) == []
    pending: list[str | int] = [ScanItem.Status.PENDING]
    done = ITEMS.release_rows(
        [(a.pk, MINE)],
        "status = %s",
        [ScanItem.Status.DONE],
        where="status = %s",
        where_params=pending,
    )
    assert done == [a.pk]
    assert ITEMS.extend_rows([(a.pk, MINE)]) == []  # let go: no longer held
    assert ITEMS.release_rows([(b.pk, MINE), (c.pk, THEIRS)]) == [b.pk, c.pk]
    rows = ScanItem.objects.filter(run=run).values_list("status", "lease_token", "leased_until")
    assert sorted(rows) == sorted(
        [(ScanItem.Status.DONE, None, None), *[(ScanItem.Status.PENDING, None, None)] * 2]
    )


TAKER = """
import json, sys
import django
django.setup()
from django.db.models import Q
from scanner.leases import APPLY
run_id, token = int(sys.argv[1]), int(sys.argv[2])
sys.stdin.readline()  # every taker starts at once
print(json.dumps(APPLY.take(token, Q(pk=run_id))))
"""


@pytest.mark.django_db(transaction=True)
def test_of_takers_at_once_exactly_one_gets_the_work() -> None:
    """Four processes take the same free work at the same moment: one gets it, with
    its token; the others get nothing."""
    run = _run()
    tokens = (101, 102, 103, 104)
    outputs = at_once(TAKER, [[str(run.pk), str(token)] for token in tokens])
    taken = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    assert sorted(taken) == [0, 0, 0, 1]
    winner = tokens[taken.index(1)]
    assert ScanRun.objects.values_list("apply_token", flat=True).get(pk=run.pk) == winner
