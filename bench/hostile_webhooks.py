"""bench/hostile.py's webhook flood (issue 59): 10,000 valid Sonarr ``Download`` webhooks
to gunicorn as the Procfile starts it, for an instance that waits for its first scan
(so every request is remembered, none started), from 4 clients at once. Each carries 40
episode files with their media info (about 16 KB); one in ten names the same series
(its changes pass the item's bound), the others random series ids (they pass the
instance's bound of waiting items).

Two floods, each on a gunicorn of its own: the rate off (``TAGGARR_WEBHOOK_RATE``
1,000,000: every request stored, the bounds of the stored requests at work) and the
rate as shipped (300 a minute: the rest answered 429). Targets: no answer slower than
1 s, gunicorn's peak RSS under 250 MB, only 202 (and 429 past the rate), the stored
requests within their bounds.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.hostile_cases import WEB_PEAK_MB, Outcome
from bench.services import PeakRss, answers, start_service
from bench.workers import free_port

REPO = Path(__file__).resolve().parent.parent
REQUESTS = 10_000
CLIENTS = 4  # two for each of gunicorn's workers: more only queue at its socket
FILES = 40
HOT_SERIES = 1
ANSWER_BOUND_SECONDS = 1.0
GUNICORN_KILLED = ("WORKER TIMEOUT", "was sent SIGKILL", "MemoryError", "Traceback")
FLOODS = (("rate off", 1_000_000, {202}), ("rate 300 a minute", 300, {202, 429}))


def webhook_floods(env: dict[str, str], work: Path, count: int = REQUESTS) -> list[Outcome]:
    return [_flood(env, work, name, rate, statuses, count) for name, rate, statuses in FLOODS]


@dataclass
class _Measured:
    seconds: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.seconds.append(seconds)
            self.statuses[status] += 1


def _flood(
    env: dict[str, str], work: Path, name: str, rate: int, statuses: set[int], count: int
) -> Outcome:
    from scanner.models import Instance

    instance = Instance.objects.create(
        name=f"flood {name}", kind=Instance.Kind.SONARR, url="http://127.0.0.1:9",
        root_folders=["/not-mounted/tv"], target_languages=["eng"],
    )  # fmt: skip
    instance.set_api_key("0123456789abcdef0123456789abcdef")
    instance.save()
    assert instance.waits_for_first_scan  # every webhook is remembered, none starts a run
    url, web, log = _gunicorn(env, work, name, rate)
    rss = PeakRss(web.pid).start()
    measured = _Measured()
    target = f"{url}/api/webhooks/{instance.get_webhook_token()}/"
    chooser = random.Random(59)
    ids = [HOT_SERIES if n % 10 == 0 else chooser.randint(2, 2_000_000) for n in range(count)]
    local = threading.local()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(lambda series: _send(local, target, series, measured), ids))
    finally:
        took = time.monotonic() - started
        rss.stop()
        text = log.read_text(errors="replace")
        web.stop()
    return _judge(instance, name, statuses, measured, rss, text, took)


def _gunicorn(env: dict[str, str], work: Path, name: str, rate: int) -> tuple[str, Any, Path]:
    port = free_port()
    web_env = {**env, "TAGGARR_BIND": f"127.0.0.1:{port}", "TAGGARR_WEBHOOK_RATE": str(rate)}
    url = f"http://127.0.0.1:{port}"
    log = work / f"gunicorn-flood-{rate}.log"
    command = [str(Path(sys.executable).with_name("gunicorn")), "--config",
               "python:taggarr.gunicorn_conf"]  # fmt: skip
    web = start_service(
        f"gunicorn ({name})", command, web_env, log, ready=answers(f"{url}/healthz"), cwd=REPO
    )
    return url, web, log


def _send(local: threading.local, target: str, series: int, measured: _Measured) -> None:
    session = getattr(local, "session", None)
    if session is None:
        session = local.session = requests.Session()
    body = json.dumps(_download(series))
    headers = {"Content-Type": "application/json"}
    started = time.monotonic()
    answer = session.post(target, data=body, headers=headers, timeout=60)
    measured.add(answer.status_code, time.monotonic() - started)


def _download(series: int) -> dict[str, object]:
    """Sonarr's import of a season pack (src/NzbDrone.Core/Notifications/Webhook/
    WebhookImportPayload.cs, WebhookEpisodeFile.cs)."""
    files = [
        {"id": n, "relativePath": f"Season 01/Show {series} - S01E{n:02d} - Title.mkv",
         "path": f"/tv/Show {series}/Season 01/Show {series} - S01E{n:02d} - Title.mkv",
         "quality": "WEBDL-1080p", "size": 1_500_000_000 + 1000 * series + n,
         "dateAdded": "2025-01-01T00:00:00Z", "seasonNumber": 1,
         "mediaInfo": {"audioLanguages": ["jpn", "eng"], "subtitles": ["eng"],
                       "audioStreamCount": 2}}
        for n in range(1, FILES + 1)
    ]  # fmt: skip
    return {
        "eventType": "Download",
        "series": {"id": series, "title": f"Show {series}", "path": f"/tv/Show {series}"},
        "episodeFiles": files,
        "isUpgrade": False,
    }


def _judge(
    instance: Any,
    name: str,
    statuses: set[int],
    measured: _Measured,
    rss: PeakRss,
    log: str,
    took: float,
) -> Outcome:
    from scanner.models import ScanRequest
    from scanner.pipeline.state import webhook_requests

    peak_mb = max(rss.peaks_kib.values(), default=0) / 1024
    slowest = max(measured.seconds, default=float("inf"))
    ordered = sorted(measured.seconds)
    p99 = ordered[int(0.99 * (len(ordered) - 1))] if ordered else float("inf")
    rows = list(ScanRequest.objects.filter(instance=instance).values_list("arr_id", "file_changes"))
    biggest = max((len(json.dumps(c)) for _, c in rows if c is not None), default=0)
    answered = ", ".join(f"{n} x {status}" for status, n in sorted(measured.statuses.items()))
    said = (
        f"{answered} in {took:.0f} s; p99 {p99 * 1000:.0f} ms; {len(rows)} requests stored "
        f"(largest {biggest // 1024} KiB of changes)"
    )
    problems = []
    if set(measured.statuses) - statuses:
        problems.append(f"answers other than {sorted(statuses)}: {answered}")
    if slowest > ANSWER_BOUND_SECONDS:
        problems.append(f"slowest answer {slowest:.2f} s over {ANSWER_BOUND_SECONDS:g} s")
    if peak_mb > WEB_PEAK_MB:
        problems.append(f"peak RSS {peak_mb:.0f} MB over {WEB_PEAK_MB} MB")
    if len(rows) > webhook_requests.MAX_WAITING_ITEMS + 1:
        problems.append(f"{len(rows)} waiting requests stored")
    if biggest > webhook_requests.MAX_CHANGES_CHARS:
        problems.append(f"a stored request of {biggest} characters")
    killed = [text for text in GUNICORN_KILLED if text in log]
    if killed:
        problems.append(f"killed or lost: {', '.join(killed)}")
    problem = f"web webhook flood {name}: " + "; ".join(problems) if problems else ""
    return Outcome(
        "web webhook flood", f"{name}, {len(measured.seconds):,} webhooks",
        f"slowest {slowest:.2f} s", said, slowest, ANSWER_BOUND_SECONDS, peak_mb, problem,
    )  # fmt: skip
