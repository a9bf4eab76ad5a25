"""Whether the *arr will still write an item's files: its queue (docs/arr-api.md,
"The queue"). A file the *arr is importing is left alone (issue 81): read here, asked
by ``ArrClient.importing``.

``GET /api/v3/queue`` (Sonarr/Sonarr src/Sonarr.Api.V3/Queue/QueueController.cs and
Radarr/Radarr src/Radarr.Api.V3/Queue/QueueController.cs, GetQueue) pages the tracked
downloads and the pending releases (``page``, ``pageSize``, ``totalRecords``,
``records``); a record (QueueResource.cs) names its ``seriesId`` (Sonarr, one record
per episode) or ``movieId`` (Radarr) and its ``trackedDownloadState``
(src/NzbDrone.Core/Download/TrackedDownloads/TrackedDownload.cs, TrackedDownloadState,
camelCase). The states in which the *arr writes the item's files, or may at any
minute:

- ``importPending``: the download is complete and matched
  (CompletedDownloadService.Check); DownloadProcessingService imports every such one
  at its next ProcessMonitoredDownloads, which follows each refresh of the downloads.
- ``importing``: CompletedDownloadService.Import is copying, moving or hardlinking the
  files in, and deleting the ones they upgrade.
- ``importBlocked`` (Sonarr v4, Radarr v5 on): DownloadMonitoringService.ProcessClientItem
  checks such a download again at every refresh, and Check puts it back to
  ``importPending`` once it matches; a manual import from the queue writes its files
  while the record still says ``importBlocked`` (ManualImportService sets ``imported``
  only after).

``downloading`` (nothing complete yet: the *arr writes nothing of it), ``failedPending``
(FailedDownloadService: a failure noted, nothing written), and ``imported``, ``failed``,
``ignored`` (not in the queue: DownloadMonitoringService.DownloadIsTrackable) do not
write. A pending release has no state (nothing grabbed yet). A state this list does not
know is taken as writing: the file waits for the next run rather than be written under
the *arr.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scanner.arr.history import is_id

QUEUE_PATH = "/api/v3/queue"
NOT_WRITING = frozenset({"downloading", "failedPending", "imported", "failed", "ignored"})
# A page: a record is one to a few kilobytes (its languages, quality, custom formats,
# status messages), so a page of 200 stays well under the page bound.
PAGE_SIZE = 200
# 10,000 records: far beyond a real queue (each record a download, or an episode of one).
MAX_PAGES = 50
# Ids sent as a filter (``seriesIds``/``movieIds``, one ``&seriesIds=2147483647`` each:
# 100 of them about 2 KB, far below Kestrel's 8 KB request line). More ids than this and
# the whole queue is read and kept to them here, in as many pages as it has.
MAX_FILTERED_IDS = 100
# Reads of the whole queue before giving up, when it changes between two pages.
TRIES = 3


class QueueShapeError(ValueError):
    """A page that is not what QueueController answers; the message says what."""


@dataclass(frozen=True, slots=True)
class QueuePage:
    page: int  # the page the *arr answered (another than asked: the queue shrank)
    total: int  # totalRecords
    count: int  # records on this page
    writing: frozenset[int]  # the items with a record in a writing state


def item_field(kind: str) -> str:
    return "seriesId" if kind == "sonarr" else "movieId"


def query(kind: str, page: int, ids: Iterable[int] | None) -> dict[str, Any]:
    """A page's parameters, as the *arr's own queue page asks (frontend's queueActions:
    ``page``, ``pageSize``, the unknown items left out), sorted by ``added`` ascending:
    a download keeps its place while it progresses (the default ``timeleft`` moves it),
    and a new one comes last. ``ids`` None: the whole queue."""
    sonarr = kind == "sonarr"
    params: dict[str, Any] = {
        "page": page,
        "pageSize": PAGE_SIZE,
        "sortKey": "added",
        "sortDirection": "ascending",
        "includeUnknownSeriesItems" if sonarr else "includeUnknownMovieItems": "false",
    }
    if ids is not None:
        params["seriesIds" if sonarr else "movieIds"] = sorted(ids)
    return params


def parse_page(answer: Any, kind: str) -> QueuePage:
    """One page; QueueShapeError for anything the *arr does not answer."""
    if not isinstance(answer, dict):
        raise QueueShapeError("the queue is not a page")
    page, total, records = answer.get("page"), answer.get("totalRecords"), answer.get("records")
    if type(page) is not int or type(total) is not int or page < 1 or total < 0:
        raise QueueShapeError("the queue's page has no page or totalRecords")
    if not isinstance(records, list):
        raise QueueShapeError("the queue's page has no records")
    writing = set()
    key = item_field(kind)
    for record in records:
        if not isinstance(record, dict):
            raise QueueShapeError("a queue record is not an object")
        item = record.get(key)
        if item is not None and not is_id(item):
            raise QueueShapeError(f"a queue record's {key} is not an id")
        state = record.get("trackedDownloadState")
        if state is not None and not isinstance(state, str):
            raise QueueShapeError("a queue record's trackedDownloadState is not a name")
        if item is not None and state is not None and state not in NOT_WRITING:
            writing.add(item)
    return QueuePage(page, total, len(records), frozenset(writing))
