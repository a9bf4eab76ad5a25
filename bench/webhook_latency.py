"""Webhook -> tag latency: the files of one series change, Sonarr sends its Download
webhook to Taggarr's web server, and the clock runs until the fake Sonarr shows the
series' new tag (polled through its API every 10 ms). One webhook at a time."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.changes import flip_candidates, flip_series
from bench.fakearr import FakeArrProcess, Route
from bench.make_library import REMOTE, Item, Manifest
from tests.media import MediaFactory

POLL_SECONDS = 0.01
GIVE_UP_SECONDS = 60.0
PAUSE_SECONDS = 0.3  # lets the previous run finish, so each webhook starts its own run
POLLED_ROUTE = ("GET", "/api/v3/series/{id}")


@dataclass
class WebhookResult:
    latencies: list[float] = field(default_factory=list)  # seconds; inf = never tagged
    polls: int = 0  # GETs by id the benchmark itself sent to the fake (not Taggarr's)
    requests: Counter[Route] = field(default_factory=Counter)  # Taggarr's, polls taken out
    failures: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def download_webhook(item: Item) -> dict[str, Any]:
    """A Sonarr v4 Download event for the item's first episode (the fields Sonarr sends)."""
    remote = f"{REMOTE['sonarr']}/{item.title}"
    first = item.files[0]
    return {
        "eventType": "Download",
        "instanceName": "Sonarr",
        "series": {
            "id": item.arr_id,
            "title": item.title,
            "path": remote,
            "tvdbId": 100000 + item.arr_id,
            "type": "standard",
            "tags": [],
        },
        "episodes": [{"id": item.arr_id * 100, "episodeNumber": 1, "seasonNumber": 1}],
        "episodeFile": {
            "id": item.arr_id * 100,
            "relativePath": first,
            "path": f"{remote}/{first}",
            "mediaInfo": {"audioLanguages": ["kor", "eng"]},
        },
        "isUpgrade": True,
    }


def measure_webhooks(
    manifest: Manifest,
    sonarr: FakeArrProcess,
    web_url: str,
    token: str,
    factory: MediaFactory,
    *,
    count: int,
) -> WebhookResult:
    result = WebhookResult()
    candidates = flip_candidates(manifest)
    if not candidates:
        result.failures.append("no series to change in this library")
        return result
    session = requests.Session()
    sonarr.reset_counters()
    for number in range(count):
        item = candidates[number % len(candidates)]
        new_tag = flip_series(manifest, item, factory)
        time.sleep(PAUSE_SECONDS)
        start = time.perf_counter()
        answer = session.post(
            f"{web_url}/api/webhooks/{token}/", json=download_webhook(item), timeout=30
        )
        if answer.status_code != 202:
            result.failures.append(f"webhook {number}: HTTP {answer.status_code} {answer.text}")
            result.latencies.append(math.inf)
            continue
        while True:
            result.polls += 1
            if sonarr.item_tag(session, item.arr_id) == new_tag:
                result.latencies.append(time.perf_counter() - start)
                break
            if time.perf_counter() - start > GIVE_UP_SECONDS:
                result.failures.append(f"webhook {number}: {item.title} never became {new_tag}")
                result.latencies.append(math.inf)
                break
            time.sleep(POLL_SECONDS)
    result.requests = sonarr.counters()
    result.requests[POLLED_ROUTE] -= result.polls
    result.requests = +result.requests  # drop routes left at 0
    return result
