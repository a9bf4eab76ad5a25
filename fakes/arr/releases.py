"""The releases an indexer would offer for each item of the fake Sonarr/Radarr, how the
fake judges them with the item's current quality profile (scoring.py), the release
endpoint and what a search grabs.

- ``GET /api/v3/release`` (Sonarr ``src/Sonarr.Api.V3/Indexers/ReleaseController.cs``
  ``GetReleases(seriesId, episodeId, seasonNumber)``: an episode's releases, or a
  season's with ``seriesId`` and ``seasonNumber``, else the RSS feed, every series';
  Radarr ``src/Radarr.Api.V3/Indexers/ReleaseController.cs`` ``GetReleases(movieId)``:
  a movie's, else the RSS feed). The fake's indexer offers the same releases for every
  episode and season of a series, and its RSS feed is every item's releases. Each is a
  ReleaseResource (``ReleaseResource.cs``, a part of its fields: ``title``, ``quality``,
  ``languages``, ``customFormats`` (``{id, name}``: ``ToResource(false)``),
  ``customFormatScore``, ``approved``, ``rejected``, ``rejections`` (the messages),
  ``qualityWeight``, ``releaseWeight``, ``mappedSeriesId`` / ``mappedMovieId``), in
  ``PrioritizeDecisions`` order.
- Sonarr v5's ``/api/v5/release`` (``src/Sonarr.Api.V5/Release/ReleaseController.cs``,
  ``ReleaseResource.cs``, ``ReleaseDecisionResource.cs``): the same releases with the
  title under ``release``, the quality under ``parsedInfo`` and the verdict under
  ``decision`` (``rejections``: ``{message, reason, type}``).
- A search command (``SeriesSearch``, ``SeasonSearch``, ``EpisodeSearch``,
  ``MoviesSearch``) grabs, for each item it names, the first approved release in that
  order (``ProcessDownloadDecisions``), recorded in order: ``state.grabs(item_id)``. The
  real search runs later on the command queue; the fake grabs as it queues the command,
  so a test reads the grab without waiting. Nothing reaches the queue or the history,
  and the file the item has is not weighed (UpgradeDiskSpecification, UpgradableSpecification
  not played): a release is judged as if the item had none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fakes.arr import scoring
from fakes.arr.languages import language_ids
from fakes.arr.profiles import QUALITIES, quality_resource
from fakes.arr.release_parser import parse_quality, release_languages

PUBLISHED = "2024-01-01T00:00:00Z"
INDEXER = "Fake Indexer (Prowlarr)"


@dataclass(frozen=True)
class Candidate:
    title: str
    quality: str | None  # a profiles.QUALITIES name; None: parsed from the title
    size: int


class ReleaseBook:
    """Each item's candidate releases and what searches grabbed; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._releases: dict[int, list[Candidate]] = {}
        self._grabs: dict[int, list[str]] = {}
        self._multi_languages: tuple[str, ...] = ()

    def set_releases(self, item_id: int, titles: Iterable[str], quality: str | None) -> None:
        if quality is not None and quality not in QUALITIES:
            raise ValueError(f"the fake knows no quality {quality!r}")
        candidates = [
            Candidate(title, quality, 1_500_000_000 + 1000 * number)
            for number, title in enumerate(titles)
        ]
        with self._lock:
            self._releases[item_id] = candidates

    def candidates(self, item_id: int) -> list[Candidate]:
        with self._lock:
            return list(self._releases.get(item_id, []))

    def item_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._releases)

    def set_multi_languages(self, names: Iterable[str]) -> None:
        with self._lock:
            self._multi_languages = tuple(names)

    def multi_languages(self) -> tuple[str, ...]:
        with self._lock:
            return self._multi_languages

    def record_grab(self, item_id: int, title: str) -> None:
        with self._lock:
            self._grabs.setdefault(item_id, []).append(title)

    def grabs(self, item_id: int) -> list[str]:
        with self._lock:
            return list(self._grabs.get(item_id, []))

    def all_grabs(self) -> dict[int, list[str]]:
        with self._lock:
            return {key: list(value) for key, value in sorted(self._grabs.items())}


def decisions(
    candidates: Sequence[Candidate],
    *,
    item: Mapping[str, Any],
    profile: Mapping[str, Any],
    formats: Sequence[Mapping[str, Any]],
    app: str,
    version: tuple[int, ...],
    multi_languages: Sequence[str],
) -> list[scoring.Decision]:
    """Each candidate judged with ``profile`` for ``item`` (both as served), prioritized."""
    ids = {"Unknown": scoring.UNKNOWN_ID, "Original": scoring.ORIGINAL_ID}
    ids.update(language_ids(app, version))
    original = item.get("originalLanguage") or {"id": scoring.UNKNOWN_ID, "name": "Unknown"}
    judged = []
    for position, candidate in enumerate(candidates):
        parsed = parse_quality(candidate.title)
        quality = candidate.quality or parsed.name
        names = release_languages(candidate.title, app, str(original.get("name")), multi_languages)
        languages: list[dict[str, Any]] = [
            {"id": ids[name], "name": name} for name in names if name in ids
        ]
        release = scoring.ReleaseInput(
            candidate.title,
            tuple(language["id"] for language in languages),
            int(original.get("id") or 0),
        )
        matched = scoring.matched_formats(formats, release)
        score = scoring.format_score(profile, matched)
        quality_id = QUALITIES[quality][0]
        index, allowed = scoring.quality_index(profile, quality_id)
        judged.append(
            scoring.Decision(
                title=candidate.title,
                position=position,
                quality=quality,
                quality_id=quality_id,
                revision=parsed.revision,
                languages=languages,
                formats=matched,
                score=score,
                quality_index=index,
                rejections=scoring.rejections(
                    profile,
                    app=app,
                    quality=quality,
                    allowed=allowed,
                    languages=languages,
                    original=original,
                    formats=matched,
                    score=score,
                ),
            )
        )
    return scoring.prioritized(judged)


