"""Issue 50's targets: real Celery worker processes and the real web server (gunicorn,
as the Procfile starts it) against hostile servers (fakes/hostile, in processes of their
own): a Sonarr whose series list is deeply nested JSON (400 KB of ``[[[…]]]`` and 4 MB),
one whose lists hold an item of 2 MB (an *arr's list is bounded per item, no longer as a
whole: issue 83; its episode files too, for 32 series), one a byte a second, one that
never answers, one redirecting to ``file://`` and one to another host.

Workers: one scan per case, all started at once on two worker processes; each must end
``failed`` with the reason within TAGGARR_ARR_RETRY_SECONDS + one deadline, and the
workers' peak RSS stay under 300 MB with no process killed. Web: each case's connection
test (``POST /api/instances/{id}/test/``), the instance form's "Fetch" and a Jellyfin's
connection test, one at a time, and a crowded Sonarr's (20,000 profiles x 20,000
formats: issue 67's guard, bench/hostile_guard.py; its event and the dashboard sized);
each answers 200 with the reason within TAGGARR_WEB_DEADLINE_SECONDS, gunicorn's peak
RSS under 250 MB, no worker killed. Then 10,000 valid webhooks at once
(bench/hostile_webhooks.py, issue 59): none answered slower than 1 s, gunicorn's peak
RSS under 250 MB (``--only webhooks``: only these).

Images (bench/hostile_images.py, issue 59): posters that cost far more to decode than
their size, each read by a real worker from a library folder; each refused within
TAGGARR_HTTP_DEADLINE_SECONDS, the worker's peak under 300 MB. ``--only images`` runs
those alone (``--only servers`` the rest).

The bounds are shortened so that it takes about two minutes (README's defaults: 120 s
retries, 300 s deadline): TAGGARR_ARR_RETRY_SECONDS 30, TAGGARR_HTTP_DEADLINE_SECONDS
10 (each instance's read timeout 10 s too), TAGGARR_WEB_DEADLINE_SECONDS 10.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/13 \\
      .venv/bin/python bench/hostile.py          # --no-record: not appended to RESULTS.md

It prints the table, appends it to bench/RESULTS.md and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.hostile_cases import WORKER_CASES, Outcome, render  # noqa: E402
from bench.hostile_guard import crowded_answers  # noqa: E402
from bench.hostile_images import image_checks  # noqa: E402
from bench.hostile_web import web_checks  # noqa: E402
from bench.hostile_webhooks import webhook_floods  # noqa: E402
from bench.services import PeakRss, Service, log_says, start_service  # noqa: E402
from bench.throwaway_db import repeat_line, throwaway_database  # noqa: E402

KEY = "0123456789abcdef0123456789abcdef"
STATUS = '{"appName": "Sonarr", "version": "4.0.14.2939"}'
WORKER_PROCESSES = 2
EPISODE_SERIES = 32  # each of whose episode files' answers is hostile: a process's item threads
WORKERS_READY_MB: list[float] = []  # the workers' peak before the scans, for the report
KILLED = ("WorkerLostError", "SIGKILL", "Killed", "MemoryError", "WORKER TIMEOUT")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retry", type=int, default=30, help="TAGGARR_ARR_RETRY_SECONDS")
    parser.add_argument("--deadline", type=int, default=10, help="TAGGARR_HTTP_DEADLINE_SECONDS")
    parser.add_argument("--web-deadline", type=int, default=10, help="TAGGARR_WEB_DEADLINE_SECONDS")
    parser.add_argument("--huge-mb", type=int, default=1536, help="the huge answer's size")
    parser.add_argument("--no-record", action="store_true", help="not appended to RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    parser.add_argument("--webhooks", type=int, default=10_000, help="webhooks per flood")
    parser.add_argument(
        "--only",
        choices=("servers", "images", "webhooks"),
        help="only the hostile servers', the images' or the webhook floods' cases",
    )
    args = parser.parse_args(argv)
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        print("bench/hostile.py needs DATABASE_URL and REDIS_URL (real workers)", file=sys.stderr)
        return 2
    os.environ.update(
        TAGGARR_ARR_RETRY_SECONDS=str(args.retry),
        TAGGARR_HTTP_DEADLINE_SECONDS=str(args.deadline),
        TAGGARR_WEB_DEADLINE_SECONDS=str(args.web_deadline),
        TAGGARR_LOG_LEVEL="info",
    )
    work = Path(tempfile.mkdtemp(prefix="taggarr-hostile-"))
    with throwaway_database(str(work)):
        outcomes, problems = run(args, work)
    repeat = repeat_line("bench/hostile.py", argv or sys.argv[1:])
    repeat = repeat.replace("repeat: ", 'repeat: REDIS_URL="$REDIS_URL" ')
    text = render(outcomes, problems, args, repeat, max(WORKERS_READY_MB, default=None))
    print(text)
    if not args.no_record:
        from bench.report import append_results

        append_results(text)
    if args.keep or problems:
        print(f"logs: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


def run(args: argparse.Namespace, work: Path) -> tuple[list[Outcome], list[str]]:
    from django.db import connection

    from bench.outage import database_url

    env = {**os.environ, "DATABASE_URL": database_url(connection), "TAGGARR_DATA_DIR": str(work)}
    outcomes: list[Outcome] = []
    problems: list[str] = []
    if args.only in (None, "images"):
        with contextlib.ExitStack() as stack:
            outcomes += image_checks(stack, env, work, args.deadline)
    if args.only in (None, "servers"):
        with contextlib.ExitStack() as stack:
            other = _fake(stack, work, "other-host", ["--print-requests"])
            outcomes += _server_checks(stack, args, env, work, other)
            if other.requests():
                problems.append(
                    f"the other host got requests (a redirect followed): {other.requests()}"
                )
    if args.only in (None, "webhooks"):
        outcomes += webhook_floods(env, work, args.webhooks)
    problems[:0] = [o.problem for o in outcomes if o.problem]
    return outcomes, problems


def _server_checks(
    stack: contextlib.ExitStack,
    args: argparse.Namespace,
    env: dict[str, str],
    work: Path,
    other: _FakeProcess,
) -> list[Outcome]:
    status = ["--answer", f"/api/v3/system/status={STATUS}"]
    main_cases = f"--huge-mb {args.huge_mb} --deep 200000 --drip-seconds 1".split()
    huge = ["--huge-mb", str(args.huge_mb)]
    series = json.dumps(series_list(EPISODE_SERIES))
    library = ["--answer", f"/api/v3/series={series}", "--answer", "/api/v3/tag=[]"]
    fakes = {
        "": _fake(stack, work, "hostile", [*main_cases, "--redirect-to", other.url, *status]),
        "deeper": _fake(stack, work, "hostile-deeper", ["--deep", "2000000", *status]),
        "episodes": _fake(stack, work, "hostile-episodes", [*huge, *status, *library]),
        "crowded": _fake(stack, work, "hostile-crowded", crowded_answers(work / "crowded")),
    }
    bound = args.retry + args.deadline
    outcomes = _worker_runs(stack, env, work, fakes, bound)
    return outcomes + web_checks(env, work, fakes, args.web_deadline, key=KEY)


class _FakeProcess:
    def __init__(self, service: Service) -> None:
        self.service = service
        first = service.log.read_text().splitlines()[0]
        self.url = first.rsplit(" ", 1)[1]

    def requests(self) -> list[str]:
        """The requests it printed (``--print-requests``)."""
        return self.service.log.read_text(errors="replace").splitlines()[1:]


def series_list(count: int) -> list[dict[str, object]]:
    """A library Sonarr's list could hold (Sonarr/Sonarr src/Sonarr.Api.V3/Series/
    SeriesResource.cs: the fields the client reads)."""
    return [
        {"id": n, "title": f"Show {n}", "path": f"/tv/Show {n}", "tvdbId": 100_000 + n,
         "seasons": [{"seasonNumber": 1, "monitored": True}], "tags": [],
         "statistics": {"episodeFileCount": 10}, "originalLanguage": {"name": "Japanese"}}
        for n in range(1, count + 1)
    ]  # fmt: skip


def _fake(stack: contextlib.ExitStack, work: Path, name: str, extra: list[str]) -> _FakeProcess:
    command = [sys.executable, "-u", "-m", "fakes.hostile", "--port", "0", *extra]
    service = start_service(
        name, command, os.environ, work / f"fake-{name}.log", ready=log_says("listening on"),
        cwd=REPO,
    )  # fmt: skip
    stack.callback(service.stop, 5)
    return _FakeProcess(service)


def _worker_runs(
    stack: contextlib.ExitStack,
    env: dict[str, str],
    work: Path,
    fakes: dict[str, Any],
    bound: float,
) -> list[Outcome]:
    from scanner.actions.scans import start_scan
    from scanner.models import Instance, RunRequest, ScanRun

    workers: list[tuple[Service, PeakRss]] = []
    for number in range(WORKER_PROCESSES):
        command = [
            sys.executable, "-m", "celery", "-A", "taggarr", "worker", "--without-mingle",
            "--without-gossip", "--hostname", f"hostile-{os.getpid()}-{number}@%h",
        ]  # fmt: skip
        worker = start_service(
            f"celery worker {number + 1}", command, env, work / f"worker-{number + 1}.log",
            ready=log_says(" ready."), cwd=REPO,
        )  # fmt: skip
        stack.callback(worker.stop)
        workers.append((worker, PeakRss(worker.pid).start()))
    for _, rss in workers:
        rss.sample()
    baseline_mb = max(max(rss.peaks_kib.values(), default=0) for _, rss in workers) / 1024
    WORKERS_READY_MB.append(baseline_mb)
    runs = {}
    started = time.monotonic()
    for case in WORKER_CASES:
        instance = Instance.objects.create(
            name=case.name, kind=Instance.Kind.SONARR, url=case.url(fakes),
            root_folders=["/not-mounted/tv"], target_languages=["eng"], read_timeout=10,
            audio_source=Instance.AudioSource.ARR,
            path_mappings=[{"remote": "/tv", "local": "/not-mounted/tv"}],
        )  # fmt: skip
        instance.set_api_key(KEY)
        instance.save()
        runs[case] = start_scan(instance, RunRequest(ScanRun.Trigger.CLI))
    ended: dict[object, float] = {}
    while len(ended) < len(runs) and time.monotonic() - started < 3 * bound:
        for case, run in runs.items():
            if case not in ended and not ScanRun.objects.get(pk=run.pk).is_active:
                ended[case] = time.monotonic() - started
        time.sleep(0.2)  # polling the runs' state, not waiting for time to pass
    for _, rss in workers:
        rss.stop()
    peak_mb = max(max(rss.peaks_kib.values(), default=0) for _, rss in workers) / 1024
    killed = [w.name for w, _ in workers if not w.alive() or _says(w.log, KILLED)]
    outcomes = []
    for case, run in runs.items():
        row = ScanRun.objects.get(pk=run.pk)
        item = row.items.exclude(error="").values_list("error", flat=True).first()
        error = f"{row.error}: {item}" if item else row.error  # the items' own reason
        outcomes.append(case.judge(row.status, error, ended.get(case), bound, peak_mb, killed))
    return outcomes


def _says(log: Path, texts: tuple[str, ...]) -> bool:
    text = log.read_text(errors="replace")
    return any(t in text for t in texts)


if __name__ == "__main__":
    sys.exit(main())
