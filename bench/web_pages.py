"""The pages people open, over HTTP against the phase's running web server (gunicorn, 2
workers) on the library the workers just scanned: the admin media list, the dashboard,
the admin index and ``/api/media/``, each requested in turn as a logged-in superuser (a
session cookie from ``django_steps.py staff-session``), every middleware and template
included; p95 of each, and the web server's peak RSS (VmHWM of each of its processes,
bench/services.py)."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from bench.scans import STEPS, Context, run_python
from bench.services import PeakRss

WARM_UP = 2  # requests per page before the timed ones: each gunicorn worker's first
PAGES: dict[str, tuple[str, ...]] = {
    "admin media list": ("/admin/scanner/media/",),
    "dashboard": ("/admin/dashboard/",),
    # The app list, "All pages" (/admin/ itself opens the media list once the first
    # tags are applied, issue 61).
    "admin index": ("/admin/all/",),
    "/api/media/": (
        "/api/media/",
        "/api/media/?applied_tag=dub",
        "/api/media/?kind=series&ordering=-last_scanned_at",
        "/api/media/?search=series",
    ),
}


@dataclass
class WebPages:
    media: int  # rows the pages show
    files: int
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)  # page -> timed requests
    failures: list[str] = field(default_factory=list)
    rss: PeakRss | None = None  # gunicorn's processes, set when the server stops

    def percentile(self, page: str, share: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.latencies_ms.get(page, []))
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def staff_cookie(context: Context) -> dict[str, object]:
    out = context.work / "staff-session.json"
    run_python(context, [str(STEPS), "staff-session", "--out", str(out)], "staff-session")
    cookie: dict[str, object] = json.loads(out.read_text())
    out.unlink()
    return cookie


def measure_pages(context: Context, url: str, *, requests_each: int) -> WebPages:
    cookie = staff_cookie(context)
    session = requests.Session()
    session.cookies.set(str(cookie["name"]), str(cookie["value"]), domain=urlsplit(url).hostname)
    result = WebPages(media=int(str(cookie["media"])), files=int(str(cookie["files"])))
    for number in range(WARM_UP + requests_each):
        for page, paths in PAGES.items():  # in turn, so no page has the caches to itself
            path = paths[number % len(paths)]
            start = time.perf_counter()
            answer = session.get(url + path, timeout=60, allow_redirects=False)
            answer.content  # noqa: B018 - the whole body, as a browser reads it
            elapsed_ms = (time.perf_counter() - start) * 1000
            if answer.status_code != 200:
                where = answer.headers.get("Location", "")
                result.failures.append(f"GET {path}: HTTP {answer.status_code} {where}".strip())
                continue
            if number >= WARM_UP:
                result.latencies_ms.setdefault(page, []).append(elapsed_ms)
    return result
