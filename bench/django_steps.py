"""The benchmark's Django steps, each run as its own process on the benchmark's
environment (DATABASE_URL, REDIS_URL, TAGGARR_DATA_DIR), like ``manage.py``.

    python bench/django_steps.py setup --library DIR --sonarr-url URL --radarr-url URL \
        --api-key KEY --out tokens.json [--audio-source files|arr|hybrid|auto]
    python bench/django_steps.py scan --inline --out scan.json
    python bench/django_steps.py scan --wait --out scan.json
    python bench/django_steps.py scheduled --out scan.json
    python bench/django_steps.py staff-session --out session.json
    python bench/django_steps.py targets fr-CA [more ...]

``scan`` is ``manage.py scan`` (the same command object, through call_command)
with one addition: an execute wrapper on every database connection of the process
that counts the SQL statements it sends, by kind (psycopg's ``COPY`` too). Its cost is
a function call per statement (well under 1 us), nothing next to a round trip to the
database. Only
an ``--inline`` count covers the whole scan; with ``--wait`` the workers run it.
``scheduled`` makes every instance's scan due and sends the task beat sends every tick
(``scanner.tasks.start_due_scans``, with beat's options) to the running workers, then
waits for the runs that tick started and writes them as ``scan`` does; their timestamps
(created -> finished) are the figure, not this process. ``staff-session`` makes a
superuser, logs it in (a session in the session store, as the login page makes it) and
writes the cookie, with the numbers of media and files the pages will show.
``targets`` sets every instance's target languages, as saving the instance's form with
only them changed does (the next ordinary scan sees the change). ``setup --targets``
gives the instances' first targets (default ``eng``); ``scan`` also writes the process's
peak RSS (VmHWM: an inline scan's whole memory; never ``ru_maxrss``, which a process
started from a larger one inherits: _peak_rss_kib). With ``BENCH_MEMRAY=DIR`` set
(bench/largest.py ``--memray DIR``) the scan runs under memray's tracker, each scan's
allocations in ``DIR/<out's name>.bin`` (``memray stats --json`` gives what was held at the
peak, and where). With ``BENCH_PYSPY=DIR`` (``--py-spy DIR``) py-spy records the scan's
process while it scans (``record --gil --rate 100``: where the busy core goes), a
speedscope profile in ``DIR/<out's name>.json``.
``--library`` is the folder holding ``tv`` and ``movies`` as the instances see it:
the library, its share, or (``arr`` source) a folder that does not exist.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")

import django

from bench.manifest import LOCAL, REMOTE
from bench.sql_counts import count_copies
from taggarr.memory import skip_final_collection

STEP_TIMEOUT = 3600  # seconds: runs that never end (their tasks went missing)
START_TIMEOUT = 60  # seconds: the tick's task not taken, or an instance not started


class QueryCounter:
    """Counts statements by kind, on every connection of the process: the main thread's,
    and those opened meanwhile (``scan --inline`` scans each instance on a thread)."""

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        kind = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        self.record(kind)
        return execute(sql, params, many, context)

    def record(self, kind: str) -> None:
        with self._lock:
            self.by_kind[kind] += 1

    @contextmanager
    def everywhere(self) -> Iterator[None]:
        from django.db import connection
        from django.db.backends.signals import connection_created

        def counted(sender: Any, connection: Any, **kwargs: Any) -> None:
            if self not in connection.execute_wrappers:
                connection.execute_wrappers.append(self)

        connection_created.connect(counted, weak=False)
        count_copies(self.record)  # bulk.py's COPY, past the execute wrappers
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            connection_created.disconnect(counted)


def setup(options: argparse.Namespace) -> None:
    from scanner.models import Instance

    tokens = {}
    for app, url in (("sonarr", options.sonarr_url), ("radarr", options.radarr_url)):
        local = str(Path(options.library).resolve() / LOCAL[app])
        instance = Instance(
            name=f"bench-{app}",
            kind=app,
            url=url,
            root_folders=[local],
            path_mappings=[{"remote": REMOTE[app], "local": local}],
            target_languages=options.targets.split(","),
            scan_interval_minutes=0,  # no scheduled scan in the middle of a measurement
            audio_source=options.audio_source,
            identify_audio_language=options.identify_audio_language,
        )
        instance.set_api_key(options.api_key)
        instance.full_clean()
        instance.save()
        tokens[app] = instance.get_webhook_token()
    Path(options.out).write_text(json.dumps(tokens), encoding="utf-8")


def scan(options: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from scanner.models import MediaFile, ScanRun

    before = ScanRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counter = QueryCounter()
    flags = ["--inline"] if options.inline else ["--wait"]
    status = 0
    started_at = timezone.now()
    start = time.perf_counter()
    cpu_start = time.process_time()
    with counter.everywhere(), _profiled(options.out):
        try:
            call_command("scan", *flags, stdout=sys.stderr)
        except SystemExit as exc:  # the command exits 1 when a run did not succeed
            status = int(exc.code or 0)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    runs = [_run_stats(run) for run in ScanRun.objects.filter(pk__gt=before).order_by("pk")]
    result = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # this process only: the whole scan when --inline
        "exit_status": status,
        "queries": dict(counter.by_kind),
        "runs": runs,
        "sources": dict(MediaFile.objects.order_by().values_list("source").annotate(n=Count("pk"))),
        "peak_rss_kib": _peak_rss_kib(),
    }
    if options.list_probed:  # which files this scan read: compared with the ones changed
        result["probed"] = _probed_since(started_at)
    Path(options.out).write_text(json.dumps(result), encoding="utf-8")


def _peak_rss_kib() -> int:
    """This process's own peak resident set, Linux's VmHWM. Not ``ru_maxrss``: Linux
    keeps the larger of the image replaced at exec and the new one, so a process
    started by a larger one (bench/largest.py holds its 750,000 episode files, ~490 MiB)
    reads the parent's peak: the rescans' "492 MiB" in bench/RESULTS.md until this
    change were bench/largest.py's own (issue 83)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@contextmanager
