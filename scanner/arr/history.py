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
from datetime import UTC, datetime, timedelta
from typing import Any

from scanner.arr.base import BaseArrClient

GRABBED, IMPORTED = 1, 3  # EpisodeHistoryEventType / MovieHistoryEventType
# The same events as the records name them (camelCase: STJson's JsonStringEnumConverter).
GRABBED_NAME, IMPORTED_NAME = "grabbed", "downloadFolderImported"
PAGE = 50  # the imports of one episode or movie: a few; the newest page is enough
MAX_ID = 2**31 - 1  # the *arrs' ids are C# ints: anything else is not one of theirs


@dataclass(frozen=True, slots=True)
class Grab:
    id: int  # the history row, for MarkAsFailed
    source_title: str  # the release's name
    download_id: str  # the download client's id, which the grab and its import share
    # When the *arr imported the file, on Taggarr's clock: the record's date moved by
    # how far the *arr's clock (its answer's Date header) is from Taggarr's; None when
    # either is missing or unreadable.
    imported_at: datetime | None = None

    def to_data(self) -> dict[str, Any]:
        imported = self.imported_at.isoformat() if self.imported_at else None
        return {
            "id": self.id,
            "download_id": self.download_id,
            "title": self.source_title,
            "imported_at": imported,
        }


def _records(answer: Any) -> list[dict[str, Any]]:
    records = answer.get("records") if isinstance(answer, dict) else None
    return [row for row in records or [] if isinstance(row, dict)]


def _filter(kind: str, arr_id: int) -> dict[str, Any]:
    return {"episodeId": arr_id} if kind == "sonarr" else {"movieIds": arr_id}


def grab_of_file(client: BaseArrClient, kind: str, arr_id: int, path: str) -> Grab | None:
    """The grab that brought the file at ``path`` (the *arr's relative path, or its end)
    of the episode (Sonarr, ``arr_id`` the episode's) or the movie (Radarr), from the
    newest import that names it; None when the history has none (imported by hand, or
    the history was cleaned), or when its rows are not what the *arr writes (a grab
    that is no grab, an id no *arr gives)."""
    base = {"pageSize": PAGE, "sortKey": "date", "sortDirection": "descending"}
    filters = {**base, **_filter(kind, arr_id), "eventType": IMPORTED}
    imports, clock = client.get_dated("/api/v3/history", filters)
    row = next(
        (
            row
            for row in _records(imports)
            if row.get("eventType") == IMPORTED_NAME and _names(row, path)
        ),
        None,
    )
    download = _download(row) if row is not None else ""
    if row is None or not download:
        return None
    grabs = client.get("/api/v3/history", {**base, "eventType": GRABBED, "downloadId": download})
    for grab in _records(grabs):
        if (
            is_id(grab.get("id"))
            and grab.get("eventType") == GRABBED_NAME
            and grab.get("downloadId") == download
        ):
            title = str(grab.get("sourceTitle") or "")[:500]
            return Grab(grab["id"], title, download, _on_our_clock(row.get("date"), clock))
    return None


def mark_failed(client: BaseArrClient, grab: Grab) -> None:
    """The *arr blocklists the release and searches for another."""
    if not is_id(grab.id):
        raise ValueError(f"not a history id: {grab.id!r}")
    client.post(f"/api/v3/history/failed/{int(grab.id)}", {})


def is_id(value: Any) -> bool:
    """A row id as the *arr writes it: a positive C# int (``True`` is no id)."""
    return type(value) is int and 0 < value <= MAX_ID


def _on_our_clock(value: Any, clock: timedelta | None) -> datetime | None:
    when = parse_date(value)
    if when is None or clock is None:
        return None
    return when - clock


def parse_date(value: Any) -> datetime | None:
    """A record's ``date`` (ISO 8601, UTC, ``Z``) as an aware datetime; None if it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _download(row: dict[str, Any]) -> str:
    value = row.get("downloadId")
    return value if isinstance(value, str) and len(value) <= 500 else ""


def _names(row: dict[str, Any], path: str) -> bool:
    data = row.get("data")
    imported = data.get("importedPath") if isinstance(data, dict) else None
    if not isinstance(imported, str) or not path:
        return False
    return imported.replace("\\", "/").endswith("/" + path.lstrip("/"))
