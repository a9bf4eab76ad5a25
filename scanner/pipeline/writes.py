"""What the apply step writes, as values the writers share: per item the summary tag
and the labels it ends with, and the *arr tag edits; and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.models import Media


@dataclass
class TagWrite:
    media: Media
    new_tag: str  # the summary verdict: dub / semi-dub / wrong-dub / none
    labels: list[str]  # the per-language and subtitle labels it ends with, sorted
    wanted: frozenset[str]  # every managed label it ends with (summary label included)
    managed: frozenset[str]  # every label Taggarr manages on it (the rest are the user's)
    add_labels: set[str] = field(default_factory=set)  # *arr tags to add
    remove_labels: set[str] = field(default_factory=set)  # *arr tags to remove

    @property
    def changed(self) -> bool:
        return (
            self.media.applied_tag != self.new_tag
            or self.media.applied_labels != self.labels
            or bool(self.add_labels or self.remove_labels)
        )

    def describe(self) -> str:
        """``dub -> semi-dub; +dub-de, -semi-dub-fr`` for events."""
        parts = []
        if self.media.applied_tag != self.new_tag:
            parts.append(f"{self.media.applied_tag} -> {self.new_tag}")
        gained = sorted(set(self.labels) - set(self.media.applied_labels))
        lost = sorted(set(self.media.applied_labels) - set(self.labels))
        if gained or lost:
            parts.append(", ".join([*(f"+{x}" for x in gained), *(f"-{x}" for x in lost)]))
        return "; ".join(parts) or "tags re-checked"


@dataclass
class ApplyReport:
    failed: dict[int, str] = field(default_factory=dict)  # media pk -> reason (the *arr's)
    requests: int = 0
    nfo_written: set[int] = field(default_factory=set)  # media pks: NFO written or created
    nfo_failed: dict[int, str] = field(default_factory=dict)  # media pk -> reason
    # connection name -> matched / unmatched / written / errors / error: never a failure
    # of the run (the *arr and the NFOs are the record), shown in its summary and events.
    media_servers: dict[str, dict[str, Any]] = field(default_factory=dict)
