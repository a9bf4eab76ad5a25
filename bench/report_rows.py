"""The figures besides the file-reading scans: *arr writes, SQL per item, worker memory,
webhooks, ``/api/media/``, media-server writes, tags, and the *arr audio sources
(``arr``, ``hybrid``)."""

from __future__ import annotations

from bench.report_artwork import artwork_rows
from bench.report_hosts import hosts_rows
from bench.report_scans import Row, calls, noise, verdict
from bench.report_web import web_rows
from bench.results import (
    API_P95_MAX_MS,
    ARR_FULL_MAX,
    ARR_RESCAN_MAX,
    ARR_WEBHOOK_P95_MAX,
    EPISODE_FILES,
    RSS_MAX_MB,
    SERVER_FIRST_MAX,
    WEBHOOK_P95_MAX,
    WORKER_SQL_PER_ITEM_MAX,
    WRITES_MAX,
    Results,
)
from bench.webhook_latency import WebhookResult


def _writes(results: Results) -> list[Row]:
    scans = list(results.scans.values())
    if not scans:
        return []
    worst = {app: max(s.writes(app) for s in scans) for app in ("sonarr", "radarr")}
    value = ", ".join(f"{app} {n}" for app, n in worst.items())
    ok = max(worst.values()) <= WRITES_MAX
    label = "*arr write requests per scan (max over scans)"
    return [(label, value, f"<= {WRITES_MAX} per *arr", verdict([("writes", ok)]), "any")]


def _queries(results: Results) -> list[Row]:
    """Statements per listed item: the inline scan's process, and the worker processes
    (bench/counted_worker.py) during the scans through 2 workers."""
    rows: list[Row] = []
    for how in ("inline", "workers"):
        for kind in ("first", "rescan", "touched"):
            scan = results.scans.get(f"local {how} {kind}")
            if not (scan and scan.queries and scan.listed):
                continue
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(scan.queries.items()))
            per_item = scan.query_count / scan.listed
            value = f"{per_item:.2f} ({scan.query_count} / {scan.listed} items: {kinds})"
            target, judged = "-", "-"
            if how == "workers" and kind == "first":
                target = f"<= {WORKER_SQL_PER_ITEM_MAX:g}"
                judged = verdict([("", per_item <= WORKER_SQL_PER_ITEM_MAX)])
            who = "the scan's process" if how == "inline" else "the worker processes"
            label = f"SQL statements per listed item, {how} {kind} ({who})"
            rows.append((label, value, target, judged, "--phases files"))
    return rows


def _rss(results: Results) -> list[Row]:
    if not results.rss:
        return []
    # A worker is one process (its item tasks run on threads); a child, if one shows up
    # (a prefork pool), is counted as before.
    child = max(rss.child_kib for rss in results.rss) * 1024 / 1e6
    main = max(rss.main_kib for rss in results.rss) * 1024 / 1e6
    processes = sum(rss.processes for rss in results.rss)
    parts = [f"worker process {main:.0f} MB"] + ([f"child {child:.0f} MB"] if child else [])
    value = f"{', '.join(parts)} ({processes} procs)"
    ok = max(child, main) <= RSS_MAX_MB
    label = "worker peak RSS (VmHWM, per process)"
    return [(label, value, f"<= {RSS_MAX_MB} MB", verdict([("", ok)]), "--phases files,arr")]


def _webhook(hooks: WebhookResult, source: str, limit: float, phase: str) -> Row:
    p50, p95 = hooks.percentile(0.5), hooks.percentile(0.95)
    slowest = sorted(enumerate(hooks.latencies), key=lambda pair: -pair[1])[:3]
    value = f"p50 {p50:.2f} s, p95 {p95:.2f} s; slowest " + ", ".join(
        f"#{number + 1} {seconds:.2f} s" for number, seconds in slowest
    )
    checks = [("p95", p95 <= limit)]
    target = f"p95 <= {limit:g} s"
    if source == "arr":
        requests = hooks.requests[EPISODE_FILES]
        opened = "-" if hooks.opened is None else str(hooks.opened)
        value += f"; opened {opened}, {requests} episodefile requests" + calls(hooks.calls)
        target += ", no file opened"
        checks.append(("opened", not hooks.opened))
    label = f"webhook -> tag ({source} source), {len(hooks.latencies)} webhooks"
    return (label, value, target, verdict(checks), phase)


