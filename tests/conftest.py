from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.worker import WorkerProcess, celery_worker


@pytest.fixture
def worker(transactional_db: None) -> Iterator[WorkerProcess]:
    """A real Celery worker process on the test database (committed data only)."""
    with celery_worker() as process:
        yield process


@pytest.fixture(scope="session", autouse=True)
def _empty_broker() -> None:
    """No task left over from an earlier session may reach this session's workers."""
    from taggarr.celery import app

    app.control.purge()
