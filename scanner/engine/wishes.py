"""What an item's household wants to grab, as one short key: its *wish* (issue 82).

A wish is the key a person maps to one of the *arr's quality profiles
(scanner.wish_profiles): ``"original"`` (the original only: the item wants no dub), a
target (``"deu"``, ``"fr-CA"``, ``"es-419"``: a dub in it, the item's first target) or
``"original+<target>"`` (the original and the dub, dual audio: the item wants a dub and
someone of the household wants the original of it). A target is written as stored
targets are (engine.targets.target_code: a plain language by its ISO 639-2 code, a
variety by its tag), so that one wish has one key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from scanner.engine.targets import target_code

ORIGINAL_WISH: Final = "original"
_BOTH: Final = ORIGINAL_WISH + "+"
MAX_WISH_LENGTH: Final = 50  # the stored key's bound (WishProfile.wish)


def wish_of(targets: Sequence[str], *, original_wanted: bool) -> str:
    """The wish of an item with these targets (its wanted targets without its original,
    in order): the first one's dub, with the original when someone wants it; no target:
    the original. A target that names no language is passed over."""
    for target in targets:
        code = target_code(target)
        if code is not None:
            return f"{_BOTH}{code}" if original_wanted else code
    return ORIGINAL_WISH


def parse_wish(wish: str) -> tuple[str | None, bool]:
    """A wish's target (None for the original only, as target_code writes it) and
    whether the original is wanted; ValueError when ``wish`` is no wish."""
    if wish == ORIGINAL_WISH:
        return None, True
    both = wish.startswith(_BOTH)
    target = wish[len(_BOTH) :] if both else wish
    code = target_code(target) if target and target.strip() == target else None
    if code is None or len(wish) > MAX_WISH_LENGTH:
        raise ValueError(f"{wish[:60]!r} is not a wish")
    return code, both


def is_wish(value: str) -> bool:
    """Whether ``value`` is a wish (in any form parse_wish reads)."""
    try:
        parse_wish(value)
    except ValueError:
        return False
    return True


def normal_wish(wish: str) -> str:
    """``wish``'s one key (``"de"`` -> ``"deu"``, ``"original+fr-ca"`` ->
    ``"original+fr-CA"``); ValueError when it is no wish."""
    target, original = parse_wish(wish)
    if target is None:
        return ORIGINAL_WISH
    return f"{_BOTH}{target}" if original else target


def wish_target(wish: str) -> str | None:
    """The dub a wish asks for (None: the original only); ValueError when it is none."""
    return parse_wish(wish)[0]
