"""A person of the household as the choice of a track sees them (issue 70): plain values,
no Django. The model (scanner.models.household.Person.listener) makes one; the choice
(scanner.engine.track_choice) and the dry run (scanner.household.dry_run) take it.

``languages`` are the person's languages in their order, as stored targets are
(scanner.validators.clean_targets: a variety as its tag, ``fr-CA``; a language as its
ISO 639-2 code, ``fra``; the choice reads any form engine.language_value parses), so
``("fr-CA", "fra")`` is "the Quebec dub, else any French". ``wants`` holds the person's
want per kind of item (``series``, ``movie``); ``item_wants`` the items where they said
otherwise (a Media id to its want).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

WantCode = Literal["dub", "original-subtitled", "original"]

# What a person wants to hear: the codes the model stores (scanner.models.choices.Want).
DUB: Final[WantCode] = "dub"  # dubbed in their first language that the item has
ORIGINAL_SUBTITLED: Final[WantCode] = "original-subtitled"  # the original, their subtitles
ORIGINAL: Final[WantCode] = "original"  # the original, no subtitles chosen
WANTS: Final[tuple[WantCode, ...]] = (DUB, ORIGINAL_SUBTITLED, ORIGINAL)
KINDS: Final = ("series", "movie")


def want_code(value: str) -> WantCode:
    """``value`` (a stored want) as a want code; ValueError for another."""
    for want in WANTS:
        if value == want:
            return want
    raise ValueError(f"{value!r} is not a want")


@dataclass(frozen=True)
class Listener:
    name: str
    languages: tuple[str, ...]  # in order, varieties first where given: ("fr-CA", "fra")
    wants: Mapping[str, WantCode]  # "series" / "movie" -> want
    item_wants: Mapping[int, WantCode] = field(default_factory=dict)  # Media id -> want

    def want(self, kind: str, media_id: int | None = None) -> WantCode:
        """What the person wants for one item: its own want, else their want for its
        kind, else a dub."""
        if media_id is not None and media_id in self.item_wants:
            return self.item_wants[media_id]
        return self.wants.get(kind, DUB)


def make_listener(
    name: str,
    languages: tuple[str, ...] | list[str],
    wants: Mapping[str, WantCode],
    item_wants: Mapping[int, WantCode],
) -> Listener:
    """A Listener whose mappings cannot be changed through it (read-only views of
    copies)."""
    return Listener(
        name=name,
        languages=tuple(languages),
        wants=MappingProxyType(dict(wants)),
        item_wants=MappingProxyType(dict(item_wants)),
    )
