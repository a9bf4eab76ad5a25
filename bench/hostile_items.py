"""Issue 58's target: a hanging *arr, 2,000 series, default settings: the run ends
*unreachable* within 3 minutes, inline (``scan --inline``'s runner) and on a real Celery
worker (the default TAGGARR_WORKER_CONCURRENCY).

The fake Sonarr (fakes/arr, in this process) lists 2,000 series, each with an episode
file, and never answers their ``episodefile`` requests (it accepts them and holds them:
``stall_episode_files``), so the plan succeeds and every item must ask. The defaults:
TAGGARR_ARR_RETRY_SECONDS 120, the instance's read timeout 30 s: the bound of
scanner.pipeline.state.unreachable is 150 s after the first unanswered request.

    .venv/bin/python bench/hostile_items.py              # SQLite and the embedded broker
    .venv/bin/python bench/hostile_items.py --series 200 --budget 20 --read-timeout 5

It prints, per path, the run's end, the seconds from its first unanswered request to its
end as the database recorded them (against the bound), the seconds from the scan's start
(against 3 minutes) and the episodefile requests the *arr received; exits 1 when a
bound is missed. A throwaway data dir; a figure, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fakes.arr import FakeArr
    from scanner.models import Instance

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.standalone import embedded_django, scan_on_a_worker  # noqa: E402 - after the path

KEY = "0123456789abcdef0123456789abcdef"
TARGET_SECONDS = 180.0
UNMOUNTED = "/mnt/not-mounted-here/tv"
REMOTE = "/data/tv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--budget", type=int, default=120, help="TAGGARR_ARR_RETRY_SECONDS")
    parser.add_argument("--read-timeout", type=float, default=30.0, help="the instance's")
    options = parser.parse_args()
    embedded_django("taggarr-hang-items-", options.budget)
    from fakes.arr import FakeArr, FakeArrOptions
    from fakes.arr.samples import build_series

    ids = range(1, options.series + 1)
    items = [
        build_series(n, path=f"{REMOTE}/Show {n}", original_language="Japanese", seasons=1)
        for n in ids
    ]
    fake_options = FakeArrOptions(app="sonarr", api_key=KEY, stall_s=3600.0)
    results = []
    with FakeArr(fake_options, items=items) as fake:
        for n in ids:
            fake.state.set_episode_files(n, [_episode_file(n)])
        fake.state.stall_episode_files(set(ids))
        instance = _instance(fake.url, options.read_timeout)
        results.append(_inline(instance, fake))
        results.append(_worker(instance, fake))
    bound = options.budget + options.read_timeout
    failed = False
    print(f"a hanging Sonarr, {options.series} series, budget {options.budget} s, "
          f"read timeout {options.read_timeout:g} s")  # fmt: skip
    for path, recorded, wall, asked, ended in results:
        over = recorded is None or recorded > bound or wall > TARGET_SECONDS
        failed |= over
        shown = "never" if recorded is None else f"{recorded:.1f}"
        print(
            f"{path}: {ended}; first unanswered request to the end {shown} s (bound {bound:g}), "
            f"scan start to end {wall:.1f} s (target {TARGET_SECONDS:g}), "
            f"episodefile requests {asked}{' OVER' if over else ''}"
        )
    return 1 if failed else 0


def _episode_file(series_id: int) -> dict[str, object]:
    name = f"Show {series_id} - S01E01.mkv"
    return {
        "id": series_id * 10, "seriesId": series_id, "seasonNumber": 1,
        "relativePath": f"Season 01/{name}", "path": f"{REMOTE}/Show {series_id}/Season 01/{name}",
        "size": 1000, "dateAdded": "2024-01-01T00:00:00Z",
        "mediaInfo": {"audioLanguages": "jpn/eng", "audioStreamCount": 2, "subtitles": ""},
    }  # fmt: skip


def _instance(url: str, read_timeout: float) -> Instance:
    from scanner.models import Instance

    instance = Instance(
        name="hanging", kind=Instance.Kind.SONARR, url=url, root_folders=[UNMOUNTED],
        path_mappings=[{"remote": REMOTE, "local": UNMOUNTED}], target_languages=["eng"],
        audio_source=Instance.AudioSource.ARR, read_timeout=read_timeout,
    )  # fmt: skip
    instance.set_api_key(KEY)
    instance.save()
    return instance


def _inline(instance: Instance, fake: FakeArr) -> tuple[str, float | None, float, int, str]:
    from scanner.models import RunRequest, ScanRun
    from scanner.pipeline.runtime.inline import run_inline
    from scanner.pipeline.state import runs
    from scanner.pipeline.work import Plan

    fake.state.reset_counters()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    started = time.monotonic()
    run_inline((Plan(run.pk),))
    return ("inline", *_measured(run.pk, time.monotonic() - started, fake))


def _worker(instance: Instance, fake: FakeArr) -> tuple[str, float | None, float, int, str]:
    from scanner.models import RunRequest, ScanRun
    from scanner.pipeline.state import runs

    fake.state.reset_counters()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    wall = scan_on_a_worker(run.pk, "hang-items", 3 * TARGET_SECONDS)
    return ("worker", *_measured(run.pk, wall, fake))


def _measured(run_id: int, wall: float, fake: FakeArr) -> tuple[float | None, float, int, str]:
    from scanner.models import Event, ScanRun

    run = ScanRun.objects.get(pk=run_id)
    recorded = None
    if run.finished_at is not None and run.arr_unanswered_since is not None:
        recorded = (run.finished_at - run.arr_unanswered_since).total_seconds()
    ended = Event.objects.filter(run=run, kind=Event.Kind.SCAN_FINISHED).first()
    cause = ended.data.get("cause", "") if ended is not None else ""
    asked = fake.state.counters().get(("GET", "/api/v3/episodefile"), 0)
    summary = f"{run.status} ({cause or 'no cause'}), {run.items_failed}/{run.items_total} failed"
    return recorded, wall, asked, summary


if __name__ == "__main__":
    sys.exit(main())
