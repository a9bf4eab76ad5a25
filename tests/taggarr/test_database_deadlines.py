"""A statement past TAGGARR_DB_STATEMENT_SECONDS, or a wait for a lock past
TAGGARR_DB_LOCK_SECONDS, is cancelled by PostgreSQL (issue 69, item 2): the error says
so (its cause, for the run's page), the transaction is rolled back whole, the retry policy
rides it out as an outage, and `manage.py migrate` runs without the statement limit.
The limits are made short on the test's own connection (libpq's ``options``, as the
settings give them); SQLite has no statement timeout (its busy timeout:
test_database_settings.py, and the live one below)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from scanner.errors import CAUSE_DATABASE_TIMEOUT, cause_of
from scanner.pipeline.retries import database_down
from tests.worker import database_write_lock

pytestmark = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement_timeout and lock_timeout are PostgreSQL's (SQLite: its busy timeout)",
)


@contextmanager
def _server_options(options: str) -> Iterator[None]:
    """The test connection opened again with libpq's ``options`` set to ``options``."""
    dict_options = connection.settings_dict["OPTIONS"]
    kept = dict_options.get("options")
    connection.close()
    dict_options["options"] = options
    try:
        yield
    finally:
        connection.close()
        if kept is None:
            dict_options.pop("options", None)
        else:
            dict_options["options"] = kept


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return str(cursor.fetchone()[0])


@on_postgresql
def test_a_new_connection_has_the_settings_deadlines() -> None:
    connection.close()  # the test database's migrate lifted it on the old one
    assert _show("statement_timeout") == "2min"
    assert _show("lock_timeout") == "1min"


@on_postgresql
def test_a_statement_past_its_deadline_fails_saying_so_and_writes_nothing() -> None:
    with _server_options("-c statement_timeout=200"):
        with pytest.raises(OperationalError) as raised, transaction.atomic():
            User.objects.create(username="written-before")
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(60)")  # cancelled at 200 ms, not waited out
        assert "statement timeout" in str(raised.value)
        assert cause_of(raised.value) == CAUSE_DATABASE_TIMEOUT
        assert database_down(raised.value)  # retried within the step's budget, then failed
        assert not User.objects.filter(username="written-before").exists()
        User.objects.create(username="written-after")  # the connection goes on
    assert User.objects.filter(username="written-after").exists()


@on_postgresql
def test_a_wait_for_a_lock_past_its_deadline_fails_saying_so() -> None:
    user = User.objects.create(username="locked")
    with _server_options("-c lock_timeout=200"):
        with database_write_lock("auth_user", user.pk), pytest.raises(OperationalError) as raised:
            User.objects.filter(pk=user.pk).update(first_name="changed")
        assert "lock timeout" in str(raised.value)
        assert cause_of(raised.value) == CAUSE_DATABASE_TIMEOUT
        assert User.objects.get(pk=user.pk).first_name == ""
        User.objects.filter(pk=user.pk).update(first_name="changed")  # the lock is gone
    assert User.objects.get(pk=user.pk).first_name == "changed"


@on_postgresql
def test_migrate_runs_without_the_statement_deadline() -> None:
    with _server_options("-c statement_timeout=200 -c lock_timeout=300"):
        assert _show("statement_timeout") == "200ms"
        call_command("migrate", verbosity=0)
        assert _show("statement_timeout") == "0"
        assert _show("lock_timeout") == "300ms"  # a migration still never queues for ever


def test_sqlite_connections_wait_out_their_busy_timeout_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 30_000
