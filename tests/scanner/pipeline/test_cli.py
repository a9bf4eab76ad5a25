"""manage.py scan: queue, --inline, exit status, errors that name the instance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from scanner import tasks
from scanner.actions.scans import start_scan
from scanner.management.commands.scan import (
    POLL_SECONDS,
    POLL_SECONDS_APPLYING,
    poll_interval,
    wait_timeout,
)
from scanner.models import Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, CHECKOUT, arr_tags, block_nfo, free_port, manage, python_code
from tests.library import Library
from tests.worker import (
    LOG_TIMEOUT,
    WorkerProcess,
    celery_worker,
    live_database_url,
    task_done,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _scan(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("scan", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_inline_scan_prints_a_summary(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    code, out, _ = _scan("--inline", "--instance", "tv")
    assert code == 0
    header, row = out.strip().splitlines()[-2:]
    assert header.split()[:5] == ["instance", "scan", "status", "scanned", "unchanged"]
    assert row.split()[:5] == ["tv", f"#{ScanRun.objects.get().pk}", "succeeded", "6", "0"]
    changes = sum(tag != "none" for tag in tv_library.expected.values())
    assert f"{changes} tag changes written." in row
    assert arr_tags(sonarr) == tv_library.expected


def test_inline_scans_of_several_instances_run_at_once(
    sonarr_instance: Instance,
    radarr_instance: Instance,
    tv_library: Library,
    movie_library: Library,
) -> None:
    """Each fake holds its first answer until the other fake has been asked too: one
    scan after the other would leave the first waiting alone (until the timeout)."""
    arrived = {"sonarr": threading.Event(), "radarr": threading.Event()}
    met: dict[str, bool] = {}

    def meeting(app: str, other: str) -> Callable[[float], None]:
        def pause(seconds: float) -> None:
            arrived[app].set()
            if app not in met:
                met[app] = arrived[other].wait(timeout=30)

        return pause

    def fake(app: str, other: str, library: Library, **options: Any) -> FakeArr:
        settings = FakeArrOptions(app=app, api_key=ARR_KEY, latency_s=0.001, **options)
        return FakeArr(settings, items=library.arr_items, sleep=meeting(app, other))

    with (
        fake("sonarr", "radarr", tv_library) as sonarr,
        fake("radarr", "sonarr", movie_library, version="5.2.0.0") as radarr,
    ):
        Instance.objects.filter(pk=sonarr_instance.pk).update(url=sonarr.url)
        Instance.objects.filter(pk=radarr_instance.pk).update(url=radarr.url)
        code, out, err = _scan("--inline")

    assert (code, err) == (0, "")
    assert met == {"sonarr": True, "radarr": True}
    rows = [line.split()[:3] for line in out.strip().splitlines()[-2:]]
    assert sorted(rows) == sorted(
        [name, f"#{run.pk}", "succeeded"]
        for name, run in (("tv", ScanRun.objects.get(instance=sonarr_instance)),
                          ("movies", ScanRun.objects.get(instance=radarr_instance)))
    )  # fmt: skip
    assert arr_tags(sonarr) == tv_library.expected
    assert arr_tags(radarr) == movie_library.expected


def test_dry_run_and_mode_reach_the_run(sonarr_instance: Instance, sonarr: FakeArr) -> None:
    code, _, _ = _scan("--inline", "--dry-run", "--mode", "rewrite", "--quick")
    assert code == 0
    run = ScanRun.objects.get()
    assert (run.dry_run, run.mode, run.quick_mode) == (True, "rewrite", True)
    assert set(arr_tags(sonarr).values()) == {"none"}


def test_failed_run_exits_non_zero(db) -> None:
    InstanceFactory(name="down", url="http://127.0.0.1:9")  # nothing listens there
    code, out, _ = _scan("--inline")
    assert code == 1
    assert "failed" in out
    assert "127.0.0.1:9" in ScanRun.objects.get().error


def test_default_queues_and_prints_the_run(sonarr_instance: Instance) -> None:
    code, out, _ = _scan("--instance", "tv")
    assert code == 0
    assert out.strip() == f"tv: scan #{ScanRun.objects.get().pk} queued"


def test_wait_with_no_worker_says_so_and_exits_3(sonarr_instance: Instance, sent_work) -> None:
    """The plan goes to the broker (kept by sent_work here) and nobody takes it."""
    code, out, err = _scan("--wait", "--wait-timeout", "0.3", "--instance", "tv")
    assert code == 3  # still queued: neither succeeded nor failed
    run = ScanRun.objects.get()
    assert f"scan #{run.pk} queued" in out
    assert f"no progress for 0.3 s on scan #{run.pk} (queued): is a worker running?" in err
    assert run.status == ScanRun.Status.QUEUED  # it goes on when a worker comes


@pytest.mark.parametrize(
    ("failing", "status"),
    [({1}, ScanRun.Status.PARTIAL), ({1, 2, 3, 6}, ScanRun.Status.FAILED)],
    ids=["some-writes-failed", "every-write-failed"],
)
def test_failed_tag_writes_end_the_run_partial_or_failed_and_exit_non_zero(
    sonarr_instance: Instance, tv_library: Library, failing: set[int], status: str
) -> None:
    """The *arr refuses some (or all four) tag changes: the run says so, cron notices."""
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, fail_put_ids=frozenset(failing))
    with FakeArr(options, items=tv_library.arr_items) as refusing:
        Instance.objects.filter(pk=sonarr_instance.pk).update(url=refusing.url)
        code, out, _ = _scan("--inline", "--instance", "tv")
    assert code == 1
    run = ScanRun.objects.get()
    assert run.status == status
    assert run.error.startswith(f"{len(failing)} of 4 tag writes failed")
    assert status in out


def test_nfo_writes_that_failed_end_the_run_partial_and_exit_non_zero(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    Instance.objects.filter(pk=sonarr_instance.pk).update(create_nfo=True)
    block_nfo(tv_library.folder("Anime Dubbed"))
    code, out, _ = _scan("--inline", "--instance", "tv")
    assert code == 1
    run = ScanRun.objects.get()
    assert (run.status, run.error) == (ScanRun.Status.PARTIAL, "1 NFOs could not be written")
    assert out.strip().splitlines()[-1].split()[:3] == ["tv", f"#{run.pk}", "partial"]


@pytest.mark.worker
def test_wait_exits_non_zero_for_a_partial_run(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    """``scan --wait`` through a real worker: NFO writes that failed end the run
    partial, and the command says so in its exit status (cron notices)."""
    Instance.objects.filter(pk=sonarr_instance.pk).update(create_nfo=True)
    block_nfo(tv_library.folder("Anime Dubbed"))
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    result = manage("scan", "--wait", "--instance", "tv", env=env, timeout=180)
    assert result.returncode == 1, result.stdout + result.stderr
    run = ScanRun.objects.get()
    assert (run.status, run.error) == (ScanRun.Status.PARTIAL, "1 NFOs could not be written")
    assert "1 NFOs could not be written" in result.stdout
    assert arr_tags(sonarr) == tv_library.expected


def test_busy_instance_is_refused_with_the_active_run(sonarr_instance: Instance) -> None:
    active = ScanRun.objects.create(instance=sonarr_instance, trigger="api", status="running")
    code, _, err = _scan("--inline", "--instance", "tv")
    assert code == 1
    assert f"scan #{active.pk} (running) is already active" in err


def test_a_run_waiting_for_a_worker_says_what_to_do(sonarr_instance: Instance, sent_work) -> None:
    """Queued for the workers (a decision's run): the command that cannot queue another
    says how it gets done (issue 79: it said only that a scan was active)."""
    queued = ScanRun.objects.create(instance=sonarr_instance, trigger="api", mode="redecide")
    code, _, err = _scan("--instance", "tv")
    assert code == 1
    assert err.strip() == (
        f"tv: scan #{queued.pk} (queued) is already active for this instance: it waits for "
        "a worker. Start one ('celery -A taggarr worker'; make run starts one), or scan with "
        "--inline: it runs that scan first"
    )


def test_inline_runs_the_run_that_waited_for_a_worker_first(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, sent_work
) -> None:
    """A run queued for the workers that none took (issue 79) is run here, listed in the
    table, then the command's own scan; one a worker has taken is left to it."""
    waiting = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API, dry_run=True))
    code, out, err = _scan("--inline", "--instance", "tv")
    assert (code, err) == (0, "")
    assert f"tv: scan #{waiting.pk} (normal, asked by api) waited for a worker" in out
    rows = [line.split()[:3] for line in out.strip().splitlines()[-2:]]
    own = ScanRun.objects.latest("pk")
    assert rows == [["tv", f"#{waiting.pk}", "succeeded"], ["tv", f"#{own.pk}", "succeeded"]]
    assert arr_tags(sonarr) == tv_library.expected  # the dry run wrote nothing; this did

    taken = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
    assert runs.claim_plan(taken.pk, 77)  # a worker's plan took it a moment ago
    code, _, err = _scan("--inline", "--instance", "tv")
    assert code == 1
    assert err.strip() == f"tv: scan #{taken.pk} (running) is already active for this instance"
    assert ScanRun.objects.latest("pk") == taken


