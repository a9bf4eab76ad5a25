"""The rows of what a person waits for in the UI and what the web server holds: the admin
media list, the dashboard and ``/api/media/`` over HTTP (bench/web_pages.py), and the web
server's peak RSS."""

from __future__ import annotations

from bench.report_scans import Row, verdict
from bench.results import API_HTTP_P95_MAX_MS, PAGE_P95_MAX_MS, WEB_RSS_MAX_MB, Results

REPEAT = "--phases files"


def web_rows(results: Results) -> list[Row]:
    web = results.web
    if web is None:
        return []
    rows: list[Row] = []
    shown = f"{web.media:,} media, {web.files:,} files"
    for page, limit in (
        ("admin media list", PAGE_P95_MAX_MS),
        ("dashboard", PAGE_P95_MAX_MS),
        ("admin index", PAGE_P95_MAX_MS),
        ("/api/media/", API_HTTP_P95_MAX_MS),
    ):
        times = web.latencies_ms.get(page, [])
        if not times:
            continue
        p50, p95 = web.percentile(page, 0.5), web.percentile(page, 0.95)
        value = (
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(times):.0f} ms "
            f"({len(times)} requests; {shown})"
        )
        name = f"`{page}`" if page.startswith("/") else page
        label = f"{name} p95 over HTTP, logged-in staff (gunicorn, 2 workers)"
        rows.append((label, value, f"<= {limit} ms", verdict([("", p95 <= limit)]), REPEAT))
    if web.rss is not None and web.rss.peaks_kib:
        child = web.rss.child_kib * 1024 / 1e6
        main = web.rss.main_kib * 1024 / 1e6
        value = f"worker {child:.0f} MB, master {main:.0f} MB ({web.rss.processes} procs)"
        ok = max(child, main) <= WEB_RSS_MAX_MB
        label = "web server peak RSS (VmHWM, per process) after webhooks, pages and API"
        rows.append((label, value, f"<= {WEB_RSS_MAX_MB} MB", verdict([("", ok)]), REPEAT))
    return rows
