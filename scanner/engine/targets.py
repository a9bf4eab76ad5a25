"""The targets of one item (tagging-rules.md, "One file's result"): the instance's target
languages minus the item's original language, and which of them a file's languages meet.

The one definition the verdict (its tags and reasons), the coverage (per item and per
season, through the verdict's file results) and the dub news all judge with, so that
no news is told, no coverage counted and no tag decided for the original language. A
target and a language are compared as ``same_language`` does: a macrolanguage and one
of its individual languages are the same (a Chinese original leaves out a Mandarin
target). A kind of target that compares otherwise (a regional one, ``fr-CA`` against
``fr``) is defined here, and every judge follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scanner.engine.languages import among, canonical, same_language, validate_languages


@dataclass(frozen=True, slots=True)
class ItemTargets:
    """An item's targets, as its original language leaves them."""

    original: str | None  # canonical; None: unknown, and every target stays
    wanted: frozenset[str]  # the instance's targets minus the original
    original_is_target: bool  # the original is one of the instance's targets

    def met(self, languages: Iterable[str]) -> frozenset[str]:
        """The targets that a file's (canonical) languages meet."""
        heard = tuple(languages)
        return frozenset(code for code in self.wanted if meets(code, heard))


def item_targets(targets: Iterable[str], original: str | None) -> ItemTargets:
    """The targets of an item with this original language (in any accepted form).

    Raises ConfigError for a target that names no language (settings are validated on
    save, so this means a caller skipped that).
    """
    codes = validate_languages(targets)
    original_code = canonical(original)
    if original_code is None:
        return ItemTargets(None, frozenset(codes), original_is_target=False)
    wanted = frozenset(code for code in codes if not same_language(code, original_code))
    return ItemTargets(original_code, wanted, original_is_target=len(wanted) < len(codes))


def meets(target: str, languages: Iterable[str]) -> bool:
    """Whether a file with these (canonical) languages has ``target``."""
    return among(target, languages)
