"""Sample webhook bodies, as Sonarr and Radarr POST them for a ``Download`` (import).

They differ from the API objects in ways a receiver must handle: Radarr names the
movie folder ``folderPath`` (the API says ``path``), ``tags`` are labels sorted
(the API gives ids), ``mediaInfo.audioLanguages`` is a de-duplicated JSON list (the
API gives ``"eng/jpn"``), and ``eventType`` is PascalCase while other enums are
camelCase. Built from the fake's API objects (fakes.arr.samples).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fakes.arr.languages import original_language
from fakes.arr.options import FakeApp, FakeArrOptions

QUALITY = "Bluray-1080p"


def _version(app: FakeApp, version: str) -> tuple[int, ...]:
    return FakeArrOptions(app=app, version=version).version_tuple


def _labels(tag_ids: Any, tag_labels: Mapping[int, str]) -> list[str]:
    # GetTagLabels: the item's tags by label, blank ones dropped, sorted.
    return sorted(tag_labels[t] for t in tag_ids or [] if tag_labels.get(t, "").strip())


def _original(app: FakeApp, version: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    stored = obj.get("originalLanguage") or {}
    return original_language(app, _version(app, version), stored.get("name"))


def stored_languages(joined: str) -> list[str]:
    """The list behind an API ``mediaInfo.audioLanguages``: the *arr stores each
    stream's tag (``MediaInfoModel.AudioLanguages``, a list) and its API serves
    ``AudioLanguages.ConcatToString("/")``, ``""`` for none. Split back at "/"; the
    spaces of Sonarr v3's ``"English / Japanese"`` are not part of a language."""
    return [part.strip() for part in joined.split("/") if part.strip()]


def _media_info(api_media_info: Mapping[str, Any] | None) -> dict[str, Any]:
    audio = stored_languages((api_media_info or {}).get("audioLanguages") or "")
    # WebhookEpisodeFileMediaInfo: AudioLanguages.Distinct(), first occurrences in
    # stream order, as a JSON list.
    return {"audioLanguages": list(dict.fromkeys(audio)), "subtitles": []}


def _envelope(app_title: str, event: str) -> dict[str, Any]:
    return {"eventType": event, "instanceName": app_title, "applicationUrl": ""}


def radarr_download_webhook(
    movie: Mapping[str, Any],
    *,
    tag_labels: Mapping[int, str] | None = None,
    version: str = "",
    is_upgrade: bool = False,
) -> dict[str, Any]:
    """The body Radarr POSTs when it imports ``movie``'s file (``movie["movieFile"]``)."""
    file = movie["movieFile"]
    folder = movie["path"]
    body = _envelope("Radarr", "Download")
    body["movie"] = {
        "id": movie["id"],
        "title": movie["title"],
        "year": movie.get("year", 0),
        "filePath": f"{folder}/{file['relativePath']}",
        "folderPath": folder,
        "tmdbId": movie.get("tmdbId", 0),
        "genres": list(movie.get("genres", [])),
        "images": [],
        "tags": _labels(movie.get("tags"), tag_labels or {}),
        "originalLanguage": _original("radarr", version, movie),
    }
    body["remoteMovie"] = {
        "tmdbId": movie.get("tmdbId", 0),
        "title": movie["title"],
        "year": movie.get("year", 0),
    }
    body["movieFile"] = {
        "id": file["id"],
        "relativePath": file["relativePath"],
        "path": f"{folder}/{file['relativePath']}",
        "quality": QUALITY,
        "qualityVersion": 1,
        "size": file.get("size", 0),
        "dateAdded": file.get("dateAdded", "2024-01-01T00:00:00Z"),
        "languages": list(file.get("languages") or []),
        "mediaInfo": _media_info(file.get("mediaInfo")),
    }
    body["isUpgrade"] = is_upgrade
    return body


def sonarr_download_webhook(
    series: Mapping[str, Any],
    episode_file: Mapping[str, Any],
    *,
    episode_numbers: Sequence[int] = (1,),
    tag_labels: Mapping[int, str] | None = None,
    version: str = "",
    deleted_files: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The body Sonarr POSTs when it imports ``episode_file`` (an episodefile API object)
    holding ``episode_numbers`` of its season; ``deleted_files`` are the files it
    replaced (WebhookBase.BuildOnDownloadPayload: ``IsUpgrade = OldFiles.Any()``, and
    ``DeletedFiles`` only then)."""
    body = _sonarr_episode_event(
        "Download", series, episode_file, episode_numbers, tag_labels, version
    )
    if deleted_files:
        body["deletedFiles"] = [_episode_file(series, old) for old in deleted_files]
    body["isUpgrade"] = bool(deleted_files)
    return body


def sonarr_file_delete_webhook(
    series: Mapping[str, Any],
    episode_file: Mapping[str, Any],
    *,
    reason: str,
    episode_numbers: Sequence[int] = (1,),
) -> dict[str, Any]:
    """The body Sonarr POSTs when ``episode_file`` is deleted (WebhookBase.
    BuildOnEpisodeFileDelete): ``deleteReason`` is a DeleteMediaFileReason written by
    Newtonsoft's StringEnumConverter in camelCase (Common/Serializer/Newtonsoft.Json/
    Json.cs): ``missingFromDisk``, ``manual``, ``upgrade``, ``noLinkedEpisodes``,
    ``manualOverride``. An upgrade's delete is sent only with *On File Delete For
    Upgrade* on (NotificationService.Handle(EpisodeFileDeletedEvent)), which a new
    connection has on (Webhook.cs), before the import's Download."""
    body = _sonarr_episode_event("EpisodeFileDelete", series, episode_file, episode_numbers, {}, "")
    body["deleteReason"] = reason
    return body


def _sonarr_episode_event(
    event: str,
    series: Mapping[str, Any],
    episode_file: Mapping[str, Any],
    episode_numbers: Sequence[int],
    tag_labels: Mapping[int, str] | None,
    version: str,
) -> dict[str, Any]:
    season = episode_file.get("seasonNumber", 1)
    body = _envelope("Sonarr", event)
    body["series"] = {
        "id": series["id"],
        "title": series["title"],
        "titleSlug": series["title"].lower().replace(" ", "-"),
        "path": series["path"],
        "tvdbId": series.get("tvdbId", 0),
        "type": series.get("seriesType", "standard"),
        "year": series.get("year", 0),
        "genres": list(series.get("genres", [])),
        "images": [],
        "tags": _labels(series.get("tags"), tag_labels or {}),
        "originalLanguage": _original("sonarr", version, series),
    }
    body["episodes"] = [
        {
            "id": series["id"] * 1000 + season * 100 + number,
            "episodeNumber": number,
            "seasonNumber": season,
            "title": f"Episode {number}",
            "seriesId": series["id"],
            "tvdbId": 0,
        }
        for number in episode_numbers
    ]
    body["episodeFile"] = _episode_file(series, episode_file)
    return body


def _episode_file(series: Mapping[str, Any], episode_file: Mapping[str, Any]) -> dict[str, Any]:
    """WebhookEpisodeFile(EpisodeFile)."""
    return {
        "id": episode_file["id"],
        "relativePath": episode_file["relativePath"],
        "path": episode_file.get("path", f"{series['path']}/{episode_file['relativePath']}"),
        "quality": QUALITY,
        "qualityVersion": 1,
        "size": episode_file.get("size", 0),
        "dateAdded": episode_file.get("dateAdded", "2024-01-01T00:00:00Z"),
        "languages": list(episode_file.get("languages") or []),
        "mediaInfo": _media_info(episode_file.get("mediaInfo")),
    }
