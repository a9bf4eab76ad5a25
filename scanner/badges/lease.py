"""An item's badges held by one task at a time (scanner.leases.BADGES), from its plan to
its write, as every per-item act is (scanner.runtime.held_turns); the process that took
it kept on the lease, so that a worker killed while it drew does not hold the item, undo
included, until the lease runs out (scanner.runtime.item_hold)."""

from __future__ import annotations

from scanner.leases import BADGES
from scanner.runtime.item_hold import ItemHold

__all__ = ["ITEM", "LeaseLost"]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


ITEM = ItemHold(BADGES, key="media_id", lost=LeaseLost, what="the badges of item %s")
