"""A Sonarr that restarts in the middle of a worker scan: it answers 503 "starting up"
to every request for ``--outage`` seconds (40 by default), from the moment ``--at`` of
the items are done (30 %). With the default TAGGARR_ARR_RETRY_SECONDS (120) the run must
end ``succeeded`` with every tag as an undisturbed scan of the same library sets them.

The library is the fake's own (``--series`` series, each with episode files whose
languages vary), read through the ``arr`` audio source: nothing is mounted. Two fakes
hold the same library: one scanned inline, undisturbed, gives the expected tags; the
other is scanned by a real Celery worker (2 processes) and restarted meanwhile.

It prints what happened and exits 1 when the run did not succeed or a tag differs. Not
a figure: it shows a fault healing, in real time (about a minute).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/outage.py
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.throwaway_db import repeat_line, throwaway_database  # noqa: E402

LANGUAGES = ("eng", "jpn", "jpn/eng", "eng/jpn", "fre", "eng/fre", "")


def episode_files(
    series: dict[str, Any], first_id: int, rng: random.Random
) -> list[dict[str, Any]]:
    from fakes.arr.samples import build_episode_file

    return [
        build_episode_file(
            series, first_id + n, season=1 + n // 10, episode=1 + n % 10,
            audio_languages=rng.choice(LANGUAGES),
        )
        for n in range(20)
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--outage", type=float, default=40.0, help="seconds of 503s")
    parser.add_argument("--at", type=float, default=0.3, help="share of items done first")
    parser.add_argument("--latency-ms", type=float, default=40.0, help="per request")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="taggarr-outage-") as data_dir,
        throwaway_database(data_dir),
    ):
        return run(args, data_dir)


def run(args: argparse.Namespace, data_dir: str) -> int:
    from django.db import connection

    from fakes.arr import FakeArr, FakeArrOptions
    from fakes.arr.samples import generate_library
    from scanner.actions.scans import scan_inline, start_scan
    from scanner.models import Instance, RunRequest, ScanRun

    rng = random.Random(7)
    items = generate_library("sonarr", args.series, seed=7)
    files = [f for n, series in enumerate(items) for f in episode_files(series, n * 100, rng)]
    key = "0123456789abcdef0123456789abcdef"
    options = FakeArrOptions(app="sonarr", api_key=key, latency_s=args.latency_ms / 1000)

    def instance(name: str, fake: FakeArr) -> Instance:
        return Instance.objects.create(
            name=name, kind=Instance.Kind.SONARR, url=fake.url,
            root_folders=["/not-mounted/tv"], path_mappings=[
                {"remote": "/tv", "local": "/not-mounted/tv"}],
            target_languages=["eng"], audio_source=Instance.AudioSource.ARR,
        )  # fmt: skip

    with FakeArr(options, items=items) as calm, FakeArr(options, items=items) as restarting:
        for fake in (calm, restarting):
            fake.state.replace_episode_files(files)
        reference, restarted = instance("calm", calm), instance("restarting", restarting)
        for each in (reference, restarted):
            each.set_api_key(key)
            each.save()
        undisturbed = scan_inline(reference, RunRequest(ScanRun.Trigger.CLI))
        print(f"undisturbed inline scan: {undisturbed.status}, {undisturbed.items_total} items")

        env = {**os.environ, "DATABASE_URL": database_url(connection), "TAGGARR_DATA_DIR": data_dir}
        env["TAGGARR_LOG_LEVEL"] = "warning"
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "taggarr", "worker",
             "--concurrency", "2", "--without-mingle", "--without-gossip"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            started = start_scan(restarted, RunRequest(ScanRun.Trigger.CLI))
            outcome = follow(started, restarting, args)
        finally:
            worker.terminate()
            worker.wait(60)
        expected = tags_by_title(calm)
        got = tags_by_title(restarting)
        wrong = {title for title in expected if expected[title] != got.get(title)}
    print(outcome)
    print(f"tags: {len(expected) - len(wrong)} of {len(expected)} as the undisturbed scan's")
    print(repeat_line("bench/outage.py", sys.argv[1:] if len(sys.argv) > 1 else []))
    return 0 if outcome.endswith("succeeded") and not wrong else 1


def follow(run: Any, fake: Any, args: argparse.Namespace) -> str:
    """Restart the fake at ``--at`` of the items, for ``--outage`` s; the run's end."""
    started = time.monotonic()
    down_at = up_at = None
    while True:
        run.refresh_from_db()
        now = time.monotonic()
        if down_at is None and run.items_total and run.items_done >= args.at * run.items_total:
            fake.state.unavailable(True)
            down_at = now
            print(f"{now - started:5.1f} s: Sonarr restarts ({run.items_done} items done)")
        if down_at is not None and up_at is None and now - down_at >= args.outage:
            fake.state.unavailable(False)
            up_at = now
            print(f"{now - started:5.1f} s: Sonarr is back ({run.items_done} items done)")
        if not run.is_active:
            break
        time.sleep(0.2)
    return (
        f"{time.monotonic() - started:5.1f} s: scan #{run.pk} {run.items_done} items done, "
        f"{run.items_failed} failed, {run.error or 'no error'}: {run.status}"
    )


def tags_by_title(fake: Any) -> dict[str, list[str]]:
    labels = {tag["id"]: tag["label"] for tag in fake.state.tags()}
    return {
        item["title"]: sorted(labels[tag] for tag in item.get("tags", []))
        for item in fake.state.items()
    }


def database_url(connection: Any) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    from urllib.parse import urlsplit, urlunsplit

    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{settings['NAME']}"))


if __name__ == "__main__":
    sys.exit(main())
