"""An item's default tracks held by one task at a time (scanner.leases.DEFAULT_TRACKS), from
its plan to its last file's write, as every per-item step is (scanner.runtime.held_turns: one
take, asked again rather than waited for, each write fenced by ``hold``).

The lease keeps the process that took it, and a writer killed while it held an item is
found over at once where that can be told (scanner.runtime.item_hold); a holder on another
host is waited out: ``held_until`` says until when.
"""

from __future__ import annotations

from datetime import datetime

from scanner.leases import DEFAULT_TRACKS
from scanner.models import DefaultTrackLease
from scanner.runtime.item_hold import ItemHold, gone, this_process

__all__ = [
    "ITEM",
    "LeaseLost",
    "ask_again",
    "gone",
    "held_until",
    "hold",
    "let_go",
    "release",
    "take",
    "this_process",
]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


def held_until(media_id: int) -> datetime | None:
    """When the item's lease runs out (None: not held): what a refused undo says."""
    row = DefaultTrackLease.objects.filter(media_id=media_id, token__isnull=False)
    return row.values_list("leased_until", flat=True).first()


ITEM = ItemHold(
    DEFAULT_TRACKS, key="media_id", lost=LeaseLost, what="the default tracks of item %s"
)
take, ask_again, hold = ITEM.take, ITEM.ask_again, ITEM.hold
release, let_go = ITEM.release, ITEM.let_go
