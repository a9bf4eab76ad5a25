"""Redis restarted while a real worker scans: every item ends in a terminal state in
Taggarr's own rows (the run's API), the run succeeds, and nothing of the threads pool
logs an error for the connection it lost. Flower cannot show this (the task events of
the items that ended while the broker was away are dropped: README, "Workers"); the
run's page and API read the items' rows.

The Redis is the test's own (a redis-server on a free port, its append-only file in a
temporary folder, as the compose file's Redis keeps one): stopping it stops no one
else's broker."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import current_app
from django.test import Client
from kombu import Connection

from fakes.arr import FakeArr, FakeArrOptions, generate_library
from fakes.arr.samples import build_episode_file
from scanner.models import Instance, RunRequest, ScanRun
from scanner.pipeline.state import runs
from tests.helpers import ARR_KEY, UNMOUNTED_TV, free_port, sonarr_over
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished, task_done

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="the embedded broker is files in the data dir: there is no server to restart",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

ITEMS = 24
HELD = 4  # the worker's threads: each holds an item (its *arr hangs) when Redis stops


class OwnRedis:
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        ready = threading.Event()

        def read(process: subprocess.Popen[str]) -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if "Ready to accept connections" in line:
                    ready.set()
            ready.set()

        threading.Thread(target=read, args=(self.process,), daemon=True).start()
        if not ready.wait(LOG_TIMEOUT) or self.process.poll() is not None:
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(LOG_TIMEOUT)


@contextmanager
def own_redis(folder: Path) -> Iterator[OwnRedis]:
    redis = OwnRedis(folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    """A fake Sonarr of 24 series, one English episode file each."""
    items = generate_library("sonarr", ITEMS)
    for item in items:
        item["path"] = f"/data/tv/{item['title']}"
    with FakeArr(FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=items) as fake:
        for item in items:
            fake.state.set_episode_files(item["id"], [build_episode_file(item, item["id"])])
        yield fake


def test_a_broker_restart_while_a_worker_scans_ends_every_item_and_the_run(
    sonarr: FakeArr, admin_client: Client, tmp_path: Path
) -> None:
    """Four items held (their *arr hangs) when Redis stops; they end while it is away
    (their task events and acknowledgements cannot go out), Redis comes back with the
    other twenty messages (its append-only file), the worker reconnects and scans them."""
    instance = sonarr_over(sonarr, UNMOUNTED_TV, Instance.AudioSource.ARR)
    sonarr.state.stall_episode_files(set(range(1, ITEMS + 1)))  # generate_library's ids
    with (
        own_redis(tmp_path) as redis,
        celery_worker(concurrency=HELD, extra_env={"REDIS_URL": redis.url}) as worker,
    ):
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
        with Connection(redis.url) as connection:
            current_app.send_task("scanner.tasks.plan_scan", (run.pk,), connection=connection)
        assert sonarr.state.wait_stalled(HELD, LOG_TIMEOUT)  # every thread holds an item
        redis.stop()
        worker.wait_for(r"Connection to broker lost|Cannot connect to redis")
        sonarr.state.release_stalls()
        worker.wait_for(task_done("scan_item"), count=HELD)  # ended while Redis is away
        worker.wait_for(r"Cannot connect to redis", count=2)  # it keeps trying
        redis.start()
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (ITEMS, 0)
    counts = admin_client.get(f"/api/scans/{run.pk}/item-counts/").json()
    assert counts == {
        "scanned": ITEMS,
        "failed": 0,
        "waiting_for_retry": 0,
        "held": 0,
        "not_claimed": 0,
        "not_scanned": 0,
    }
    assert admin_client.get(f"/api/scans/{run.pk}/items/").json()["results"] == []
    # The threads pool cancels nothing on a lost connection (Celery's option for it
    # logged a NotImplementedError per running task).
    assert worker.count("NotImplementedError") == 0
