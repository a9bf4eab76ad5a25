"""Scans as users run them, each a separate process on the benchmark's environment,
with what each cost: wall time, runs, SQL statements, *arr requests by route, the
share's file system calls (when the library is behind bench/slowfs.c), and whether
the *arr ends with the tags the audio source must give (bench/expect.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.artwork import ArtworkSettled, chunk_counts, settle
from bench.cpu import CpuShare, CpuWindow
from bench.expect import Expectation
from bench.fakearr import FakeArrProcess, Route, writes
from bench.machine import REPO
from bench.manifest import Manifest
from bench.services import BenchError
from bench.share import Share
from bench.sql_counts import read_counts, settled_counts

STEPS = REPO / "bench" / "django_steps.py"
STEP_TIMEOUT = 3600  # a scan whose tasks went missing would wait forever


@dataclass
class Context:
    manifest: Manifest
    fakes: dict[str, FakeArrProcess]
    work: Path  # logs and step outputs
    env: dict[str, str] = field(default_factory=dict)  # the Django processes' environment
    root: Path | None = None  # where the instances' root folders are (default: the library)
    share: Share | None = None  # the library's share, when ``root`` is on it
    expect: Expectation = field(default_factory=Expectation)  # the audio source and its tags
    worker_sql: Path | None = None  # the running worker's statement counts (bench/workers.py)
    worker_logs: list[Path] = field(default_factory=list)  # the running workers' logs

    @property
    def instance_root(self) -> Path:
        return self.root or self.manifest.root


@dataclass
class ScanFigure:
    label: str
    seconds: float  # wall time of the command, process start to exit
    runs: list[dict[str, Any]]
    queries: dict[str, int]  # inline: the scan's process; workers: the worker processes'
    requests: dict[str, Counter[Route]]  # app -> (method, route) -> count
    mismatches: list[str]
    expected_probes: list[str] | None = None  # a rescan after changes: exactly these files
    probed: list[str] | None = None  # the files it probed, when asked
    cpu: CpuShare | None = None
    calls: Counter[str] | None = None  # the share's file system calls during the scan
    share_cpu: float | None = None  # CPU seconds bench/slowfs.c used meanwhile
    sources: dict[str, int] = field(default_factory=dict)  # files stored, by audio source
    artwork: ArtworkSettled | None = None  # workers: the artwork the scan's runs refreshed

    def run_span(self) -> float | None:
        """Seconds from the first run's creation to the last run's end (the database's
        clock): what the runs took, without the process that asked for them."""
        if not self.runs or any(not run.get("finished_at") for run in self.runs):
            return None
        created = min(datetime.fromisoformat(run["created_at"]) for run in self.runs)
        ended = max(datetime.fromisoformat(run["finished_at"]) for run in self.runs)
        return (ended - created).total_seconds()

    def total(self, key: str) -> int:
        return sum(int(run[key]) for run in self.runs)

    @property
    def files_probed(self) -> int:
        return self.total("files_probed")

    @property
    def listed(self) -> int:
        return self.total("listed")

    @property
    def succeeded(self) -> bool:
        return bool(self.runs) and all(run["status"] == "succeeded" for run in self.runs)

    def route(self, app: str, method: str, route: str) -> int:
        return self.requests.get(app, Counter())[(method, route)]

    @property
    def opened(self) -> int | None:
        """Files and folders opened on the share (None: not on a share)."""
        return None if self.calls is None else self.calls["open"] + self.calls["opendir"]

    @property
    def query_count(self) -> int:
        return sum(self.queries.values())

    def writes(self, app: str) -> int:
        return writes(self.requests.get(app, Counter()))

    def problems(self) -> list[str]:
        found = [
            f"{self.label}: {run['instance']} run {run['status']}: {run['error']}"
            for run in self.runs
            if run["status"] != "succeeded"
        ]
        if not self.runs:
            found.append(f"{self.label}: no run was started")
        if self.expected_probes is not None:
            found += self._probe_problems(self.expected_probes)
        found += [f"{self.label}: {mismatch}" for mismatch in self.mismatches]
        return found

    @property
    def probed_as_expected(self) -> bool:
        """Probed exactly the files that changed (the count and the names)."""
        return self.expected_probes is not None and not self._probe_problems(self.expected_probes)

    def _probe_problems(self, expected: list[str]) -> list[str]:
        wanted = {os.path.realpath(path) for path in expected}
        got = {os.path.realpath(path) for path in self.probed or []}
        found = []
        if self.files_probed != len(wanted):
            found.append(f"{self.label}: probed {self.files_probed} files, expected {len(wanted)}")
        for path in sorted(got - wanted)[:5]:
            found.append(f"{self.label}: probed {path}, which did not change")
        for path in sorted(wanted - got)[:5]:
            found.append(f"{self.label}: did not probe {path}, which changed")
        return found


def run_python(context: Context, args: list[str], log_name: str) -> float:
    """Run a Python step on the benchmark environment; its wall time in seconds."""
    log = context.work / f"{log_name}.log"
    start = time.perf_counter()
    with open(log, "wb") as output:
        completed = subprocess.run(
            [sys.executable, *args],
            env=context.env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=STEP_TIMEOUT,
            check=False,
        )
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise BenchError(f"{' '.join(args[:3])} failed ({completed.returncode}):\n{tail}")
    return seconds


def migrate(context: Context) -> None:
    run_python(context, ["manage.py", "migrate", "--verbosity", "0"], "migrate")


def create_instances(
    context: Context,
    api_key: str,
    identify_audio_language: str = "off",
    targets: tuple[str, ...] = ("eng",),
) -> dict[str, str]:
    """The Sonarr and Radarr instances; returns their webhook tokens."""
    out = context.work / "tokens.json"
    run_python(
        context,
        [
            str(STEPS),
            "setup",
            "--library",
            str(context.instance_root),
            "--audio-source",
            context.expect.source,
            "--sonarr-url",
            context.fakes["sonarr"].url,
            "--radarr-url",
            context.fakes["radarr"].url,
            "--api-key",
            api_key,
            "--identify-audio-language",
            identify_audio_language,
            "--targets",
            ",".join(targets),
            "--out",
            str(out),
        ],
        "setup",
    )
    tokens: dict[str, str] = json.loads(out.read_text())
    out.unlink()
    return tokens


def scan(
    context: Context,
    label: str,
    *,
    inline: bool,
    expected_probes: list[str] | None = None,
    scheduled: bool = False,
) -> ScanFigure:
    """One ``manage.py scan``; ``expected_probes``: the only files it may read (a rescan).
    ``scheduled``: instead, the scan beat's tick starts on the running workers
    (``django_steps.py scheduled``; its figure is ``run_span``, not the step's wall time)."""
    for fake in context.fakes.values():
        fake.reset_counters()
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    out = context.work / f"{slug}.json"
    if scheduled:
        args = [str(STEPS), "scheduled", "--out", str(out)]
    else:
        args = [str(STEPS), "scan", "--inline" if inline else "--wait", "--out", str(out)]
    if expected_probes is not None:
        args.append("--list-probed")
    share = context.share
    before = (share.calls(), share.cpu_seconds()) if share else None
    counts = context.worker_sql if not inline else None
    worker_before = read_counts(counts) if counts else None
    logs = [] if inline else list(context.worker_logs)
    chunks_before = chunk_counts(logs)
    window = CpuWindow()
    seconds = run_python(context, args, slug)
    cpu = window.close()
    # The runs' artwork follows on the workers: waited for, so that its requests and
    # statements count for this scan (bench/artwork.py).
    artwork = settle(context.env["DATABASE_URL"], logs, chunks_before) if logs else None
    worker_queries: dict[str, int] = {}
    if counts is not None and worker_before is not None:
        worker_queries = dict(settled_counts(counts) - worker_before)
    calls, share_cpu = None, None
    if share is not None and before is not None:
        calls, share_cpu = share.calls() - before[0], share.cpu_seconds() - before[1]
    result = json.loads(out.read_text())
    requests = {app: fake.counters() for app, fake in context.fakes.items()}
    return ScanFigure(
        label=label,
        seconds=seconds,
        runs=result["runs"],
        queries=result["queries"] if inline else worker_queries,
        requests=requests,
        mismatches=tag_mismatches(context),
        expected_probes=expected_probes,
        probed=result.get("probed"),
        cpu=cpu,
        calls=calls,
        share_cpu=share_cpu,
        sources=result.get("sources", {}),
        artwork=artwork,
    )


def tag_mismatches(context: Context) -> list[str]:
    """Every item whose managed tag in the fake *arr is not the one its audio source must
    give (reading the files: the manifest's; from the *arr: bench/expect.py)."""
    found = []
    for app, fake in context.fakes.items():
        actual = fake.managed_tags()
        for item in context.manifest.of(app):
            got, expected = actual.get(item.arr_id, "(missing)"), context.expect.tag(item)
            if got != expected:
                found.append(
                    f"{app} #{item.arr_id} {item.title} ({item.profile}, "
                    f"{context.expect.source} source): expected {expected}, got {got}"
                )
    return found
