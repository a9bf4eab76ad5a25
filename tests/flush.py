"""The database emptied after a ``transaction=True`` test, without Django's post_migrate
rebuild when nothing needs it.

Django's TransactionTestCase empties every table after the test (``manage.py flush``),
then sends post_migrate, whose receivers write back the content types and permissions
of every model: nine tenths of the flush's time, after each of the suite's hundreds of
transactional tests. Those two tables are left alone here when they hold exactly what
the last rebuild wrote (their counts and highest ids unchanged: no test added, deleted
or replaced a row), so the database after the test is the one Django's flush leaves;
when a test changed them, Django's own flush and rebuild run, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connections
from django.test import TransactionTestCase

# What post_migrate writes back (django.contrib.contenttypes and .auth's receivers).
REBUILT = ("django_content_type", "auth_permission")

Fingerprint = tuple[tuple[int, int], ...]
_rebuilt: dict[str, Fingerprint] = {}  # by database alias: the tables after the last rebuild


def _fingerprint(alias: str) -> Fingerprint:
    with connections[alias].cursor() as cursor:
        found = []
        for table in REBUILT:
            cursor.execute(f"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            count, highest = cursor.fetchone()
            found.append((int(count), int(highest)))
    return tuple(found)


def _empty_all_but_rebuilt(alias: str) -> None:
    connection = connections[alias]
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in REBUILT
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=False)
    connection.ops.execute_sql_flush(statements)


def fast_fixture_teardown(django_flush: Callable[[Any], None]) -> Callable[[Any], None]:
    """TransactionTestCase._fixture_teardown for this suite (no ``available_apps`` nor
    ``serialized_rollback`` is used here: those keep Django's own)."""

    def teardown(case: TransactionTestCase) -> None:
        if case.available_apps is not None or case.serialized_rollback:
            django_flush(case)
            return
        aliases = list(case._databases_names(include_mirrors=False))  # type: ignore[attr-defined]
        if all(alias in _rebuilt and _fingerprint(alias) == _rebuilt[alias] for alias in aliases):
            for alias in aliases:
                _empty_all_but_rebuilt(alias)
            return
        django_flush(case)
        for alias in aliases:
            _rebuilt[alias] = _fingerprint(alias)

    return teardown
