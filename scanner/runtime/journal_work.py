"""A feature's journal rows handed to the workers: the default tracks' DefaultTrackChange
and the quality profiles' ProfileChange, chosen one way (by id, item or run, in the
states asked) and sent one way (a task by its name, once the caller's transaction
commits: the tasks sit on top of the features; a broker that is down is one log line,
and the rows stay as they are, planned or written, for the next ask)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import Model
from kombu.exceptions import OperationalError

__all__ = ["by_item", "selected", "send", "send_by_item", "send_on_commit"]

logger = logging.getLogger(__name__)


def selected(
    model: type[Model],
    states: Iterable[str],
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
) -> Any:
    """``model``'s rows named (by id, item or run) in ``states``; none when none is named."""
    rows = model._default_manager.filter(state__in=list(states))
    if change_ids is not None:
        return rows.filter(pk__in=list(change_ids))
    if media_ids is not None:
        return rows.filter(media_id__in=list(media_ids))
    if run_id is not None:
        return rows.filter(run_id=run_id)
    return rows.none()


def by_item(rows: Any) -> dict[int, list[int]]:
    """The rows' ids by their item (a worker takes an item's rows together); rows of an
    item removed meanwhile are left out."""
    items: dict[int, list[int]] = {}
    for change_id, media_id in rows.values_list("pk", "media_id"):
        if media_id is not None:
            items.setdefault(media_id, []).append(change_id)
    return items


def send(name: str, *args: Any) -> None:
    """The task ``name`` to the workers now; a broker that is down is a log line, never
    the caller's error."""
    try:
        current_app.send_task(name, args=list(args))
    except OperationalError as exc:
        logger.warning("the broker is unreachable (%s): %s not sent; ask again later", exc, name)


def send_on_commit(name: str, *args: Any) -> None:
    """``send`` once the caller's transaction commits (nothing when it rolls back)."""
    transaction.on_commit(functools.partial(send, name, *args))


def send_by_item(name: str, rows: Any, by: str, via: str) -> dict[int, list[int]]:
    """One task ``name`` per item of ``rows`` (its rows' ids, who asked and how), each
    sent once the caller's transaction commits; the rows by item."""
    items = by_item(rows)
    for media_id, ids in items.items():
        send_on_commit(name, media_id, ids, by, via)
    return items