def _profiled(out: str) -> Iterator[None]:
    """The scan under memray's tracker (BENCH_MEMRAY) and py-spy (BENCH_PYSPY) when those
    name a folder, each writing there under ``out``'s name."""
    with ExitStack() as stack:
        if folder := os.environ.get("BENCH_MEMRAY"):
            # A profiler, not in the requirements: installed by hand, so imported by name
            # (the type checker of a checkout without it would stop at an import).
            memray = importlib.import_module("memray")
            stack.enter_context(memray.Tracker(Path(folder) / f"{Path(out).stem}.bin"))
        if folder := os.environ.get("BENCH_PYSPY"):
            stack.enter_context(_py_spy(Path(folder) / f"{Path(out).stem}.json"))
        yield


@contextmanager
def _py_spy(profile: Path) -> Iterator[None]:
    """py-spy recording this process into ``profile`` (speedscope) until the end."""
    spy = Path(sys.executable).with_name("py-spy")
    args = [str(spy), "record", "--pid", str(os.getpid()), "--gil", "--rate", "100",
            "--format", "speedscope", "--output", str(profile)]  # fmt: skip
    recorder = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its profile and ends
        recorder.wait(timeout=120)


def _probed_since(started_at: Any) -> list[str]:
    from scanner.models import MediaFile

    probed = MediaFile.objects.filter(probed_at__gte=started_at).exclude(
        source=MediaFile.Source.ARR  # judged from the *arr's media info: not read
    )
    return sorted(f"{folder}/{path}" for folder, path in probed.values_list("media__path", "path"))


