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
    nfo_created: set[int] = field(default_factory=set)  # media pks: NFO created
    # Media pks whose NFOs hold their tags after the run (written, created or right).
    nfo_carried: set[int] = field(default_factory=set)
    # Media pks whose NFOs hold nothing of this run, and why (NOT_WRITTEN_WHY's keys).
    nfo_not_written: dict[int, str] = field(default_factory=dict)
    nfo_failed: dict[int, str] = field(default_factory=dict)  # media pk -> reason
    nfo_left_alone: set[int] = field(default_factory=set)  # media pks: NFOs not ours to edit
    # Media pks whose NFO the media servers that refresh after NFO writes are to re-read:
    # written now, or due from a failed write or refresh (Media.nfo_due) and right now.
    nfo_to_reread: set[int] = field(default_factory=set)
    # Media pks whose re-read a server failed or never got (the connection stopped).
    reread_failed: set[int] = field(default_factory=set)
    # connection name -> matched / unmatched / written / errors / not_tried / error, in
    # the run's summary and error (scanner.reports.media_server_outcomes.media_server_problem).
    media_servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Media pks a media server holds the tags of (matched, written or right already).
    server_carried: set[int] = field(default_factory=set)