def test_a_busy_instance_is_refused_while_the_others_scan_inline(
    sonarr_instance: Instance, radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    active = ScanRun.objects.create(instance=sonarr_instance, trigger="api", status="running")
    code, out, err = _scan("--inline")
    assert code == 1
    assert err.strip() == f"tv: scan #{active.pk} (running) is already active for this instance"
    run = ScanRun.objects.get(instance=radarr_instance)
    assert out.strip().splitlines()[-1].split()[:3] == ["movies", f"#{run.pk}", "succeeded"]
    assert arr_tags(radarr) == movie_library.expected


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_shows_every_instance_scanned_inline(
    sonarr_instance: Instance, radarr_instance: Instance
) -> None:
    out = _Terminal()
    call_command("scan", "--inline", stdout=out, stderr=StringIO())
    lines = [part for part in out.getvalue().split("\r\033[K") if part]
    last = lines[-1].split("\n")[0]  # the summary follows it
    parts = sorted(last.split(" | "))
    assert [part.split(":")[0] for part in parts] == ["movies", "tv"]
    assert all("item" in part or "%" in part for part in parts), last


def test_unknown_instance_names_the_known_ones(sonarr_instance: Instance) -> None:
    with pytest.raises(CommandError, match=r"unknown instance nope \(known: tv\)"):
        call_command("scan", "--instance", "nope")


@pytest.mark.worker
def test_wait_on_the_embedded_broker_with_a_real_worker(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """What `make run` does with no Redis: the filesystem broker in the data dir carries the
    tasks from this CLI process to a separate worker process (even when CI has Redis)."""
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    env.pop("REDIS_URL", None)
    with celery_worker(without=("REDIS_URL",)) as worker:
        result = manage("scan", "--wait", "--instance", "tv", env=env, timeout=180)
        assert "filesystem://" in "".join(worker.output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "succeeded" in result.stdout
    assert arr_tags(sonarr) == tv_library.expected


def test_scans_command_lists_cancels_and_resumes(sonarr_instance: Instance) -> None:
    queued = ScanRun.objects.create(instance=sonarr_instance, trigger="api")
    out = StringIO()
    call_command("scan_runs", stdout=out)
    assert f"#{queued.pk}" in out.getvalue() and "queued" in out.getvalue()
    call_command("scan_runs", "cancel", str(queued.pk), stdout=out)
    assert ScanRun.objects.get(pk=queued.pk).status == "cancelled"
    with pytest.raises(CommandError, match="cannot be cancelled any more"):
        call_command("scan_runs", "cancel", str(queued.pk))
    with pytest.raises(CommandError, match="only an interrupted or stalled scan resumes"):
        call_command("scan_runs", "resume", str(queued.pk))
    interrupted = ScanRun.objects.create(
        instance=sonarr_instance, trigger="api", status="interrupted"
    )
    call_command("scan_runs", "resume", str(interrupted.pk), stdout=out)
    assert ScanRun.objects.get(pk=interrupted.pk).status == "queued"  # never planned: plans again
    # A number no run has (PostgreSQL's ids go on across the tests: #999 may exist).
    missing = interrupted.pk + 1000
    with pytest.raises(CommandError, match=f"there is no scan #{missing}"):
        call_command("scan_runs", "cancel", str(missing))


_LOADS_THE_URLCONF = """
import sys
from django.core.management import execute_from_command_line
try:
    execute_from_command_line(["manage.py", *sys.argv[1:]])
finally:
    print("URLconf", "loaded" if "taggarr.urls" in sys.modules else "not loaded")
"""


@pytest.mark.parametrize(
    ("command", "loaded"),
    [
        (["check"], True),  # the harness sees the URLconf when it is loaded
        (["scan", "--instance", "nope"], False),
        (["scan_runs", "list"], False),
    ],
    ids=["check", "scan", "scans"],
)
def test_scan_commands_start_without_the_system_checks(
    sonarr_instance: Instance, command: list[str], loaded: bool
) -> None:
    """The checks import the URLconf (the admin, the API and its schema): a fifth of a
    no-change rescan, on every cron run. ``bootstrap``, ``migrate`` and ``check`` run them."""
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    env.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
    result = python_code(_LOADS_THE_URLCONF, *command, env=env)
    assert result.stdout.strip().splitlines()[-1] == (
        "URLconf loaded" if loaded else "URLconf not loaded"
    ), result.stdout + result.stderr


@pytest.mark.parametrize(
    ("statuses", "interval"),
    [
        (["applying"], "applying"),
        (["applying", "applying"], "applying"),
        (["running", "applying"], "usual"),  # one still plans or reads its items
        (["queued"], "usual"),
        ([], "usual"),
    ],
)
def test_wait_looks_more_often_while_every_run_applies(statuses: list[str], interval: str) -> None:
    """The last step of an unchanged rescan takes a fraction of a second: ``--wait`` ended
    up to a whole poll after it (issue 69). Before it, the usual poll."""
    expected = POLL_SECONDS_APPLYING if interval == "applying" else POLL_SECONDS
    assert POLL_SECONDS_APPLYING < POLL_SECONDS
    assert poll_interval([ScanRun(status=status) for status in statuses]) == expected


def test_a_broker_that_is_down_leaves_the_run_queued_in_one_line(
    sonarr_instance: Instance,
) -> None:
    """No traceback: the run is in the database, and beat sends its plan again once
    the broker is back (runs.recover_stalled)."""
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    env = {**os.environ, "DATABASE_URL": live_database_url(), "REDIS_URL": nothing_listens}
    result = manage("scan", "--instance", "tv", env=env)
    run = ScanRun.objects.get()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"tv: scan #{run.pk} queued"
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "WARNING" in line] == [
        line for line in result.stderr.splitlines() if "the broker is unreachable" in line
    ]
    assert f"scan #{run.pk} keeps its work in the database" in result.stderr
    assert run.status == ScanRun.Status.QUEUED


@pytest.mark.worker
def test_wait_follows_a_run_across_a_worker_killed_and_replaced(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, settings
) -> None:
    """kill -9 of the worker in the middle of the run that `scan --wait` follows; another
    worker starts and runs what was queued, beat's tick sends the lost items again (those
    the killed worker held, and those whose message it took with it), and the wait ends
    with the run's own status and exit status 0."""
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    waiting = subprocess.Popen(
        [sys.executable, "manage.py", "scan", "--wait", "--instance", "tv"],
        cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        with celery_worker() as worker:
            worker.wait_for(r"Task scanner\.tasks\.scan_item\[.*\] received")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.stop()
        run = ScanRun.objects.get()
        queued = tasks.queued_messages()  # the items' tasks the killed worker left queued
        assert queued is not None
        with celery_worker() as worker:
            worker.wait_for(task_done("scan_item"), count=queued)  # the queue drained
            # Time passes without a heartbeat (injected): the leases of what the killed
            # worker held run out; then beat ticks.
            stalled = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS + 1)
            ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=stalled)
            ScanItem.objects.filter(run=run, leased_until__isnull=False).update(
                leased_until=stalled
            )
            tasks.start_due_scans()
            out, err = waiting.communicate(timeout=LOG_TIMEOUT)
    finally:
        waiting.kill()
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert waiting.returncode == 0, out + err
    assert out.strip().splitlines()[-1].split()[:3] == ["tv", f"#{run.pk}", "succeeded"]
    assert arr_tags(sonarr) == tv_library.expected


@pytest.mark.worker
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a database server that drops connections"
)
def test_wait_rides_out_the_database_dropping_its_connection(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """What a PostgreSQL restart does to the waiting command: its connection is cut. It
    says so once, connects again, and follows the run to its end."""
    env = {**os.environ, "DATABASE_URL": live_database_url(), "PYTHONUNBUFFERED": "1"}
    waiting = subprocess.Popen(
        [sys.executable, "manage.py", "scan", "--wait", "--instance", "tv"],
        cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert waiting.stdout is not None
        assert "queued" in waiting.stdout.readline()  # it follows the run now, no worker yet
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        with celery_worker():
            out, err = waiting.communicate(timeout=LOG_TIMEOUT)
    finally:
        waiting.kill()
    assert waiting.returncode == 0, out + err
    assert "the database is unreachable" in err and "the database is back" in err
    assert "Traceback" not in err
    assert arr_tags(sonarr) == tv_library.expected


def test_wait_by_default_outlasts_self_healing(settings) -> None:
    """Lost work is sent again on the first beat tick after the stall window: by default
    --wait waits longer than that without progress before it gives up."""
    settings.SCAN_STALL_SECONDS = 300
    assert wait_timeout() > settings.SCAN_STALL_SECONDS + settings.SCHEDULE_TICK_SECONDS


_LOADED_AFTER_THE_SCAN = """
import sys
from django.core.management import execute_from_command_line
unreached = ("plexapi", "scanner.tasks", "scanner.seerr.answering", "scanner.household.plex_tracks")
try:
    execute_from_command_line(["manage.py", *sys.argv[1:]])
finally:
    print("loaded:", " ".join(name for name in unreached if name in sys.modules) or "-")
"""


def test_an_unchanged_inline_rescan_loads_no_feature_it_does_not_reach(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """A cron rescan of nothing costs mostly its start (bench/RESULTS.md, issue 83): the
    tasks' wiring (every feature's tasks), the Seerr answering and the Plex step with its
    client (plexapi) are imported only when a message is sent, an ask waits or a Plex
    account is set; with none of them the command does its whole run without them."""
    assert _scan("--inline", "--instance", "tv")[0] == 0
    sonarr.state.reset_counters()
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    env.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
    result = python_code(_LOADED_AFTER_THE_SCAN, "scan", "--inline", "--instance", "tv", env=env)
    assert result.stdout.strip().splitlines()[-1] == "loaded: -", result.stdout + result.stderr
    run = ScanRun.objects.filter(instance=sonarr_instance).latest("pk")
    assert (run.status, run.items_total) == (ScanRun.Status.SUCCEEDED, 0), run.error
    assert sonarr.state.counters() == {("GET", "/api/v3/series"): 1, ("GET", "/api/v3/tag"): 1}