def _api(results: Results) -> list[Row]:
    api = results.api_media
    if api is None:
        return []
    ok = api.p95_ms < API_P95_MAX_MS
    label = "`/api/media/` p95 (bench/api_media.py)"
    return [(label, api.describe(), f"< {API_P95_MAX_MS} ms", verdict([("", ok)]), "--phases api")]


def _servers(results: Results) -> list[Row]:
    rows: list[Row] = []
    for step in results.server_steps:
        if step.phase == "first":
            target, ok = f"<= {SERVER_FIRST_MAX:g} s", step.seconds <= SERVER_FIRST_MAX
        else:
            target, ok = "0 writes", step.writes == 0
        after = "a first scan" if step.phase == "first" else "a rescan (nothing changed)"
        label = f"media-server write step, {step.server}, after {after}"
        rows.append((label, step.describe(), target, verdict([("", ok)]), "--phases servers"))
    return rows


def _tags(results: Results) -> Row:
    wrong = sum(len(scan.mismatches) for scan in results.scans.values())
    value = f"{wrong} wrong after {len(results.scans)} scans"
    label = "tags in the fake *arrs vs the manifest (per audio source), after every scan"
    return (label, value, "0", verdict([("", wrong == 0)]), "any")


def _arr(results: Results) -> list[Row]:
    rows: list[Row] = []
    proof = results.notes.get("arr", "")
    for kind, limit in (("first", ARR_FULL_MAX), ("rescan", ARR_RESCAN_MAX)):
        scan = results.scans.get(f"arr {kind}")
        if scan is None:
            continue
        requests = scan.route("sonarr", *EPISODE_FILES)
        opened = "-" if scan.opened is None else str(scan.opened)
        value = (
            f"{scan.seconds:.2f} s; opened {opened}, {scan.files_probed} probed, "
            f"{scan.sources.get('arr', 0)} files from the *arr, {requests} episodefile requests"
            + calls(scan.calls, scan.share_cpu) + noise(scan.cpu)
        )  # fmt: skip
        checks = [("time", scan.seconds <= limit), ("opened", not scan.opened)]
        checks.append(("probed", scan.probed_as_expected))
        target = f"<= {limit:g} s (at 2,000 + 500), nothing opened ({proof})"
        if kind == "rescan":
            checks.append(("episodefile", requests == 0))
            target += ", 0 episodefile requests"
        what = "full first scan" if kind == "first" else "rescan, nothing changed"
        label = f"`arr` source: {what} (`scan --inline`)"
        rows.append((label, value, target, verdict(checks), "--phases arr"))
    hybrid = results.scans.get("hybrid first")
    if hybrid is not None:
        value = f"{hybrid.seconds:.2f} s; {hybrid.files_probed} probed" + calls(
            hybrid.calls, hybrid.share_cpu
        )
        value += noise(hybrid.cpu)
        target = f"probes exactly {results.notes.get('hybrid', '')}"
        label = "`hybrid` source, 1 % of the *arr's media info missing: first scan (`--inline`)"
        rows.append(
            (label, value, target, verdict([("", hybrid.probed_as_expected)]), "--phases hybrid")
        )
    return rows


def _item_tasks(results: Results) -> list[Row]:
    """Issue 48: every item task of the workers' scans did its own item."""
    rows: list[Row] = []
    for disk, outcomes in sorted(results.item_tasks.items()):
        done = outcomes.get("scanned", 0) + outcomes.get("failed", 0)
        idle = {what: n for what, n in outcomes.items() if what not in ("scanned", "failed")}
        told = "; ".join(f"{n} {what!r}" for what, n in sorted(idle.items())) or "none"
        value = f"{sum(idle.values())} of {done + sum(idle.values())} (the rest: {told})"
        label = f"item tasks that did nothing, {disk} workers (every scan of the phase)"
        ok = not idle
        rows.append((label, value, "0", verdict([("", ok)]), "--phases files"))
    return rows


def other_rows(results: Results) -> list[Row]:
    rows = _writes(results) + _queries(results) + artwork_rows(results)
    rows += _item_tasks(results) + _rss(results)
    if "files" in results.webhooks:
        rows.append(_webhook(results.webhooks["files"], "files", WEBHOOK_P95_MAX, "--phases files"))
    rows += hosts_rows(results) + _arr(results)
    if "arr" in results.webhooks:
        rows.append(_webhook(results.webhooks["arr"], "arr", ARR_WEBHOOK_P95_MAX, "--phases arr"))
    tags = [_tags(results)] if results.scans else []  # phases api, servers alone: no scan
    return [*rows, *_api(results), *web_rows(results), *_servers(results), *tags]
