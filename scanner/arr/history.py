"""The grab that brought a file, from the *arr's history, and marking it failed
(docs/arr-api.md, "History").

Sonarr's and Radarr's ``GET /api/v3/history`` (HistoryController.GetHistory: paged,
newest first, filtered by ``eventType``, Sonarr's ``episodeId``, Radarr's ``movieIds``,
``downloadId``): the import of a file (``downloadFolderImported``, 3) names it in its
data (``importedPath``, ``fileId``: HistoryService.Handle(EpisodeImportedEvent)) and
carries the download's id, which its grab (``grabbed``, 1) carries too.
``POST /api/v3/history/failed/{id}`` (MarkAsFailed) marks that grab failed: the *arr
blocklists the release and, as its failed-download handling is set by default
(AutoRedownloadFailed), searches for another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.arr.base import BaseArrClient

GRABBED, IMPORTED = 1, 3  # EpisodeHistoryEventType / MovieHistoryEventType
PAGE = 50  # the imports of one episode or movie: a few; the newest page is enough


@dataclass(frozen=True, slots=True)
class Grab:
    id: int  # the history row, for MarkAsFailed
    source_title: str  # the release's name


def _records(answer: Any) -> list[dict[str, Any]]:
    records = answer.get("records") if isinstance(answer, dict) else None
    return [row for row in records or [] if isinstance(row, dict)]


def _filter(kind: str, arr_id: int) -> dict[str, Any]:
    return {"episodeId": arr_id} if kind == "sonarr" else {"movieIds": arr_id}


def grab_of_file(client: BaseArrClient, kind: str, arr_id: int, path: str) -> Grab | None:
    """The grab that brought the file at ``path`` (the *arr's relative path, or its end)
    of the episode (Sonarr, ``arr_id`` the episode's) or the movie (Radarr); None when the
    history has none (imported by hand, or the history was cleaned)."""
    base = {"pageSize": PAGE, "sortKey": "date", "sortDirection": "descending"}
    imports = client.get(
        "/api/v3/history", {**base, **_filter(kind, arr_id), "eventType": IMPORTED}
    )
    download = next((_download(row) for row in _records(imports) if _names(row, path)), "")
    if not download:
        return None
    grabs = client.get("/api/v3/history", {**base, "eventType": GRABBED, "downloadId": download})
    for row in _records(grabs):
        if isinstance(row.get("id"), int) and row.get("downloadId") == download:
            return Grab(row["id"], str(row.get("sourceTitle") or ""))
    return None


def mark_failed(client: BaseArrClient, grab: Grab) -> None:
    """The *arr blocklists the release and searches for another."""
    client.post(f"/api/v3/history/failed/{grab.id}", {})


def _download(row: dict[str, Any]) -> str:
    value = row.get("downloadId")
    return value if isinstance(value, str) else ""


def _names(row: dict[str, Any], path: str) -> bool:
    data = row.get("data")
    imported = data.get("importedPath") if isinstance(data, dict) else None
    if not isinstance(imported, str) or not path:
        return False
    return imported.replace("\\", "/").endswith("/" + path.lstrip("/"))
