"""The database taken back to a module's ``BEFORE`` migrations for a migration's test,
and forward to the latest after it, as the other tests expect it.

On SQLite "forward to the latest" is the copy of the database taken before it went
back (SQLite's backup of the file: milliseconds), not the migrations run again (seconds
of rendering model states and remaking tables, after each of these tests): what the
test asserts it asserts before, and the database the next test finds is the one this
test found. On PostgreSQL the migrations run forward, as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _copy(source: str | Path, target: str | Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


@pytest.fixture
def migrated_back(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MigrationExecutor]:
    kept = None
    if connection.vendor == "sqlite":
        kept = tmp_path / "latest.sqlite3"
        connection.close()
        _copy(connection.settings_dict["NAME"], kept)
    executor = MigrationExecutor(connection)
    executor.migrate(request.module.BEFORE)
    yield executor
    if kept is not None:
        connection.close()
        _copy(kept, connection.settings_dict["NAME"])
        return
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
