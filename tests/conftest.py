from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.worker import WorkerProcess, celery_worker


@pytest.fixture
def worker(transactional_db: None) -> Iterator[WorkerProcess]:
    """A real Celery worker process on the test database (committed data only)."""
    with celery_worker() as process:
        yield process


@pytest.fixture(autouse=True)
def _empty_broker(request: pytest.FixtureRequest) -> None:
    """A test with a real worker starts from an empty queue: no task queued by an earlier
    test (or session) may reach its worker."""
    if request.node.get_closest_marker("worker") is None:
        return
    from taggarr.celery import app

    app.control.purge()
