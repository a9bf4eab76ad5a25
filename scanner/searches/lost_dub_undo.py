"""Undoing a lost dub's mark as failed (issue 67): the releases an action marked
(scanner.searches.lost_dubs, its event's ``grabs``) taken off the *arr's blocklist.

Sonarr's and Radarr's blocklist (docs/arr-api.md, "History"): ``GET /api/v3/blocklist``
pages the rows newest first, filtered by ``seriesIds`` (Radarr: ``movieIds``); a row
names the release (``sourceTitle``); ``DELETE /api/v3/blocklist/{id}`` removes one. The
rows of the item that name a marked release are removed. A download the *arr made since
(its Redownload Failed) is left as it is. The outcome is written into the event
(``data["undo"]``: a code, who asked, when), and the pages word it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner.arr.history import is_id
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.models import Event, Instance
from scanner.models.choices import LostDubOutcome, LostDubUndo

logger = logging.getLogger(__name__)

PAGE = 250  # the item's newest blocklist rows: a marked release is among the newest
UNDONE, NOT_FOUND, FAILED = LostDubUndo.UNDONE, LostDubUndo.NOT_FOUND, LostDubUndo.FAILED


def can_undo(event: Event) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    return (
        event.kind == Event.Kind.LOST_DUB_ACTION
        and data.get("outcome") == LostDubOutcome.MARKED_FAILED
        and bool(data.get("grabs"))
        and (data.get("undo") or {}).get("outcome") != UNDONE
    )


def undo_mark_failed(event_id: int, by: str) -> str | None:
    """Take the event's marked releases off the *arr's blocklist; the outcome code
    (None: nothing to undo)."""
    event = Event.objects.select_related("instance", "media").filter(pk=event_id).first()
    if event is None or event.instance is None or event.media is None or not can_undo(event):
        return None
    titles = {
        str(grab.get("title"))
        for grab in event.data["grabs"]
        if isinstance(grab, dict) and grab.get("title")
    }
    try:
        removed = _unblock(event.instance, int(event.media.arr_id or 0), titles)
    except (ArrError, ConfigError) as exc:
        return _record(event, FAILED, by, error=str(exc)[:500])
    return _record(event, UNDONE if removed else NOT_FOUND, by, removed=removed)


def _unblock(instance: Instance, arr_id: int, titles: set[str]) -> int:
    items = "seriesIds" if instance.kind == Instance.Kind.SONARR else "movieIds"
    query = {"page": 1, "pageSize": PAGE, "sortKey": "date", "sortDirection": "descending"}
    removed = 0
    with arr_client(instance) as client:
        answer = client.get("/api/v3/blocklist", {**query, items: arr_id})
        records = answer.get("records") if isinstance(answer, dict) else None
        for row in records if isinstance(records, list) else []:
            if isinstance(row, dict) and is_id(row.get("id")) and row.get("sourceTitle") in titles:
                client.delete(f"/api/v3/blocklist/{int(row['id'])}")
                removed += 1
    return removed


def _record(event: Event, code: str, by: str, **values: Any) -> str:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        undo = {"outcome": code, "at": timezone.now().isoformat(), "by": by[:150], **values}
        event.data = {**event.data, "undo": undo}
        event.save(update_fields=["data"])
    logger.info("lost dub of event #%s: undo %s", event.pk, code)
    return code
