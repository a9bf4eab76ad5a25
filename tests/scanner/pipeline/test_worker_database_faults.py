"""A real worker against the faults a real database has: a window in which PostgreSQL is
read-only (a failover's new primary, a managed database on a full disk), and the
database gone at the moment an item is stored. The worker rides both out and the run
succeeds; nothing dies silently.

The faults are made on the test's own database only (``ALTER DATABASE`` of the test
database, ``pg_terminate_backend`` of the worker's sessions on it), never on the server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, database_write_lock, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

RIDDEN_OUT = {"TAGGARR_ARR_RETRY_SECONDS": "120"}  # the tests' default is 0: no retries
# A short lease, so that the desk beats every ~2 s (the read-only window meets a beat);
# the retry budget under it, as the start-up requires (no wait may outlast the lease).
FAST = {"TAGGARR_SCAN_STALL_SECONDS": "12", "TAGGARR_ARR_RETRY_SECONDS": "11"}


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a read-only or refusing database: PostgreSQL's ALTER DATABASE")


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def _database() -> str:
    return connection.ops.quote_name(connection.settings_dict["NAME"])


def _others(spare: tuple[int, ...] = ()) -> list[int]:
    """The sessions on the test database but this test's own (and ``spare``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall() if pid not in spare]


def _terminate_others(spare: tuple[int, ...] = ()) -> None:
    with connection.cursor() as cursor:
        for pid in _others(spare):
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def _wait_for(what: str, done) -> None:  # type: ignore[no-untyped-def]
    """Poll the database's state until ``done()`` (bounded by LOG_TIMEOUT)."""
    deadline = time.monotonic() + LOG_TIMEOUT
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        time.sleep(0.1)  # polling the database for a state, not waiting for time


@contextmanager
def _read_only() -> Iterator[None]:
    """The test database read-only for every session but this test's: new sessions
    start read-only and the open ones are ended (as a failover ends them)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {_database()} SET default_transaction_read_only = on")
    _terminate_others()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {_database()} RESET default_transaction_read_only")
        _terminate_others()  # sessions opened meanwhile are read-only for their life


@contextmanager
def _refusing_connections() -> Iterator[None]:
    """The test database takes no new session (PostgreSQL refuses that statement on a
    session of the database itself: it is sent from one on the server's maintenance
    database, ``postgres``, as Django's test runner creates databases: DATABASE_URL's
    own need not exist)."""
    import psycopg

    settings = connection.settings_dict
    admin = psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )
    try:
        admin.execute(f"ALTER DATABASE {_database()} WITH ALLOW_CONNECTIONS false")
        try:
            yield
        finally:
            admin.execute(f"ALTER DATABASE {_database()} WITH ALLOW_CONNECTIONS true")
    finally:
        admin.close()


def test_a_read_only_window_is_ridden_out_by_one_worker_and_the_run_succeeds(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """One worker holds items (their *arr answers slowly) when the database turns
    read-only: its heartbeat, its stores and its claims meet "cannot execute UPDATE in a
    read-only transaction" (SQLSTATE 25006). That is an outage: the items wait for
    their retries, the desk goes on, and once the database takes writes again the run
    succeeds with every tag right. (Before: the desk's thread died on the first beat,
    every task waited on it for ever and the run stayed where it was.)"""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    with celery_worker(concurrency=4, extra_env=FAST) as worker:
        run = _start(instance)
        assert sonarr.state.wait_stalled(2, LOG_TIMEOUT)  # items claimed and being read
        with _read_only():
            sonarr.state.release_stalls()
            # The window lasts until the worker met it at a beat or a store.
            worker.wait_for("read-only transaction")
            worker.wait_for(r"trying again in|heartbeat not written")
        worker.wait_for(run_finished(run.pk))
        output = "".join(worker.output)
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items), 0)
    assert arr_tags(sonarr) == tv_library.expected
    assert "Exception in thread" not in output  # no thread died


def test_a_database_gone_at_the_store_lets_the_items_retry_take_its_own_lease_back(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """The worker's store of an item meets the database going away (its sessions ended,
    new ones refused): the item could not be released, so it stays leased with the
    claim's token. The item's retry carries that token and takes the item back at
    once; before, it ended SUCCESS "another task holds the item" and the item waited
    for its lease to lapse and beat's recovery (none here: the run never ended)."""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    # The lease's default length (90 s): it cannot lapse before the retry comes.
    with celery_worker(concurrency=1, extra_env=RIDDEN_OUT) as worker:
        run = _start(instance)
        assert sonarr.state.wait_stalled(1, LOG_TIMEOUT)
        (held,) = ScanItem.objects.filter(run=run, leased_until__isnull=False).values_list(
            "pk", flat=True
        )
        with database_write_lock(ScanItem._meta.db_table, held):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND query LIKE '%%FOR UPDATE'"
                )
                locker = tuple(pid for (pid,) in cursor.fetchall())
            sonarr.state.release_stalls()

            def store_waits() -> bool:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND wait_event_type = 'Lock'"
                    )
                    return cursor.fetchone()[0] > 0

            _wait_for("the worker's store waits on the item's row", store_waits)
            with _refusing_connections():
                _terminate_others(spare=locker)
                worker.wait_for(rf"item {held}: .*; trying again in")
        ended = worker.wait_for(rf"{run_finished(run.pk)}|another task holds the item")
        taken_back = worker.count("another task holds the item") == 0
    assert taken_back, ended
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items), 0)
    assert arr_tags(sonarr) == tv_library.expected