def _run_stats(run: Any) -> dict[str, Any]:
    duration = None
    if run.finished_at and (run.started_at or run.created_at):
        duration = (run.finished_at - (run.started_at or run.created_at)).total_seconds()
    return {
        "instance": run.instance.kind,
        "audio_source": getattr(run, "audio_source", ""),  # what "auto" became
        "status": run.status,
        "error": run.error,
        "listed": run.summary.get("listed", 0),
        "items_total": run.items_total,
        "items_skipped": run.items_skipped,
        "items_failed": run.items_failed,
        "files_probed": run.files_probed,
        "file_errors": run.file_errors,
        "tags_changed": run.tags_changed,
        "tracks_heard": run.tracks_heard,
        "arr_requests": run.arr_requests,
        "duration_s": duration,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def scheduled(options: argparse.Namespace) -> None:
    """The rescan as the schedule runs it: due instances, beat's task, the workers."""
    from django.conf import settings
    from django.utils import timezone

    from scanner.models import Instance, ScanRun
    from taggarr.celery import app

    before = ScanRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    instances = Instance.objects.filter(enabled=True)
    count = instances.count()
    now = timezone.now()
    instances.update(scan_interval_minutes=60, next_scan_at=now - timedelta(seconds=1))
    tick = settings.SCHEDULE_TICK_SECONDS
    try:
        app.send_task("scanner.tasks.start_due_scans", expires=tick - 5)  # as beat sends it
        sent = time.monotonic()
        deadline = sent + STEP_TIMEOUT
        while True:
            runs = list(ScanRun.objects.filter(pk__gt=before, trigger=ScanRun.Trigger.SCHEDULE))
            if len(runs) >= count and all(run.status not in ScanRun.ACTIVE for run in runs):
                break
            if len(runs) < count and time.monotonic() > sent + START_TIMEOUT:
                raise SystemExit(
                    f"{len(runs)} of {count} scheduled runs started: see the worker log"
                )
            if time.monotonic() > deadline:
                raise SystemExit(f"scheduled runs did not end in {STEP_TIMEOUT} s: {runs}")
            time.sleep(0.05)
    finally:  # no scheduled scan in the middle of the next measurement
        instances.update(scan_interval_minutes=0, next_scan_at=None)
    started_at = min(run.created_at for run in runs)
    result: dict[str, Any] = {
        "runs": [_run_stats(run) for run in sorted(runs, key=lambda run: run.pk)],
        "queries": {},
    }
    if options.list_probed:
        result["probed"] = _probed_since(started_at)
    Path(options.out).write_text(json.dumps(result), encoding="utf-8")


def staff_session(options: argparse.Namespace) -> None:
    import secrets

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from scanner.models import Media, MediaFile

    user = get_user_model().objects.create_superuser(
        "bench-staff", "bench@example.invalid", secrets.token_urlsafe(24)
    )
    client = Client()
    client.force_login(user)  # the session store's own session, as a login makes it
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "media": Media.objects.count(),
        "files": MediaFile.objects.count(),
    }
    Path(options.out).write_text(json.dumps(cookie), encoding="utf-8")


def set_targets(options: argparse.Namespace) -> None:
    from scanner.models import Instance

    Instance.objects.update(target_languages=list(options.languages))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    make = steps.add_parser("setup", help="create the Sonarr and Radarr instances")
    make.add_argument("--library", required=True)
    make.add_argument("--sonarr-url", required=True)
    make.add_argument("--radarr-url", required=True)
    make.add_argument("--api-key", required=True)
    make.add_argument("--out", required=True)
    make.add_argument("--audio-source", default="files", help="files, arr, hybrid or auto")
    make.add_argument("--identify-audio-language", default="off", help="off, unlabelled or all")
    make.add_argument("--targets", default="eng", help="target languages, comma-separated")
    run = steps.add_parser("scan", help="manage.py scan, counting SQL statements")
    how = run.add_mutually_exclusive_group(required=True)
    how.add_argument("--inline", action="store_true")
    how.add_argument("--wait", action="store_true")
    run.add_argument("--out", required=True)
    run.add_argument("--list-probed", action="store_true", help="name the files probed")
    due = steps.add_parser("scheduled", help="the rescan beat's tick starts, on the workers")
    due.add_argument("--out", required=True)
    due.add_argument("--list-probed", action="store_true", help="name the files probed")
    staff = steps.add_parser("staff-session", help="a logged-in superuser's session cookie")
    staff.add_argument("--out", required=True)
    targets = steps.add_parser("targets", help="set every instance's target languages")
    targets.add_argument("languages", nargs="+")
    options = parser.parse_args(argv)
    django.setup()
    try:
        steps_by_name = {
            "setup": setup,
            "scan": scan,
            "scheduled": scheduled,
            "staff-session": staff_session,
            "targets": set_targets,
        }
        steps_by_name[options.step](options)
    finally:
        skip_final_collection()  # as manage.py ends
    return 0


if __name__ == "__main__":
    sys.exit(main())
