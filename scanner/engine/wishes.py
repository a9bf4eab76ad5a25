"""PROVISIONAL (helper ui): the contract's wishes (contract82.md, part 1) until core's
scanner/engine/wishes.py is merged; core's version replaces this file whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from scanner.engine.targets import target_code

ORIGINAL_WISH: Final = "original"
_AND: Final = "original+"
MAX_WISH: Final = 50


def wish_of(targets: Sequence[str], *, original_wanted: bool) -> str:
    if not targets:
        return ORIGINAL_WISH
    return f"{_AND}{targets[0]}" if original_wanted else targets[0]


def parse_wish(wish: str) -> tuple[str | None, bool]:
    if not wish or len(wish) > MAX_WISH:
        raise ValueError(f"not a wish: {wish!r}")
    if wish == ORIGINAL_WISH:
        return None, True
    original = wish.startswith(_AND)
    target = wish.removeprefix(_AND)
    if target_code(target) is None:
        raise ValueError(f"not a wish: {wish!r}")
    return target, original


def is_wish(value: str) -> bool:
    try:
        parse_wish(value)
    except ValueError:
        return False
    return True
