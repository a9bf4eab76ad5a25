"""What the apply step writes, as values the writers share: per item the summary tag
and the labels it ends with, and the *arr tag edits; and each writer's own result."""

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
    # The managed labels it carried and no longer carries: what "tags removed" counts.
    taken_off: frozenset[str] = frozenset()

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


@dataclass(frozen=True)
class ArrResult:
    """What the *arr's tag writes came to (scanner.pipeline.writers.arr_writes)."""

    failed: dict[int, str] = field(default_factory=dict)  # media pk -> the *arr's reason
    requests: int = 0
    tag_ids: dict[str, int] = field(default_factory=dict)  # label -> id, the created ones too


@dataclass(frozen=True)
class NfoResult:
    """What the NFO writes came to (scanner.pipeline.writers.nfo_writes); media pks."""

    written: set[int] = field(default_factory=set)  # NFO written or created
    created: set[int] = field(default_factory=set)
    carried: set[int] = field(default_factory=set)  # its NFOs hold its tags after the run
    # Its NFOs hold nothing of this run, and why (NOT_WRITTEN_WHY's keys).
    not_written: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)  # reason: its write failed
    left_alone: set[int] = field(default_factory=set)  # NFOs not ours to edit
    # A library item's NFO is its only record of its tag: one not written is its tag's
    # failed write, as the *arr's refusal is an *arr item's (reason).
    tag_failed: dict[int, str] = field(default_factory=dict)
    # The media servers that refresh after NFO writes are to re-read these: written now,
    # or due from a failed write or refresh (Media.nfo_due) and right now.
    to_reread: set[int] = field(default_factory=set)
    # The original language Taggarr's own in its NFOs now ("" none), where it changed
    # (Media.nfo_original; scanner.engine.nfo_original).
    originals: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServerResult:
    """What the media servers' tag writes came to (scanner.media_servers.writes.tags)."""

    # connection name -> matched / unmatched / written / errors / not_tried / error, in
    # the run's summary and error (scanner.media_servers.writes.outcomes.media_server_problem).
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    reread_failed: set[int] = field(default_factory=set)  # a re-read failed or never sent
    carried: set[int] = field(default_factory=set)  # a server holds its tags
    # (server pk, media pk) -> the original language Taggarr owns on that server's
    # items of the media now ("" none), where it changed (ServerOriginal).
    originals: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """The three writers' results, as the apply step reads them together."""

    arr: ArrResult = field(default_factory=ArrResult)
    nfo: NfoResult = field(default_factory=NfoResult)
    servers: ServerResult = field(default_factory=ServerResult)

    @property
    def failed(self) -> dict[int, str]:
        """Media pk -> why its tag was not written where it lives (the *arr refused it,
        or a library item's NFO could not be written)."""
        return {**self.arr.failed, **self.nfo.tag_failed}
