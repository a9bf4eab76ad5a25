"""Workers on other hosts (issue 40, phase ``hosts``): the web server, beat, PostgreSQL
and Redis on this machine (the main host, 10.77.0.1 on bench/lan.py's LAN), and two
worker hosts (bench/worker_host.py), one worker process each, sharing nothing with the
main host but the network and, for the ``files`` source, the library at the same path.

* ``hosts files first``: a first scan reading the files on both hosts; compared with the
  one-host worker scan of the ``files`` phase (one worker, 2 processes).
* ``hosts arr first``: the ``arr`` source on hosts that cannot see the library.
* ``hosts heal``: a first scan again, the worker of a host busy with items killed
  (SIGKILL to its process group) once, with the tick and stall settings' defaults:
  how long from the kill until the runs end, and whether every tag is right.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench.arr_data import EPISODE_FILES, arr_items
from bench.arr_phases import load_arr_data, no_open_problems
from bench.expect import ARR, FILES, Expectation
from bench.fakearr import FakeArrProcess, start_fake
from bench.lan import MAIN_ADDRESS, Lan, check_requirements, relay
from bench.manifest import Manifest
from bench.phases import API_KEY, Phase
from bench.results import Heal, Hosts
from bench.scans import Context, ScanFigure, create_instances, migrate, scan
from bench.services import BenchError, RedisIndex, ThrowawayDatabase
from bench.worker_host import WorkerHost, start_worker_host
from bench.workers import celery_beat, web_server

HOSTS = ("a", "b")
KILL_AFTER = 0.25  # of the items done, when there are enough items for "mid-scan"
POLL_SECONDS = 0.05
HOLDING_SECONDS = 0.2
RESENT = r"(no heartbeat for \d+ s; sending its work again|items whose holder stopped beating)"
ITEM_BATCH = 64  # TAGGARR_ITEM_BATCH's default: "mid-scan" needs more than 4 x this
HEAL_TIMEOUT = 900.0


@dataclass
class HostsSetup:
    manifest: Manifest
    work: Path
    database: ThrowawayDatabase
    redis: RedisIndex
    redis_url: str
    env: Callable[[Path, str, str], dict[str, str]]  # data dir, DATABASE_URL, REDIS_URL
    latency_ms: float
    per_item_ms: float


def on_lan(url: str) -> str:
    """``url`` with its host replaced by the main host's LAN address (port, user kept)."""
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0]
    netloc = f"{user}@" if user else ""
    return urlunsplit(parts._replace(netloc=f"{netloc}{MAIN_ADDRESS}:{parts.port}"))


class Cluster:
    """What the phase keeps for its three runs: the LAN, the relays, the fakes, the keys."""

    def __init__(self, setup: HostsSetup, cleanup: contextlib.ExitStack) -> None:
        self.setup = setup
        self.lan = Lan(cleanup)
        self.nets = [self.lan.add_host(name) for name in HOSTS]
        for url in (setup.database.url, setup.redis_url):
            parts = urlsplit(url)
            target = (parts.hostname or "127.0.0.1", parts.port or 0)
            relay(target[1], target, setup.work / f"relay-{parts.scheme}.log", cleanup)
        self.fakes: dict[str, FakeArrProcess] = {}
        root = setup.manifest.root
        for app in ("sonarr", "radarr"):
            self.fakes[app] = start_fake(
                app, root / f"{app}-items.json", api_key=API_KEY,
                episode_files=root / EPISODE_FILES if app == "sonarr" else None,
                latency_ms=setup.latency_ms, per_item_ms=setup.per_item_ms,
                env=os.environ, log=setup.work / f"fake-{app}-lan.log", host=MAIN_ADDRESS,
            )  # fmt: skip
            cleanup.callback(self.fakes[app].service.stop)
        # Every host gets the same keys, as README's "Workers on more hosts" says.
        self.keys = {
            "TAGGARR_SECRET_KEY": secrets.token_urlsafe(48),
            "TAGGARR_ENCRYPTION_KEY": secrets.token_urlsafe(48),
        }

    def context(self, name: str, expect: Expectation) -> Context:
        """A fresh database and Redis index, the fakes untagged, on the main host."""
        setup = self.setup
        setup.database.recreate()
        setup.redis.flush()
        env = setup.env(setup.work / f"data-{name}", setup.database.url, setup.redis_url)
        env.update(self.keys)
        context = Context(setup.manifest, self.fakes, setup.work, env=env, expect=expect)
        if expect.source == ARR:
            load_arr_data(context)
        else:
            for app, fake in self.fakes.items():
                fake.reset_library(arr_items(setup.manifest, app))
        return context

    @contextlib.contextmanager
    def running(self, context: Context, name: str) -> Iterator[list[WorkerHost]]:
        """Beat and the web server here, a worker on each host."""
        setup = self.setup
        host_env = {
            **context.env,
            "DATABASE_URL": on_lan(setup.database.url),
            "REDIS_URL": on_lan(setup.redis_url),
        }
        library = None if context.expect.source == ARR else setup.manifest.root
        with contextlib.ExitStack() as stack:
            stack.enter_context(celery_beat(context, f"beat-{name}"))
            stack.enter_context(web_server(context, f"web-{name}"))
            hosts = []
            for net in self.nets:
                host = start_worker_host(
                    net, work=setup.work, library=library, env=host_env,
                    log=setup.work / f"worker-{name}-{net.name}.log",
                )  # fmt: skip
                stack.callback(host.stop)
                hosts.append(host)
            yield hosts


