"""An item's failure, recorded: the item, its media's error, an event, the run's count."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from scanner.models import Event, Media, ScanItem
from scanner.pipeline.state import leases, runs
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)


def record_item_failure(item_id: int, reason: str, cause: str = "") -> Next:
    """The pending item is failed with its reason, whoever holds it (a task that stopped
    on an unexpected error); the run goes on without it. ``cause``: the reason's code
    (scanner.errors.cause_of), which the pages tell in the reader's language."""
    item = ScanItem.objects.select_related("media", "run").filter(pk=item_id).first()
    if item is None:
        return NOTHING
    with transaction.atomic():
        failed = ScanItem.objects.filter(pk=item_id, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.FAILED, error=reason[:2000], leased_until=None, lease_token=None
        )
        return _recorded(item, reason, cause) if failed else NOTHING


def record_own_failure(
    item_id: int, token: int | None, reason: str, cause: str = ""
) -> Next | None:
    """The pending item is failed with ``reason`` by a task whose fence said it was its
    own (held with ``token``; None: the task holds no claim) or free, only while it still
    is, in the one statement that fails it: what follows. None when it is no longer so
    (nothing written): another task took it meanwhile, or scanned or failed it, or its
    run ended (issue 92: a task that gave up after another had scanned its item ended a
    FAILURE in Flower; one a moment sooner failed the item the other held)."""
    item = ScanItem.objects.select_related("media", "run").filter(pk=item_id).first()
    if item is None:
        return None
    own = Q(lease_token__isnull=True)
    if token is not None:
        own |= Q(lease_token=token)
    with transaction.atomic():
        failed = ScanItem.objects.filter(own, pk=item_id, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.FAILED, error=reason[:2000], leased_until=None, lease_token=None
        )
        return _recorded(item, reason, cause) if failed else None


def record_held_failure(
    held: leases.Held, item: ScanItem, reason: str, cause: str = ""
) -> Next | None:
    """The item, if its holder (``held``) still holds it, is failed with ``reason``: what
    follows; None when the holder lost it (nothing is written)."""
    with transaction.atomic():
        if not leases.mark_failed(held, reason):
            return None
        return _recorded(item, reason, cause)


def _recorded(item: ScanItem, reason: str, cause: str) -> Next:
    """The rest of a failure, in the caller's transaction."""
    closing = runs.count_item_failed(item.run_id)
    Media.objects.filter(pk=item.media_id).update(error=reason[:2000])
    Event.objects.create(
        instance_id=item.run.instance_id,
        media=item.media,
        run=item.run,
        kind=Event.Kind.ITEM_FAILED,
        message=f"{item.media.title}: {reason[:500]}",
        data={"title": item.media.title, "cause": cause},
    )
    transaction.on_commit(
        lambda: logger.warning("scan #%s: %s failed: %s", item.run_id, item.media.title, reason)
    )
    return closing
