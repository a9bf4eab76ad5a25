"""The project's fake Sonarr/Radarr (``python -m fakes.arr``) as benchmark processes,
and what the benchmark reads from them: request counters by route, and the tags
the items end with (through the unauthenticated ``/__fake__/`` control routes)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bench.services import START_TIMEOUT, Service, log_says, start_service

MANAGED = frozenset({"dub", "semi-dub", "wrong-dub"})
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
# Radarr reports originalLanguage from 4.1; Sonarr from 4.0.
VERSIONS = {"sonarr": "4.0.0.0", "radarr": "5.2.0.0"}
RESOURCE = {"sonarr": "series", "radarr": "movie"}

Route = tuple[str, str]  # (method, route template)


@dataclass
class FakeArrProcess:
    app: str
    service: Service
    url: str
    api_key: str
    _labels: dict[int, str] | None = None  # tag id -> label, for item_tag

    def _control(self, method: str, route: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{self.url}/__fake__/{route}", json=body, timeout=120)
        answer.raise_for_status()
        return answer.json()

    def counters(self) -> Counter[Route]:
        payload = self._control("GET", "counters")
        return Counter({(c["method"], c["route"]): c["count"] for c in payload["counts"]})

    def reset_counters(self) -> None:
        self._control("POST", "counters/reset")

    def reset_library(
        self, items: list[dict[str, Any]], episode_files: list[dict[str, Any]] | None = None
    ) -> None:
        """Back to the untagged library: a first scan again; Sonarr's episode files too
        when given (each with its seriesId)."""
        self._control("PUT", "items", items)
        self._control("PUT", "tags", [])
        if episode_files is not None:
            self._control("PUT", "episodefiles", episode_files)
        self._labels = None

    def set_series_files(self, series_id: int, files: list[dict[str, Any]]) -> None:
        """One series' episode files, as Sonarr lists them after an import."""
        self._control("PUT", f"episodefiles/{series_id}", files)

    def managed_tags(self) -> dict[int, str]:
        """Item id -> its managed tag ("none" when it has none, "a+b" when it has several)."""
        labels = {tag["id"]: tag["label"] for tag in self._control("GET", "tags")}
        result = {}
        for item in self._control("GET", "items"):
            managed = sorted(labels[t] for t in item.get("tags", []) if labels.get(t) in MANAGED)
            result[int(item["id"])] = "+".join(managed) or "none"
        return result

    def item_tag(self, session: requests.Session, item_id: int) -> str:
        """One item's managed tag through the API (one GET by id, what a user would see)."""
        if self._labels is None:
            self._labels = {tag["id"]: tag["label"] for tag in self._control("GET", "tags")}
        url = f"{self.url}/api/v3/{RESOURCE[self.app]}/{item_id}"
        item = session.get(url, headers={"X-Api-Key": self.api_key}, timeout=10).json()
        tags = item.get("tags", [])
        if any(t not in self._labels for t in tags):  # a tag created since: read them again
            self._labels = {tag["id"]: tag["label"] for tag in self._control("GET", "tags")}
        managed = sorted(self._labels[t] for t in tags if self._labels.get(t) in MANAGED)
        return "+".join(managed) or "none"


def start_fake(
    app: str,
    items_file: Path,
    *,
    episode_files: Path | None = None,
    api_key: str,
    latency_ms: float,
    per_item_ms: float,
    env: Mapping[str, str],
    log: Path,
    host: str = "127.0.0.1",
    start_timeout: float = START_TIMEOUT,
) -> FakeArrProcess:
    command = [
        sys.executable,
        "-m",
        "fakes.arr",
        "--app",
        app,
        "--host",
        host,
        "--port",
        "0",
        "--api-key",
        api_key,
        "--items",
        str(items_file),
        "--version",
        VERSIONS[app],
        "--latency-ms",
        str(latency_ms),
        "--per-item-ms",
        str(per_item_ms),
    ]
    if episode_files is not None:
        command += ["--episode-files", str(episode_files)]
    service = start_service(
        f"fake {app}",
        command,
        env,
        log,
        ready=log_says("listening on"),
        start_timeout=start_timeout,  # bench/largest.py's 750,000 files take minutes to load
    )
    match = re.search(r"listening on (http://\S+)", service.log.read_text())
    if match is None:  # the ready check saw the line
        raise AssertionError("fake *arr printed no URL")
    return FakeArrProcess(app=app, service=service, url=match.group(1), api_key=api_key)


def writes(counts: Mapping[Route, int]) -> int:
    return sum(n for (method, _route), n in counts.items() if method in WRITE_METHODS)


def format_routes(counts: Mapping[Route, int]) -> str:
    return ", ".join(f"{method} {route} {n}" for (method, route), n in sorted(counts.items()))
