"""The *arr's queue, as Sonarr's and Radarr's QueueController serve it.

``GET /api/v3/queue`` (Sonarr/Sonarr src/Sonarr.Api.V3/Queue/QueueController.cs and
Radarr/Radarr src/Radarr.Api.V3/Queue/QueueController.cs, GetQueue): a PagingResource
(``page`` default 1, ``pageSize`` default 10, ``totalRecords``, ``records``) of the
tracked downloads (src/NzbDrone.Core/Queue/QueueService.cs: Sonarr one record per
episode of a download, Radarr one per download) followed by the pending releases
(PendingReleaseService.GetPendingQueue: no ``trackedDownloadState``). A record whose
download matched no series or movie is left out unless ``includeUnknownSeriesItems``
(Radarr: ``includeUnknownMovieItems``) is true. ``seriesIds`` (Sonarr from v4.0) and
``movieIds`` (Radarr from v5.1.1) keep the records of those items; older releases have
no such parameter and answer the whole queue. ``sortKey`` ``added`` (Sonarr from
v4.0.1, Radarr from v5.3) sorts by when the download was grabbed; anything else sorts as
the default ``timeleft``, which the fake stands in for by the order the records were
added. A page past the end is answered with the page
``max(floor(totalRecords / pageSize), 1)`` instead (GetQueue: ``pagingSpec.Page =
(int)Math.Max(Math.Ceiling((decimal)(TotalRecords / PageSize)), 1)``, an integer
division first), never an empty one.

A record (QueueResource.cs): ``id``, Sonarr's ``seriesId``, ``episodeId`` and
``seasonNumber`` or Radarr's ``movieId``, ``title``, ``size``, ``sizeleft``, ``added``,
``status`` (the download client's: ``downloading``, ``completed``, ``delay``, ...),
``trackedDownloadStatus`` (``ok``, ``warning``, ``error``), ``trackedDownloadState``
(TrackedDownloads/TrackedDownload.cs, TrackedDownloadState: ``downloading``,
``importBlocked`` (Sonarr v4 and Radarr v5 on), ``importPending``, ``importing``,
``imported``, ``failedPending``, ``failed``, ``ignored``), ``statusMessages``,
``downloadId``, ``protocol``, ``downloadClient``, ``indexer``, ``outputPath``; null
members left out. Sonarr v5 serves its own ``/api/v5/queue`` (one record per download)
beside this one, which it keeps as it was (ObsoleteQueueService); the fake plays only
``/api/v3/queue``, the one Taggarr reads.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.arr.options import FakeArrOptions
from fakes.http import Request, Response

# The download client's status of a record (src/NzbDrone.Core/Queue/QueueStatus.cs,
# camelCase) as a tracked download in each state usually shows it.
_CLIENT_STATUS = {
    "downloading": "downloading",
    "importBlocked": "completed",
    "importPending": "completed",
    "importing": "completed",
    "failedPending": "failed",
}
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class QueueBook:
    """The queue's records in the order they were added; thread-safe."""

    def __init__(self, options: FakeArrOptions) -> None:
        self._options = options
        self._lock = threading.Lock()
        self._records: list[dict[str, Any]] = []
        self._failing = False
        self._leaving: list[tuple[int, int]] = []  # (answers given, record id)
        self.asked: list[dict[str, list[str]]] = []  # each request's query, in order

    def add(
        self,
        item_id: int | None,
        state: str | None = "downloading",
        *,
        episode_id: int = 0,
        download_id: str = "",
        added: datetime | None = None,
        title: str = "",
    ) -> dict[str, Any]:
        """One record: ``item_id`` the series or the movie (None: a download the *arr
        matched to none), ``state`` its trackedDownloadState (None: a pending release,
        delayed by its profile, not sent to a client yet). ``added`` defaults to one
        minute after the previous record's."""
        with self._lock:
            number = len(self._records) + 1
            when = added or _EPOCH + timedelta(minutes=number)
            record: dict[str, Any] = {"id": 1_000_000 + number}
            if item_id is not None:
                if self._options.app == "sonarr":
                    record |= {"seriesId": item_id, "episodeId": episode_id or item_id * 100}
                    record["seasonNumber"] = 1
                else:
                    record["movieId"] = item_id
            record |= {
                "languages": [{"id": 1, "name": "English"}],
                "quality": {"quality": {"id": 7, "name": "Bluray-1080p"}},
                "customFormats": [],
                "customFormatScore": 0,
                "size": 4_000_000_000,
                "title": title or f"Release.{number}.1080p.BluRay.x264-GROUP",
                "sizeleft": 0 if state not in (None, "downloading") else 1_000_000_000,
                "added": when.isoformat().replace("+00:00", "Z"),
                "status": _CLIENT_STATUS.get(state or "", "delay"),
                "protocol": "torrent",
                "downloadClient": "qBittorrent",
                "downloadClientHasPostImportCategory": False,
                "indexer": "Fake Indexer",
            }
            if state is not None:
                record |= {
                    "trackedDownloadStatus": "ok",
                    "trackedDownloadState": state,
                    "statusMessages": [],
                    "downloadId": download_id or f"HASH{number:036d}",
                    "outputPath": f"/downloads/complete/Release.{number}",
                }
            if self._options.app == "sonarr":
                record["episodeHasFile"] = False
            self._records.append(record)
            return dict(record)

    def set_state(self, record_id: int, state: str) -> None:
        """A record's download moved on (``importPending`` to ``importing``, ...)."""
        with self._lock:
            for record in self._records:
                if record["id"] == record_id:
                    record["trackedDownloadState"] = state

    def remove(self, record_id: int) -> None:
        """A download imported or removed: it leaves the queue."""
        with self._lock:
            self._records = [r for r in self._records if r["id"] != record_id]

    def leave_after(self, answers: int, record_id: int) -> None:
        """The record leaves the queue (its download imported) once ``answers`` queue
        requests have been answered: a queue that changes while a client pages it."""
        with self._lock:
            self._leaving.append((answers, record_id))

    def fail(self, failing: bool) -> None:
        """While ``failing``, every queue request ends in a 500, as an unhandled
        exception does on the real server (its error middleware's body)."""
        with self._lock:
            self._failing = failing

    def records(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(record) for record in self._records]

    def page(self, request: Request) -> Response:
        """QueueController.GetQueue."""
        options = self._options
        with self._lock:
            answered = len(self.asked)
            gone = {record for after, record in self._leaving if after <= answered}
            self._records = [r for r in self._records if r["id"] not in gone]
            self.asked.append({key: list(values) for key, values in request.query.items()})
            failing = self._failing
        if failing:
            message = "Object reference not set to an instance of an object."
            return Response.json(500, {"message": message, "description": message})
        query = request.query
        sonarr = options.app == "sonarr"
        item_key = "seriesId" if sonarr else "movieId"
        unknown = "includeUnknownSeriesItems" if sonarr else "includeUnknownMovieItems"
        rows = self.records()
        if query.get(unknown, ["false"])[0].lower() != "true":
            rows = [r for r in rows if item_key in r]
        ids_since = (4,) if sonarr else (5, 1, 1)
        wanted = _ints(query.get("seriesIds" if sonarr else "movieIds", []))
        if wanted and options.version_tuple >= ids_since:
            rows = [r for r in rows if r.get(item_key) in wanted]
        tracked = [r for r in rows if "trackedDownloadState" in r]
        rows = tracked + [r for r in rows if "trackedDownloadState" not in r]  # pending last
        added_since = (4, 0, 1) if sonarr else (5, 3)
        sort_key = query.get("sortKey", [""])[0].lower()
        # PagingResource: no sortDirection is Descending (Default alone takes GetQueue's).
        descending = query.get("sortDirection", ["descending"])[0].lower() == "descending"
        if sort_key == "added" and options.version_tuple >= added_since:
            rows.sort(key=lambda r: r["added"], reverse=descending)
        elif descending:
            rows.reverse()
        page = max(1, _int(query.get("page", ["1"])[0], 1))
        size = _int(query.get("pageSize", ["10"])[0], 10)
        total = len(rows)
        records = rows[(page - 1) * size : page * size] if size > 0 else []
        if not records and page > 1 and size > 0:
            page = max(total // size, 1)
            records = rows[(page - 1) * size : page * size]
        return Response.json(
            200,
            {
                "page": page,
                "pageSize": size,
                "sortKey": sort_key if sort_key == "added" else "timeleft",
                "sortDirection": "descending" if descending else "ascending",
                "totalRecords": total,
                "records": records,
            },
        )


def _int(value: str, default: int) -> int:
    return int(value) if value.lstrip("-").isdigit() else default


def _ints(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.lstrip("-").isdigit()}
