"""``manage.py scan``: start scans from the command line (cron, first runs, scripts).

By default the runs are queued for the workers and their ids printed. ``--wait``
follows them to the end; ``--inline`` runs the whole pipeline in this process with
no broker and no worker (several instances at once, a thread each), and ends when the
tags are written: the posters and fanart are sent to the workers (a message; a broker
out of reach is one line of output, and the next worker scan fetches them). Before its
own run, ``--inline`` runs what waited for the instance (a decision's run that no worker
took: scanner.actions.scans.run_waiting), printed and counted in the summary and the
exit status like its own, and told with it (one message per kind). With ``--dry-run``
nothing that waited runs (it would write): it is said and stays waiting, and a queued
run refuses the dry run as it refuses any scan. Exit status 0 when every run succeeded,
1 when one did not (failed, partial, cancelled, interrupted, or refused to start), 3
when ``--wait`` gave up on runs still queued or running.

``--path`` rescans the items that hold a path as a webhook would: queued (after the
instance's active run, if any) by default; with ``--wait`` or ``--inline`` a run of each
instance is started at once and followed or run here, the same exit statuses, and an
instance whose run is active is refused (waiting behind it would follow a run this
command did not start).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import InterfaceError, OperationalError, connections

from scanner.actions.rescan_path import path_runs, rescan_path
from scanner.actions.scans import (
    ScanAlreadyActive,
    scan_inline,
    send_artwork,
    start_scan,
    waiting_work,
)
from scanner.errors import ConfigError
from scanner.models import Instance, RunRequest, ScanRun
from scanner.reports.progress import Progress, changes_text, format_seconds

POLL_SECONDS = 0.2
# While every run followed is in its last step (applying), --wait looks more often: a run
# that found nothing to read applies in a fraction of a second, and the command ended up
# to a whole poll after it (half a poll on average, 4 % of an unchanged rescan of 2,000
# series on workers; issue 69). A few primary-key reads a second, for that step only.
POLL_SECONDS_APPLYING = 0.05
# Inline scans of this many instances at most run at once (threads of this process).
CONCURRENT_INSTANCES = 4
# Exit status when --wait gave up on runs that are still queued or running.
STILL_RUNNING = 3


def wait_timeout() -> float:
    """How long a run may show no progress before ``--wait`` gives up: as long as
    self-healing can take. A working step beats every TAGGARR_SCAN_STALL_SECONDS / 6 and
    a step waiting to retry beats at each retry; work lost with a worker is sent again
    on the first beat tick after the stall window (and that resend is progress), so
    the window, a tick and a margin for the worker to pick it up."""
    return float(settings.SCAN_STALL_SECONDS + settings.SCHEDULE_TICK_SECONDS + 30)


def poll_interval(active: list[ScanRun]) -> float:
    """How long ``--wait`` sleeps before it looks at the ``active`` runs again."""
    if active and all(run.status == ScanRun.Status.APPLYING for run in active):
        return POLL_SECONDS_APPLYING
    return POLL_SECONDS


class Command(BaseCommand):
    help = "Scan instances: queue for the workers (default), --wait for them, or run --inline."
    # No system checks: they load the URLconf (the admin, the API and its schema), a
    # fifth of a no-change rescan's wall time, on every cron run. ``bootstrap`` (each
    # start of the image), ``migrate`` and ``check`` run them.
    requires_system_checks: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._progress: dict[int, str] = {}  # run id -> its part of the progress line
        self._progress_lock = threading.Lock()
        self._waited: list[ScanRun] = []  # --inline: the runs that waited, run here first

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--instance", action="append", default=[], metavar="NAME",
            help="instance to scan (repeatable); default: every enabled instance",
        )  # fmt: skip
        parser.add_argument(
            "--path", metavar="PATH",
            help="rescan the items whose folder holds this file or folder (a tool changed "
            "it behind the *arr's back: Bazarr, Tdarr); queued as a webhook's would be (after "
            "the instance's active scan, if any). With --wait or --inline a run is started "
            "for each instance now, followed or run here; an instance with an active scan "
            "is refused (exit status 1), not waited for. Goes with no --instance, --mode, "
            "--quick or --dry-run",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="decide, write nothing")
        parser.add_argument("--mode", choices=ScanRun.Mode.values, default=ScanRun.Mode.NORMAL)
        parser.add_argument("--quick", action="store_true", help="first episode per season only")
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--wait", action="store_true", help="follow the queued runs to the end")
        how.add_argument("--inline", action="store_true", help="run here, without broker or worker")
        parser.add_argument(
            "--wait-timeout", type=float, default=None, metavar="SECONDS",
            help="with --wait: give up when no run made progress for this long (no worker "
            "running?); default: as long as a lost step takes to be sent again "
            "(TAGGARR_SCAN_STALL_SECONDS + 90, 180 s by default)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        self._refuse_bad_combinations(options)
        inline, wait = bool(options["inline"]), bool(options["wait"])
        if options["path"] is not None:
            if not (inline or wait):
                self._rescan_path(str(options["path"]))
                return
            starts = self._path_runs(str(options["path"]))
        else:
            request = RunRequest(
                ScanRun.Trigger.CLI,
                dry_run=True if options["dry_run"] else None,
                mode=str(options["mode"]),
                quick_mode=True if options["quick"] else None,
            )
            instances = self._instances(options["instance"])
            starts = [(instance, request) for instance in instances]
        if inline and options["dry_run"]:
            self._left_waiting(instance for instance, _ in starts)
        start: Callable[[Instance, RunRequest], ScanRun] = (
            partial(scan_inline, on_item=self._show_progress, on_waited=self._ran_waiting)
            if inline
            else start_scan
        )
        outcomes = self._each(starts, start, at_once=inline)
        if inline:
            self._end_progress_line()
        runs: list[ScanRun] = []
        for waited in self._waited:
            runs.append(waited)
            self.stdout.write(
                f"{waited.instance.name}: scan #{waited.pk} ({waited.mode}, asked by "
                f"{waited.trigger}) waited for a worker: run here first"
            )
        refused = 0
        for (instance, _), outcome in zip(starts, outcomes, strict=True):
            if isinstance(outcome, ScanRun):
                runs.append(outcome)
                if not inline:
                    self.stdout.write(f"{instance.name}: scan #{outcome.pk} queued")
            else:
                self.stderr.write(f"{instance.name}: {outcome}")
                refused += 1
        if inline or wait:
            timeout = options["wait_timeout"]
            if wait and not self._follow(
                runs,
                wait_timeout() if timeout is None else float(timeout),
            ):
                sys.exit(STILL_RUNNING)
            if inline:
                self._send_artwork(runs)  # a line above the table, which stays last
            self._summary(runs)
        unsuccessful = any(run.status != ScanRun.Status.SUCCEEDED for run in runs)
        if refused or ((inline or wait) and unsuccessful):
            sys.exit(1)

    def _left_waiting(self, instances: Iterable[Instance]) -> None:
        """--inline --dry-run: what waits for a worker stays waiting (a dry run writes
        nothing, anywhere), said before the scans."""
        for instance in instances:
            waiting = waiting_work(instance)
            if waiting.queued is not None:
                run = waiting.queued
                self.stdout.write(
                    f"{instance.name}: scan #{run.pk} ({run.mode}, asked by {run.trigger}) "
                    "waits for a worker; a dry run leaves it waiting"
                )
            if waiting.whole:
                self.stdout.write(
                    f"{instance.name}: a scan of the whole library asked by webhooks waits "
                    "for a worker; a dry run leaves it waiting"
                )
            elif waiting.items:
                self.stdout.write(
                    f"{instance.name}: {waiting.items} item(s) asked by webhooks wait for a "
                    "worker; a dry run leaves them waiting"
                )

    def _refuse_bad_combinations(self, options: dict[str, object]) -> None:
        if options["wait_timeout"] is not None and not options["wait"]:
            raise CommandError("--wait-timeout goes with --wait only")
        if options["path"] is None:
            return
        given = [
            flag
            for flag, used in (
                ("--instance", bool(options["instance"])),
                ("--dry-run", bool(options["dry_run"])),
                ("--mode", options["mode"] != ScanRun.Mode.NORMAL),
                ("--quick", bool(options["quick"])),
            )
            if used
        ]
        if given:
            raise CommandError(
                f"--path does not go with {', '.join(given)}: it rescans every item that "
                "holds the path, on its own instance, as a webhook would"
            )

    def _rescan_path(self, path: str) -> None:
        try:
            rescans = rescan_path(path)
        except ConfigError as exc:  # NoItemAtPath included
            raise CommandError(str(exc)) from None
        for each in rescans:
            started = f"scan #{each.run.pk} queued" if each.run else "waits for the active scan"
            self.stdout.write(f"{each.media.instance.name}: {each.media.title}: {started}")

    def _path_runs(self, path: str) -> list[tuple[Instance, RunRequest]]:
        """--path with --wait or --inline: a run per instance holding the path, started
        here (and followed, or run), never left waiting behind an active scan."""
        try:
            found = path_runs(path)
        except ConfigError as exc:  # NoItemAtPath included
            raise CommandError(str(exc)) from None
        for instance, _, items in found:
            titles = ", ".join(media.title for media in items)
            self.stdout.write(f"{instance.name}: rescans {titles}")
        return [(instance, request) for instance, request, _ in found]

    def _each(
        self,
        starts: list[tuple[Instance, RunRequest]],
        start: Callable[[Instance, RunRequest], ScanRun],
        *,
        at_once: bool,
    ) -> list[ScanRun | Exception]:
        """``start`` for each instance and its request: its run, or why it was refused.
        ``at_once`` (inline scans): several instances at once, each on a thread of its own
        with its own database connection, so one instance's waits on its *arr overlap the
        others' work."""

        def one(each: tuple[Instance, RunRequest]) -> ScanRun | Exception:
            instance, request = each
            if request.trigger == ScanRun.Trigger.WEBHOOK and instance.waits_for_first_scan:
                return ConfigError(
                    "waits for its first scan: start that first (in the admin, or "
                    f"manage.py scan --instance {instance.name!r})"
                )
            try:
                return start(instance, request)
            except ScanAlreadyActive as exc:
                queued = exc.run is not None and exc.run.status == ScanRun.Status.QUEUED
                if queued and request.dry_run:
                    return ConfigError(
                        f"{exc}: it waits for a worker, and a dry run does not run it. Start "
                        "a worker ('celery -A taggarr worker'; make run starts one), or scan "
                        "with --inline and without --dry-run: it runs that scan first"
                    )
                if queued:
                    return ConfigError(
                        f"{exc}: it waits for a worker. Start one ('celery -A taggarr "
                        "worker'; make run starts one), or scan with --inline: it runs that "
                        "scan first"
                    )
                if request.trigger != ScanRun.Trigger.WEBHOOK:
                    return exc
                return ConfigError(
                    f"{exc}: --path with --wait or --inline does not wait behind it; "
                    "run again when it has ended, or without them to rescan after it"
                )
            except ConfigError as exc:
                return exc

        if len(starts) == 1 or not at_once:
            return [one(each) for each in starts]

        def on_thread(each: tuple[Instance, RunRequest]) -> ScanRun | Exception:
            try:
                return one(each)
            finally:
                connections.close_all()  # this thread's own

        with ThreadPoolExecutor(min(len(starts), CONCURRENT_INSTANCES), "taggarr-scan") as pool:
            return list(pool.map(on_thread, starts))

    def _instances(self, names: Iterable[str]) -> list[Instance]:
        names = list(names)
        if not names:
            instances = list(Instance.objects.filter(enabled=True))
            if not instances:
                raise CommandError("no enabled instance: add one in the admin first")
            return instances
        found = {i.name: i for i in Instance.objects.filter(name__in=names)}
        missing = [name for name in names if name not in found]
        if missing:
            known = ", ".join(Instance.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"unknown instance {', '.join(missing)} (known: {known})")
        return [found[name] for name in names]

    def _follow(self, runs: list[ScanRun], timeout: float) -> bool:
        """Until every run ended (True), or none made progress for ``timeout`` seconds.
        A database that restarts meanwhile is waited for (it counts as no progress)."""
        seen: dict[int, tuple[str, datetime | None, int]] = {}
        progressed_at = time.monotonic()
        database_down = False
        while True:
            try:
                for run in runs:
                    run.refresh_from_db()
            except (OperationalError, InterfaceError) as exc:
                if not database_down:
                    self._end_progress_line()
                    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    self.stderr.write(f"the database is unreachable ({reason}); waiting for it")
                database_down = True
                connections.close_all()  # a new connection at the next try
                active = runs
            else:
                if database_down:
                    self.stderr.write("the database is back")
                database_down = False
                active = [run for run in runs if run.is_active]
                if not active:
                    break
                state = {run.pk: (run.status, run.heartbeat_at, run.items_done) for run in active}
                if state != seen:
                    seen, progressed_at = state, time.monotonic()
            if time.monotonic() - progressed_at > timeout:
                self._end_progress_line()
                waiting = ", ".join(f"#{run.pk} ({run.status})" for run in active)
                if database_down:
                    self.stderr.write(
                        f"no progress for {timeout:g} s on scan {waiting}, the database still "
                        "unreachable. The scans go on when it is back."
                    )
                    return False
                self.stderr.write(
                    f"no progress for {timeout:g} s on scan {waiting}: is a worker running? "
                    "Start one with 'celery -A taggarr worker' (make run starts one), or scan "
                    "with --inline. The scans stay queued and go on when a worker is there."
                )
                return False
            if self.stdout.isatty() and not database_down:
                self._progress_line(" | ".join(Progress.of(run).line() for run in active))
            time.sleep(poll_interval(active))
        self._end_progress_line()
        return True

    def _ran_waiting(self, run: ScanRun) -> None:
        with self._progress_lock:
            self._waited.append(run)

    def _show_progress(self, run_id: int) -> None:
        if self.stdout.isatty():
            run = ScanRun.objects.select_related("instance").get(pk=run_id)
            with self._progress_lock:
                self._progress[run_id] = f"{run.instance.name}: {Progress.of(run).line()}"
                self._progress_line(" | ".join(self._progress.values()))

    def _progress_line(self, text: str) -> None:
        self.stdout.write(f"\r\033[K{text}", ending="")
        self.stdout.flush()

    def _end_progress_line(self) -> None:
        if self.stdout.isatty():
            self.stdout.write("")

    def _send_artwork(self, runs: list[ScanRun]) -> None:
        """The posters and fanart follow on a worker: the command ends with the tags."""
        if not runs:
            return
        if all([send_artwork(run) for run in runs]):
            self.stdout.write("Posters and fanart: sent to the workers, they fetch what changed.")
        else:
            self.stdout.write(
                "Posters and fanart: the broker is unreachable; they come after the next "
                "scan a worker runs."
            )

    def _summary(self, runs: list[ScanRun]) -> None:
        header = ("instance", "scan", "status", "scanned", "unchanged", "failed", "files read",
                  "time", "tag changes", "problem")  # fmt: skip
        rows = [header]
        for run in runs:
            progress = Progress.of(run)
            rows.append((
                run.instance.name, f"#{run.pk}", run.status, str(run.items_total),
                str(run.items_skipped), str(run.items_failed), str(run.files_probed),
                format_seconds(progress.elapsed_seconds), changes_text(run), run.error or "-",
            ))  # fmt: skip
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))
