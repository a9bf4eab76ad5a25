"""An item's default tracks held by one task at a time (scanner.leases.DEFAULT_TRACKS), from
its plan to its last file's write, as every per-item step is (scanner.held_turns: one
take, asked again rather than waited for, each write fenced by ``hold``)."""

from __future__ import annotations

from scanner.held_turns import HeldBy
from scanner.leases import DEFAULT_TRACKS

__all__ = ["ITEM", "LeaseLost", "ask_again", "hold", "let_go", "release", "take"]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


ITEM = HeldBy(DEFAULT_TRACKS, key="media_id", lost=LeaseLost, what="the default tracks of item %s")
take, ask_again, hold = ITEM.take, ITEM.ask_again, ITEM.hold
release, let_go = ITEM.release, ITEM.let_go
