"""The database taken back to a module's ``BEFORE`` migrations for a migration's test,
and forward to the latest after it, as the other tests expect it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def migrated_back(request: pytest.FixtureRequest) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    executor.migrate(request.module.BEFORE)
    yield executor
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
