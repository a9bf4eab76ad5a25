"""An item's badges held by one task at a time (scanner.leases.BADGES), from its plan to
its write, as every per-item act is (scanner.runtime.held_turns)."""

from __future__ import annotations

from scanner.leases import BADGES
from scanner.runtime.held_turns import HeldBy

__all__ = ["ITEM", "LeaseLost"]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


ITEM = HeldBy(BADGES, key="media_id", lost=LeaseLost, what="the badges of item %s")
