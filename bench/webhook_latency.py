"""Webhook -> tag latency: files of one series change, Sonarr sends its Download webhook
to Taggarr's web server, and the clock runs until the fake Sonarr shows the series' new
tag (polled through its API every 10 ms). One webhook at a time.

The body is Sonarr's for the series' first episode file as it now is: its real
``mediaInfo.audioLanguages`` (a list), size and dateAdded (bench/arr_data.py), so the
``arr`` audio source can tag from it alone; the fake Sonarr's episode files of the
series are updated first, as an import updates them.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from bench.arr_data import episode_files, sonarr_webhook
from bench.changes import flip_candidates
from bench.expect import Expectation
from bench.fakearr import FakeArrProcess, Route
from bench.manifest import Item, Manifest
from bench.share import Share

POLL_SECONDS = 0.01
GIVE_UP_SECONDS = 60.0
PAUSE_SECONDS = 0.3  # lets the previous run finish, so each webhook starts its own run
POLLED_ROUTE = ("GET", "/api/v3/series/{id}")

Change = Callable[[Manifest, Item], None]  # changes the item's files on disk


@dataclass
class WebhookResult:
    latencies: list[float] = field(default_factory=list)  # seconds; inf = never tagged
    polls: int = 0  # GETs by id the benchmark itself sent to the fake (not Taggarr's)
    requests: Counter[Route] = field(default_factory=Counter)  # Taggarr's, polls taken out
    failures: list[str] = field(default_factory=list)
    calls: Counter[str] | None = None  # the share's file system calls meanwhile

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    @property
    def opened(self) -> int | None:
        return None if self.calls is None else self.calls["open"] + self.calls["opendir"]


@dataclass
class Webhooks:
    manifest: Manifest
    sonarr: FakeArrProcess
    web_url: str
    token: str
    change: Change
    expect: Expectation
    share: Share | None = None


def measure_webhooks(hooks: Webhooks, *, count: int) -> WebhookResult:
    result = WebhookResult()
    candidates = flip_candidates(hooks.manifest)
    if not candidates:
        result.failures.append("no series to change in this library")
        return result
    session = requests.Session()
    hooks.sonarr.reset_counters()
    before = hooks.share.calls() if hooks.share else None
    for number in range(count):
        latency, failure = _one(hooks, session, candidates[number % len(candidates)], result)
        result.latencies.append(latency)
        if failure:
            result.failures.append(f"webhook {number}: {failure}")
    if hooks.share is not None and before is not None:
        result.calls = hooks.share.calls() - before
    result.requests = hooks.sonarr.counters()
    result.requests[POLLED_ROUTE] -= result.polls
    result.requests = +result.requests  # drop routes left at 0
    return result


def _one(
    hooks: Webhooks, session: requests.Session, item: Item, result: WebhookResult
) -> tuple[float, str]:
    """One change and its webhook: (seconds until tagged or inf, what went wrong)."""
    hooks.change(hooks.manifest, item)
    hooks.sonarr.set_series_files(item.arr_id, episode_files(hooks.manifest, item))
    new_tag = hooks.expect.tag(item)
    body = sonarr_webhook(hooks.manifest, item, 0)
    time.sleep(PAUSE_SECONDS)
    start = time.perf_counter()
    answer = session.post(f"{hooks.web_url}/api/webhooks/{hooks.token}/", json=body, timeout=30)
    if answer.status_code != 202:
        return math.inf, f"HTTP {answer.status_code} {answer.text}"
    while True:
        result.polls += 1
        if hooks.sonarr.item_tag(session, item.arr_id) == new_tag:
            return time.perf_counter() - start, ""
        if time.perf_counter() - start > GIVE_UP_SECONDS:
            return math.inf, f"{item.title} never became {new_tag}"
        time.sleep(POLL_SECONDS)
