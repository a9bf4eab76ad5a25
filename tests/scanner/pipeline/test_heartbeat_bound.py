"""A step's heartbeat never holds the step past its end (issue 69, item 2: every wait has
a deadline): a beat stuck on a row another session locks (as a stuck transaction or a
database that stopped answering holds it) is left behind when the step ends."""

from __future__ import annotations

import logging
import threading
import time

import psycopg
import pytest
from django.db import connection

from scanner.models import RunRequest, ScanRun
from scanner.pipeline.runtime import heartbeat
from scanner.pipeline.state import runs
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db(transaction=True)
GENEROUS = 120.0  # seconds


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database"
)
def test_a_beat_stuck_on_a_locked_row_does_not_hold_the_step(
    settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SCAN_STALL_SECONDS = 10  # type: ignore[attr-defined]  # a beat every 1.7 s
    run = runs.create_run(InstanceFactory(), RunRequest(ScanRun.Trigger.API))
    params = connection.get_connection_params()
    with (
        psycopg.connect(**params, autocommit=False) as other,
        psycopg.connect(**params, autocommit=True) as looking,
    ):
        # Another session holds the run's row: the beat's UPDATE waits for it (PostgreSQL
        # waits for ever without a lock_timeout).
        other.execute("SELECT 1 FROM scanner_scanrun WHERE id = %s FOR UPDATE", [run.pk])
        ended = threading.Event()

        def step() -> None:
            with heartbeat.beating(run.pk):
                _wait_for_a_beat_waiting_on_the_lock(looking)
            ended.set()

        with caplog.at_level(logging.WARNING, logger=heartbeat.__name__):
            stepping = threading.Thread(target=step, daemon=True)
            stepping.start()
            # A bound for a loaded machine, never waited out: the step ends one beat
            # interval after its block, or (before issue 69) never.
            held = not ended.wait(GENEROUS)
            other.rollback()  # the lock goes; the beat left behind ends
            stepping.join(GENEROUS)
    assert not held, "the step was held by its heartbeat"
    assert "the heartbeat did not stop" in caplog.text


def _wait_for_a_beat_waiting_on_the_lock(looking: psycopg.Connection) -> None:
    """Until PostgreSQL shows the beat's UPDATE waiting for the row lock (no sleep: each
    look is a query that answers at once; outside a transaction, which would keep its
    first snapshot of pg_stat_activity). In this test's database only: pg_stat_activity
    lists every database's sessions, and another test process's UPDATE waiting on a
    lock of its own (make test's other databases) is not this beat."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database() AND query LIKE %s"
    )
    give_up = time.monotonic() + GENEROUS  # a bound for a loaded machine, never waited out
    while time.monotonic() < give_up:
        (waiting,) = looking.execute(query, ['UPDATE "scanner_scanrun"%']).fetchone() or (0,)
        if waiting:
            return
    raise AssertionError("the beat never waited on the locked row")
