from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner import tasks
from scanner.pipeline.work import Work
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


@pytest.fixture
def sent_work(monkeypatch: pytest.MonkeyPatch) -> list[Work]:
    """What scanner.tasks.send hands to the broker, kept here instead. (It is sent when
    the transaction commits: wrap the call in ``django_capture_on_commit_callbacks``
    with ``execute=True`` in a test inside a transaction.)"""
    sent: list[Work] = []
    monkeypatch.setattr(tasks, "enqueue", sent.append)
    return sent
