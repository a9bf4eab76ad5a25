"""The scans that read the files (audio source ``files``), on local disk or on the share:
first scan, rescan with nothing changed and rescan after touching 1 % of the episodes,
inline and through 2 Celery worker processes; the webhooks on local disk."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.changes import flip_series, touch_episodes
from bench.expect import translate
from bench.manifest import Item, Manifest
from bench.results import Results
from bench.scans import Context, create_instances, migrate, scan, tag_mismatches
from bench.services import PeakRss
from bench.web_pages import measure_pages
from bench.webhook_latency import Webhooks, measure_webhooks
from bench.workers import celery_worker, web_server
from tests.media import MediaFactory

API_KEY = "bench-arr-api-key-0123456789"
TOUCH_SHARE = 0.01


@dataclass
class Phase:
    results: Results
    log: Callable[[str], None]
    webhooks: int  # how many, one at a time
    pages: int = 40  # timed requests of each page (bench/web_pages.py)


def touch(context: Context, seed: int) -> list[str]:
    """Rewrite 1 % of the episodes; the paths a rescan must read, as the instances see them."""
    touched = touch_episodes(context.manifest, TOUCH_SHARE, seed=seed)
    if context.share is not None:
        context.share.settle()
    return translate(touched, context.manifest.root, context.instance_root)


def three_scans(context: Context, phase: Phase, label: str, *, inline: bool, seed: int) -> None:
    """First scan, rescan with nothing changed, rescan after touching 1 %."""
    scans = phase.results.scans
    phase.log(f"{label}: first scan")
    scans[f"{label} first"] = scan(context, f"{label} first", inline=inline)
    phase.log(f"{label}: rescan, nothing changed")
    scans[f"{label} rescan"] = scan(context, f"{label} rescan", inline=inline, expected_probes=[])
    touched = touch(context, seed)
    phase.log(f"{label}: rescan after touching {len(touched)} episodes")
    scans[f"{label} touched"] = scan(
        context, f"{label} touched", inline=inline, expected_probes=touched
    )


def inline_phase(context: Context, phase: Phase, disk: str) -> None:
    migrate(context)
    create_instances(context, API_KEY)
    three_scans(context, phase, f"{disk} inline", inline=True, seed=1)


def workers_phase(context: Context, phase: Phase, disk: str, *, webhooks: bool) -> None:
    """The three scans through the workers; on local disk also the rescan as the schedule
    runs it, the webhooks and the pages (admin, dashboard, API) with the web server's RSS."""
    migrate(context)
    tokens = create_instances(context, API_KEY)
    try:
        _workers_scans(context, phase, disk, tokens, webhooks=webhooks)
    finally:
        logs = sorted(context.work.glob(f"worker-{disk}-*.log"))
        phase.results.item_tasks[disk] = item_task_outcomes(logs)


def _workers_scans(
    context: Context, phase: Phase, disk: str, tokens: dict[str, str], *, webhooks: bool
) -> None:
    with celery_worker(context, f"worker-{disk}") as rss:
        phase.results.rss.extend(rss)
        three_scans(context, phase, f"{disk} workers", inline=False, seed=2)
        if not webhooks:
            return
        label = f"{disk} workers scheduled"
        phase.log(f"{disk} workers: rescan as the schedule runs it (beat's task)")
        phase.results.scans[label] = scan(
            context, label, inline=False, expected_probes=[], scheduled=True
        )
        peaks: list[PeakRss] = []
        with web_server(context, f"web-{disk}", peaks) as url:
            if phase.webhooks:
                files_webhooks(context, phase, url, tokens["sonarr"])
            phase.log(f"pages: admin media list, dashboard, /api/media/, {phase.pages} each")
            pages = measure_pages(context, url, requests_each=phase.pages)
            phase.results.web = pages
            phase.results.problems += pages.failures
        pages.rss = peaks[0] if peaks else None


ITEM_TASK_END = re.compile(
    r"Task scanner\.tasks\.scan_item\[[^\]]+\] (?:succeeded in [0-9.e-]+s: '(?P<result>[^']*)'"
    r"|raised (?:un)?expected: (?P<error>\w+))"
)


def item_task_outcomes(logs: list[Path]) -> dict[str, int]:
    """The workers' item tasks by how they ended (their log lines): "scanned" (the item's
    own), "failed" (ItemFailed), and the rest by what they said: a task that did nothing
    is one that ended neither scanning nor failing its item."""
    outcomes: dict[str, int] = {}
    for log in logs:
        for match in ITEM_TASK_END.finditer(log.read_text(errors="replace")):
            result, error = match.group("result"), match.group("error")
            if result is not None:
                key = "scanned" if result.startswith("scanned: ") else result
            else:
                key = "failed" if error == "ItemFailed" else error
            outcomes[key] = outcomes.get(key, 0) + 1
    return outcomes


def files_webhooks(context: Context, phase: Phase, url: str, token: str) -> None:
    phase.log(f"{phase.webhooks} webhooks, one at a time (files source)")
    factory = MediaFactory(context.manifest.root / "templates")

    def change(manifest: Manifest, item: Item) -> None:
        flip_series(manifest, item, factory)

    hooks = Webhooks(
        context.manifest, context.fakes["sonarr"], url, token,
        change=change, expect=context.expect,
    )  # fmt: skip
    result = measure_webhooks(hooks, count=phase.webhooks)
    phase.results.webhooks["files"] = result
    phase.results.problems += result.failures
    mismatches = tag_mismatches(context)
    phase.results.problems += [f"after the webhooks: {m}" for m in mismatches]
