"""An item's quality profile held by one task at a time (scanner.leases.WISH_PROFILES),
from its plan to its write, as every per-item step is (scanner.runtime.held_turns: one take,
asked again rather than waited for; ``hold`` before the *arr's PUT and first in each
transaction that records one)."""

from __future__ import annotations

from scanner.leases import WISH_PROFILES
from scanner.runtime.held_turns import HeldBy

__all__ = ["ITEM", "LeaseLost", "ask_again", "hold", "let_go", "release", "take"]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


ITEM = HeldBy(WISH_PROFILES, key="media_id", lost=LeaseLost, what="the quality profile of item %s")
take, ask_again, hold = ITEM.take, ITEM.ask_again, ITEM.hold
release, let_go = ITEM.release, ITEM.let_go
