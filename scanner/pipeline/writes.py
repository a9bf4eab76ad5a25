"""What the apply step writes, as values the writers share: per item the tag it ends
with and the *arr tag edits; and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.models import Media


@dataclass
class TagWrite:
    media: Media
    new_tag: str
    adds: set[int] = field(default_factory=set)
    removes: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return self.media.applied_tag != self.new_tag or bool(self.adds or self.removes)


@dataclass
class ApplyReport:
    failed: dict[int, str] = field(default_factory=dict)  # media pk -> reason
    requests: int = 0
    nfo_written: int = 0
    nfo_errors: int = 0
