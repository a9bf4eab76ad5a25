"""The *arr's history, as Sonarr's and Radarr's HistoryController serve it.

``GET /api/v3/history`` (Sonarr/Sonarr src/Sonarr.Api.V3/History/HistoryController.cs,
GetHistory; Radarr/Radarr src/Radarr.Api.V3/History/HistoryController.cs): a
PagingResource (``page`` default 1, ``pageSize`` default 10, ``sortKey`` ``date``,
``sortDirection`` ``descending``, ``totalRecords``, ``records``), filtered by
``eventType`` (int[], the enum's numbers), ``downloadId``, and Sonarr's ``episodeId``
and ``seriesIds`` (int[]) or Radarr's ``movieIds`` (int[]). Each record is a
HistoryResource: ``id``, ``episodeId`` and ``seriesId`` (Sonarr) or ``movieId``
(Radarr), ``sourceTitle``, ``date``, ``downloadId``, ``eventType`` as a camelCase
string (STJson's JsonStringEnumConverter) and ``data``, a string dictionary whose keys
are camelCased (DictionaryKeyPolicy): an import's ``fileId``, ``droppedPath`` and
``importedPath`` (src/NzbDrone.Core/History/HistoryService.cs, Handle(EpisodeImportedEvent)
and Handle(MovieImportedEvent)).

``POST /api/v3/history/failed/{id}`` (MarkAsFailed) answers ``{}``: FailedDownloadService
takes the history row, its grab (the row itself when it is a grab, else the grab with its
downloadId), records ``downloadFailed`` and blocklists the release; an import with no
download id and no grab is an InvalidOperationException, a 500 (as an unknown id is:
the history service's Get throws). The fake keeps the failed grabs.

The blocklist (src/Sonarr.Api.V3/Blocklist/BlocklistController.cs and
src/NzbDrone.Core/Blocklisting/BlocklistService.cs, Radarr's alike): a failed download
adds a row (HandleAsync(DownloadFailedEvent): ``seriesId`` and ``episodeIds``, or
``movieId``, ``sourceTitle``, ``date``); ``GET /api/v3/blocklist`` pages them newest
first, filtered by ``seriesIds`` (Radarr: ``movieIds``); ``DELETE /api/v3/blocklist/{id}``
removes one and answers an empty 200 (a ``void`` action), also for an id it does not
hold (the repository's delete of a missing row is no error).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from fakes.http import Request, Response

# Sonarr's EpisodeHistoryEventType and Radarr's MovieHistoryEventType (History.cs).
EVENT_TYPES = {
    "sonarr": {
        "unknown": 0, "grabbed": 1, "seriesFolderImported": 2, "downloadFolderImported": 3,
        "downloadFailed": 4, "episodeFileDeleted": 5, "episodeFileRenamed": 6,
        "downloadIgnored": 7,
    },
    "radarr": {
        "unknown": 0, "grabbed": 1, "downloadFolderImported": 3, "downloadFailed": 4,
        "movieFileDeleted": 6, "movieFolderImported": 7, "movieFileRenamed": 8,
        "downloadIgnored": 9,
    },
}  # fmt: skip


class History:
    """The history rows, newest last; thread-safe."""

    def __init__(self, app: str) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._rows: list[dict[str, Any]] = []
        self.failed: list[int] = []  # the grab rows marked failed, in order
        self.blocklist: list[dict[str, Any]] = []  # BlocklistResource rows, oldest first
        self._next_block = 1

    def add(
        self,
        event_type: str,
        item_id: int,
        *,
        episode_id: int = 0,
        download_id: str = "",
        source_title: str = "",
        data: dict[str, str] | None = None,
        date: datetime | None = None,
    ) -> dict[str, Any]:
        """One row; ``item_id`` the series or the movie; ``date`` now unless given (an
        old download's rows)."""
        with self._lock:
            row: dict[str, Any] = {"id": len(self._rows) + 1}
            if self._app == "sonarr":
                row |= {"episodeId": episode_id, "seriesId": item_id}
            else:
                row |= {"movieId": item_id}
            row |= {
                "sourceTitle": source_title,
                "date": (date or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
                "downloadId": download_id or None,
                "eventType": event_type,
                "data": dict(data or {}),
            }
            self._rows.append(row)
            return dict(row)

    def _block(self, grabs: list[dict[str, Any]]) -> None:
        """BlocklistService.HandleAsync(DownloadFailedEvent): one row per failed download."""
        first = grabs[0]
        row: dict[str, Any] = {"id": self._next_block}
        self._next_block += 1
        if self._app == "sonarr":
            episodes = sorted({grab["episodeId"] for grab in grabs})
            row |= {"seriesId": first["seriesId"], "episodeIds": episodes}
        else:
            row |= {"movieId": first["movieId"]}
        row |= {
            "sourceTitle": first["sourceTitle"],
            "date": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "protocol": "torrent",
            "message": "Manually marked as failed",
        }
        self.blocklist.append(row)

    def unblock(self, block_id: int) -> None:
        with self._lock:
            self.blocklist = [row for row in self.blocklist if row["id"] != block_id]

    def blocked(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self.blocklist]

    def rows(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self._rows]

    def mark_failed(self, row_id: int) -> bool:
        """FailedDownloadService.MarkAsFailed: False where the real one throws."""
        with self._lock:
            row = next((r for r in self._rows if r["id"] == row_id), None)
            if row is None:
                return False
            grabs = [row] if row["eventType"] == "grabbed" else []
            if row["downloadId"]:
                grabs += [
                    r for r in self._rows
                    if r["eventType"] == "grabbed" and r["downloadId"] == row["downloadId"]
                ]  # fmt: skip
            if not grabs:
                return False
            self.failed.append(grabs[0]["id"])
            self._block(grabs)
        self.add(
            "downloadFailed",
            grabs[0].get("seriesId", grabs[0].get("movieId", 0)),
            episode_id=grabs[0].get("episodeId", 0),
            download_id=grabs[0]["downloadId"] or "",
            source_title=grabs[0]["sourceTitle"],
            data={"message": "Manually marked as failed"},
        )
        return True


def _ints(request: Request, name: str) -> set[int]:
    return {int(v) for v in request.query.get(name, []) if v.lstrip("-").isdigit()}


def paged(history: History, app: str, request: Request) -> Response:
    query = request.query
    types = _ints(request, "eventType")
    names = {name for name, number in EVENT_TYPES[app].items() if number in types}
    rows = history.rows()
    if types:
        rows = [r for r in rows if r["eventType"] in names]
    episode = query.get("episodeId", [""])[0]
    if app == "sonarr" and episode.isdigit():
        rows = [r for r in rows if r["episodeId"] == int(episode)]
    download = query.get("downloadId", [""])[0]
    if download.strip():
        rows = [r for r in rows if r["downloadId"] == download]
    items = _ints(request, "seriesIds" if app == "sonarr" else "movieIds")
    if items:
        key = "seriesId" if app == "sonarr" else "movieId"
        rows = [r for r in rows if r[key] in items]
    ascending = query.get("sortDirection", [""])[0].lower() == "ascending"
    return _page(rows, request, ascending=ascending)


def _page(rows: list[dict[str, Any]], request: Request, *, ascending: bool) -> Response:
    """A PagingResource of ``rows`` by date (``page``, ``pageSize`` from the query)."""
    rows = sorted(rows, key=lambda r: (r["date"], r["id"]), reverse=not ascending)
    page = max(1, int(request.query.get("page", ["1"])[0] or 1))
    size = int(request.query.get("pageSize", ["10"])[0] or 10)
    start = (page - 1) * size
    return Response.json(
        200,
        {
            "page": page,
            "pageSize": size,
            "sortKey": "date",
            "sortDirection": "ascending" if ascending else "descending",
            "totalRecords": len(rows),
            "records": rows[start : start + size] if size > 0 else [],
        },
    )


def mark_failed(history: History, row_id: int) -> Response:
    if not history.mark_failed(row_id):
        message = "Unable to mark download as failed, no grabbed history available"
        return Response.json(500, {"message": message, "description": message})
    return Response.json(200, {})


def blocklist_page(history: History, app: str, request: Request) -> Response:
    """BlocklistController.GetBlocklist: newest first, ``seriesIds`` / ``movieIds``."""
    rows = history.blocked()
    items = _ints(request, "seriesIds" if app == "sonarr" else "movieIds")
    if items:
        key = "seriesId" if app == "sonarr" else "movieId"
        rows = [r for r in rows if r[key] in items]
    return _page(rows, request, ascending=False)


def blocklist_delete(history: History, block_id: int) -> Response:
    """BlocklistController.DeleteBlocklist: a void action, an empty 200."""
    history.unblock(block_id)
    return Response(200, b"", "application/json")
