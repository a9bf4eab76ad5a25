"""A person of the household as the track choice reads them (issue 70): plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

WantCode = Literal["dub", "original-subtitled", "original"]


@dataclass(frozen=True)
class Listener:
    name: str
    languages: tuple[str, ...]  # in order, varieties first where given: ("fr-CA", "fr")
    wants: Mapping[str, WantCode]  # "series" / "movie" -> want
    item_wants: Mapping[int, WantCode] = field(default_factory=dict)  # Media id -> want
