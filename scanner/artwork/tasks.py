"""Artwork's tasks: after a run, its items' posters and fanart fetched by workers side
by side, a task per chunk of items under per-image leases (scanner.artwork.leases)."""

from __future__ import annotations

import logging

from kombu.exceptions import OperationalError

from scanner.artwork.refresh import Chunk, chunks_of_run, refresh_chunk
from scanner.tasking import kinds
from scanner.tasking.base import SideTask, bound_task, task

logger = logging.getLogger(__name__)


def after_run(run_id: int) -> None:
    """A run ended: its artwork."""
    refresh_run_artwork.delay(run_id)


def queue_artwork(run_id: int) -> bool:
    """``scan --inline``: the run's artwork to the workers, now (no transaction to wait
    for); False when the broker is unreachable (the next scan a worker ends fetches it)."""
    try:
        refresh_run_artwork.delay(run_id)
    except OperationalError as exc:
        logger.warning("the broker is unreachable (%s): scan #%s's artwork waits", exc, run_id)
        return False
    return True


@task(kinds.RUN_ARTWORK)
def refresh_run_artwork(run_id: int) -> int:
    """The run's items' posters and fanart, what changed of them (scanner.artwork): after
    the run, so that artwork never holds up or fails an item. Reads which items have an
    image to fetch (a few queries) and sends a ``refresh_artwork_chunk`` per chunk of them,
    which workers run side by side as they run items; the chunks sent."""
    chunks = chunks_of_run(run_id)
    for chunk in chunks:
        refresh_artwork_chunk.delay(chunk.instance_id, list(chunk.media_ids))
    return len(chunks)


@bound_task(kinds.ARTWORK)
def refresh_artwork_chunk(self: SideTask, instance_id: int, media_ids: list[int]) -> int:
    """The images of a chunk of items that changed, fetched and stored; the images
    fetched. Its leases carry the task's id, so a message delivered again (a worker
    died) takes back its own images."""
    token = self.own_token()
    return refresh_chunk(Chunk(instance_id, tuple(media_ids)), token=token).fetched
