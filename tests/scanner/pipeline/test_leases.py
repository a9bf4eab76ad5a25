"""Leases with an owner: a claim writes a token, and extending, releasing, retrying and
storing all require it; concurrent claimers in separate processes never take the same
item, nor wait on each other (PostgreSQL: FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from scanner.models import ScanItem, ScanRun
from scanner.pipeline.state import leases
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import at_once
from tests.worker import live_database_url

pytestmark = pytest.mark.django_db(transaction=True)

CHECKOUT = Path(__file__).resolve().parents[3]


def _items(count: int, *, status: str = ScanRun.Status.RUNNING) -> list[int]:
    instance = InstanceFactory()
    run = ScanRun.objects.create(instance=instance, trigger="api", status=status)
    return [
        ScanItem.objects.create(run=run, media=MediaFactory(instance=instance)).pk
        for _ in range(count)
    ]


def _row(pk: int) -> ScanItem:
    return ScanItem.objects.get(pk=pk)


def test_a_claim_writes_its_token_and_counts_a_start() -> None:
    ids = _items(3)
    assert leases.claim(ids[:2], 11) == ids[:2]
    assert {(_row(pk).lease_token, _row(pk).attempts) for pk in ids[:2]} == {(11, 1)}
    assert leases.claim(ids, 12) == ids[2:]  # the held ones are left alone
    assert _row(ids[2]).lease_token == 12


def test_items_of_a_run_that_does_not_run_are_not_claimed() -> None:
    assert leases.claim(_items(2, status=ScanRun.Status.CANCELLED), 1) == []
    ids = _items(1)
    ScanRun.objects.update(cancel_requested=True)
    assert leases.claim(ids, 1) == []


def test_a_holder_whose_lease_lapsed_writes_nothing_and_frees_nothing() -> None:
    """A paused worker's lease ran out and another worker took the item: the first
    holder's extend, release, retry, failure and store all match no row."""
    (pk,) = _items(1)
    leases.claim([pk], 1)
    ScanItem.objects.filter(pk=pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert leases.claim([pk], 2) == [pk]  # the second holder
    late = (pk, 1)
    assert leases.extend([late]) == []
    assert leases.release([late]) == []
    assert not leases.wait_for_retry(late, timezone.now(), timezone.now())
    assert not leases.mark_failed(late, "late")
    assert leases.mark_done([late]) == []
    row = _row(pk)
    assert (row.status, row.lease_token, row.attempts) == (ScanItem.Status.PENDING, 2, 2)
    assert leases.mark_done([(pk, 2)]) == [pk]  # the holder of the lease stores


def test_an_item_waiting_for_its_retry_holds_no_token_and_no_beat_extends_it() -> None:
    (pk,) = _items(1)
    leases.claim([pk], 5)
    due = timezone.now() + timedelta(minutes=1)
    assert leases.wait_for_retry((pk, 5), due, timezone.now())
    assert leases.extend([(pk, 5)]) == []  # the beat of its former holder
    row = _row(pk)
    assert (row.leased_until, row.lease_token, row.retry_at, row.retries) == (None, None, due, 1)
    assert leases.claim([pk], 6) == []  # not before its retry
    assert leases.claim([pk], 7, retries=[pk]) == [pk]  # its retry takes it


def test_the_first_try_of_an_error_is_kept_across_retries() -> None:
    (pk,) = _items(1)
    first = timezone.now() - timedelta(seconds=30)
    leases.claim([pk], 1)
    leases.wait_for_retry((pk, 1), timezone.now(), first)
    leases.claim([pk], 2, retries=[pk])
    leases.wait_for_retry((pk, 2), timezone.now(), timezone.now())
    assert _row(pk).retrying_since == first


def test_why_an_item_was_not_taken_is_told() -> None:
    done, held, waiting = _items(3)
    ScanItem.objects.filter(pk=done).update(status=ScanItem.Status.DONE)
    leases.claim([held], 1)
    ScanItem.objects.filter(pk=waiting).update(retry_at=timezone.now() + timedelta(minutes=1))
    reasons = leases.why_not_taken([done, held, waiting, 10**9])
    assert reasons[done].startswith("already scanned")
    assert "another task holds the item" in reasons[held]
    assert "waits for its retry" in reasons[waiting]
    assert "no longer part of a scan" in reasons[10**9]


CLAIMER = """
import json, os, random, sys
import django
django.setup()
from scanner.pipeline.state import leases
ids, token = json.loads(sys.argv[1]), int(sys.argv[2])
random.seed(token)
sys.stdin.readline()  # every claimer starts at once
taken = []
for _ in range(len(ids)):
    wanted = random.sample(ids, 8)  # overlapping asks, as a desk's batches are
    taken += leases.claim(wanted, token)
taken += leases.claim(ids, token)  # whatever is left
print(json.dumps(taken))
"""


def test_concurrent_claimers_never_take_the_same_item() -> None:
    """Four processes claim 200 items at once with overlapping asks: every item is
    claimed exactly once, with its claimer's token."""
    ids = _items(200)
    outputs = at_once(CLAIMER, [[json.dumps(ids), str(token)] for token in (101, 102, 103, 104)])
    taken = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    every = [pk for each in taken for pk in each]
    assert sorted(every) == sorted(ids)  # each exactly once
    tokens = dict(ScanItem.objects.values_list("pk", "lease_token"))
    for token, each in zip((101, 102, 103, 104), taken, strict=True):
        assert all(tokens[pk] == token for pk in each)  # held with its claimer's token


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database"
)
def test_a_claimer_skips_the_rows_another_is_claiming_instead_of_waiting() -> None:
    """Another claimer's transaction holds some of the rows (it is claiming them right
    now): a claim for those and others takes the others at once, without waiting for
    that transaction to end, and without taking the locked ones."""
    import psycopg

    ids = _items(6)
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname=settings["NAME"],
    )  # fmt: skip
    try:
        table = ScanItem._meta.db_table
        locked = ids[:3]
        other.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR UPDATE", [locked])  # noqa: S608
        env = {**os.environ, "DATABASE_URL": live_database_url()}
        claimer = subprocess.run(
            [sys.executable, "-c", SKIPPING, json.dumps(ids)],
            cwd=CHECKOUT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        other.rollback()
        other.close()
    assert claimer.returncode == 0, claimer.stderr
    assert json.loads(claimer.stdout.strip().splitlines()[-1]) == ids[3:]


SKIPPING = """
import json, sys
import django
django.setup()
from scanner.pipeline.state import leases
print(json.dumps(leases.claim(json.loads(sys.argv[1]), 77)))
"""