def _release_group(title: str) -> str:
    tail = title.rsplit("-", 1)
    return tail[1].split(" ")[0] if len(tail) == 2 and tail[1] and " " not in tail[1] else ""


def _quality_model(decision: scoring.Decision, app: str = "sonarr") -> dict[str, Any]:
    return {
        "quality": quality_resource(decision.quality, app),
        "revision": {"version": decision.revision, "real": 0, "isRepack": False},
    }


def _weight(decision: scoring.Decision) -> int:
    # ReleaseControllerBase.MapDecision: index * 100 + revision.Real * 10 + revision.Version.
    return decision.quality_index * 100 + decision.revision


def resource(
    decision: scoring.Decision, weight: int, *, item: Mapping[str, Any], app: str
) -> dict[str, Any]:
    """A v3 ReleaseResource."""
    item_id = int(item["id"])
    common: dict[str, Any] = {
        "guid": f"fake-{item_id}-{decision.position}",
        "quality": _quality_model(decision, app),
        "qualityWeight": _weight(decision),
        "age": 0,
        "ageHours": 0.0,
        "ageMinutes": 0.0,
        "size": 1_500_000_000 + 1000 * decision.position,
        "indexerId": 1,
        "indexer": INDEXER,
        "releaseGroup": _release_group(decision.title),
        "title": decision.title,
        "sceneSource": False,
        "languages": decision.languages,
        "approved": decision.approved,
        "temporarilyRejected": False,
        "rejected": not decision.approved,
        "rejections": [message for _, message in decision.rejections],
        "publishDate": PUBLISHED,
        "downloadAllowed": True,
        "releaseWeight": weight,
        "customFormats": [{"id": cf["id"], "name": cf["name"]} for cf in decision.formats],
        "customFormatScore": decision.score,
        "protocol": "torrent",
        "seeders": 10,
        "leechers": 0,
    }
    if app == "sonarr":
        return {
            **common,
            "fullSeason": False,
            "seasonNumber": 1,
            "languageWeight": 0,
            "seriesTitle": item.get("title"),
            "episodeNumbers": [1],
            "absoluteEpisodeNumbers": [],
            "mappedSeasonNumber": 1,
            "mappedEpisodeNumbers": [1],
            "mappedSeriesId": item_id,
            "tvdbId": item.get("tvdbId", 0),
            "episodeRequested": True,
            "indexerFlags": 0,
        }
    return {
        **common,
        "movieTitles": [item.get("title")],
        "mappedMovieId": item_id,
        "tmdbId": item.get("tmdbId", 0),
        "imdbId": 0,
        "edition": "",
        "movieRequested": True,
        "indexerFlags": [],
    }


def resource_v5(
    decision: scoring.Decision, weight: int, *, item: Mapping[str, Any]
) -> dict[str, Any]:
    """Sonarr v5's ReleaseResource."""
    item_id = int(item["id"])
    return {
        "parsedInfo": {
            "releaseTitle": decision.title,
            "seriesTitle": item.get("title"),
            "seasonNumber": 1,
            "episodeNumbers": [1],
            "quality": _quality_model(decision),
            "languages": decision.languages,
            "releaseGroup": _release_group(decision.title),
        },
        "release": {
            "guid": f"fake-{item_id}-{decision.position}",
            "age": 0,
            "ageHours": 0.0,
            "ageMinutes": 0.0,
            "size": 1_500_000_000 + 1000 * decision.position,
            "indexerId": 1,
            "indexer": INDEXER,
            "title": decision.title,
            "tvdbId": item.get("tvdbId", 0),
            "publishDate": PUBLISHED,
            "protocol": "torrent",
            "indexerFlags": 0,
        },
        "decision": {
            "approved": decision.approved,
            "temporarilyRejected": False,
            "rejected": not decision.approved,
            "rejections": [
                {"message": message, "reason": reason, "type": "permanent"}
                for reason, message in decision.rejections
            ],
        },
        "qualityWeight": _weight(decision),
        "languages": decision.languages,
        "mappedSeriesId": item_id,
        "mappedSeasonNumber": 1,
        "mappedEpisodeNumbers": [1],
        "mappedAbsoluteEpisodeNumbers": [],
        "episodeRequested": True,
        "downloadAllowed": True,
        "releaseWeight": weight,
        "customFormats": [{"id": cf["id"], "name": cf["name"]} for cf in decision.formats],
        "customFormatScore": decision.score,
    }