def hosts_phase(setup: HostsSetup, phase: Phase) -> None:
    check_requirements()
    hosts = phase.results.hosts = Hosts()
    with contextlib.ExitStack() as cleanup:
        cluster = Cluster(setup, cleanup)
        for source in (FILES, ARR):
            context = cluster.context(f"hosts-{source}", Expectation(source))
            migrate(context)
            create_instances(context, API_KEY)
            label = f"hosts {source} first"
            with cluster.running(context, f"hosts-{source}") as workers:
                phase.log(f"two hosts, {source} source: first scan --wait")
                figure = scan(context, label, inline=False, expected_probes=None)
                hosts.tasks[label] = {w.name: w.item_tasks()[1] for w in workers}
            phase.results.scans[label] = figure
            if source == ARR:
                phase.results.problems += no_open_problems(figure)
        context = cluster.context("hosts-heal", Expectation(FILES))
        migrate(context)
        create_instances(context, API_KEY)
        with cluster.running(context, "hosts-heal") as workers:
            phase.log("two hosts: first scan --wait, one host's worker killed mid-scan")
            figure, hosts.heal = heal(context, setup.database.url, workers, phase)
            hosts.tasks["hosts heal"] = {w.name: w.item_tasks()[1] for w in workers}
        phase.results.scans["hosts heal"] = figure


def heal(
    context: Context, database_url: str, workers: list[WorkerHost], phase: Phase
) -> tuple[ScanFigure, Heal]:
    outcome: dict[str, ScanFigure | BaseException] = {}

    def scan_in_background() -> None:
        try:
            outcome["figure"] = scan(context, "hosts heal", inline=False)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            outcome["error"] = exc

    scanning = threading.Thread(target=scan_in_background, name="hosts-heal-scan")
    scanning.start()
    with psycopg.connect(database_url, autocommit=True) as db:
        killed_at, victim, done, total = _kill_mid_scan(db, workers, scanning)
        phase.log(f"killed host {victim}'s worker at {done} of {total} items done")
        scanning.join(HEAL_TIMEOUT)
        if "error" in outcome:
            raise BenchError(f"the healing scan failed: {outcome['error']}")
        if scanning.is_alive() or "figure" not in outcome:
            raise BenchError(f"the healing scan did not end within {HEAL_TIMEOUT:g} s")
        (ended,) = db.execute(
            "SELECT extract(epoch FROM max(finished_at)) FROM scanner_scanrun"
        ).fetchone() or (None,)
    figure = outcome["figure"]
    assert isinstance(figure, ScanFigure)
    seconds = float(ended) - killed_at if ended is not None else None
    # Beat's tick runs on a worker: runs.recover_stalled says so in that worker's log.
    resends = sum(worker.count(RESENT) for worker in workers)
    return figure, Heal(victim, done, total, seconds, resends)


def _count(value: object) -> int:
    """A ``count(*)`` as psycopg gives it: an int."""
    if not isinstance(value, int):
        raise TypeError(f"count(*) gave {value!r}")
    return value


def _kill_mid_scan(
    db: psycopg.Connection[tuple[object, ...]],
    workers: list[WorkerHost],
    scanning: threading.Thread,
) -> tuple[float, str, int, int]:
    """Kill the worker of the first host that holds items once ``KILL_AFTER`` of them are
    done (at once, when there are few): (when, host, done, total). A host holds items
    when one item task has run for ``HOLDING_SECONDS``."""
    seen: dict[tuple[str, str], float] = {}  # (host, task id) -> first seen running
    while scanning.is_alive():
        rows = db.execute("SELECT status, count(*) FROM scanner_scanitem GROUP BY status")
        counts = {str(status): _count(n) for status, n in rows.fetchall()}
        total = sum(counts.values())
        done = counts.get("done", 0)
        pending = counts.get("pending", 0)
        enough = total > 4 * ITEM_BATCH
        now = time.monotonic()
        for worker in workers:
            for task in worker.in_flight():
                since = seen.setdefault((worker.name, task), now)
                mid = pending and (not enough or done >= KILL_AFTER * total)
                if mid and now - since >= HOLDING_SECONDS:
                    worker.kill()
                    return time.time(), worker.name, done, total
        time.sleep(POLL_SECONDS)
    raise BenchError("the scan ended before a host's worker could be killed mid-scan")
