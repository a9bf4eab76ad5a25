"""The plan's memory does not grow with the list past a batch (issue 83, item 1).

Measured with tracemalloc (allocations made while the plan step runs, never the clock):
the plan of a real fake Radarr's list (``GET /api/v3/movie``, one JSON array of every
movie with its file embedded, Radarr/Radarr src/Radarr.Api.V3/Movies/MovieController.cs
``AllMovie``), on the ``arr`` audio source so that no folder is needed. A plan that kept
something for every listed item (the listing held whole, each batch's rows or scan items
kept to the end) would cost kilobytes per item; what may grow is a few hundred bytes an
item: its id, and its folder (two items sharing one are told apart).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fakes.arr.samples import build_movie
from scanner.models import Instance, RunRequest, ScanRun
from scanner.pipeline.scanning import spool as spool_module
from scanner.pipeline.scanning import sync as sync_module
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY
from tests.scanner.pipeline.applying import allocated_peak

pytestmark = pytest.mark.django_db(transaction=True)

REMOTE = "/movies"
LOCAL = "/srv/taggarr-test-movies"  # never opened: the arr audio source reads no folder
SIZES = (150, 300, 600)
BATCH = 50  # each size several batches (sync.BATCH), and the list mostly on disk
IN_MEMORY = 50  # (spool.IN_MEMORY): as 70,000 items are past 400 and 2,000
# What one more listed movie may cost the plan past the first batches: its id and its
# folder. A plan that held each movie (its SourceItem, its Media row and the payload of
# its ScanItem, the movie's file as Radarr lists it) cost 6.8 KB an item, before the
# listing was spooled and each batch's scan items stored with it. A budget, not a
# measurement.
BUDGET_PER_ITEM = 1024


@contextmanager
def _radarr(movies: int, first_id: int, folder: Path) -> Iterator[str]:
    """The fake Radarr in a process of its own (``python -m fakes.arr``), so that what it
    allocates to serve the list is not counted as the plan's; yields its address."""
    items = [
        build_movie(first_id + number, path=f"{REMOTE}/Movie {first_id + number} (2020)")
        for number in range(movies)
    ]
    items_file = folder / f"radarr-{movies}.json"
    items_file.write_text(json.dumps(items), encoding="utf-8")
    command = [
        sys.executable, "-m", "fakes.arr", "--app", "radarr", "--version", "5.2.0.0",
        "--host", "127.0.0.1", "--port", "0", "--api-key", ARR_KEY, "--items", str(items_file),
    ]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as fake:
        try:
            assert fake.stdout is not None
            for line in fake.stdout:  # it says where it listens once it does
                found = re.search(rb"listening on (http://\S+)", line)
                if found:
                    break
            else:
                raise AssertionError("the fake Radarr ended without listening")
            yield found.group(1).decode()
        finally:
            fake.terminate()
            fake.stdout.close()


def _plan_peak(movies: int, first_id: int, folder: Path) -> int:
    """The peak of what the plan of a ``movies``-long list allocated, in bytes."""
    with _radarr(movies, first_id, folder) as url:
        instance = InstanceFactory(
            name=f"movies-{movies}",
            kind=Instance.Kind.RADARR,
            url=url,
            api_key=ARR_KEY,
            root_folders=[LOCAL],
            path_mappings=[{"remote": REMOTE, "local": LOCAL}],
            target_languages=["eng"],
            audio_source=Instance.AudioSource.ARR,
        )
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
        peak = allocated_peak(lambda: plan_run(run.pk))
        run.refresh_from_db()
        assert run.items_total == movies  # every movie planned (none read here)
    return peak


def test_the_plans_memory_does_not_grow_with_the_list_past_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "BATCH", BATCH)
    monkeypatch.setattr(spool_module, "IN_MEMORY", IN_MEMORY)
    _plan_peak(20, 900_000, tmp_path)  # warms what any plan loads once (queries, modules)
    peaks = {size: _plan_peak(size, size * 10_000, tmp_path) for size in SIZES}

    small, middle, large = SIZES
    first_step = (peaks[middle] - peaks[small]) / (middle - small)
    second_step = (peaks[large] - peaks[middle]) / (large - middle)
    assert first_step <= BUDGET_PER_ITEM, peaks
    assert second_step <= BUDGET_PER_ITEM, peaks
