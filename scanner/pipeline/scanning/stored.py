"""A stored item as planning reads it: the fields of its row that the plan compares
with the *arr's list (or the library folders) and that decide whether it needs a
scan, read as a tuple (``values_list``), not as a ``Media`` instance.

An unchanged rescan of 7,000 items spent a fifth of its CPU in the plan's sync, most
of it building a ``Media`` for each stored row (``Model.from_db``, 12 % alone), only to
compare ~35 of its fields with the listing and hand them to the judge. A ``Media`` is
built now only for a new or a changed item (to write it) and for an item the judge
stores a scan item of (none is built: the scan item takes its id).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scanner.models import Media

MEDIA_FIELDS = (
    "arr_id", "title", "path", "arr_path", "original_language", "genres", "monitored",
    "unmonitored_seasons", "arr_tag_ids", "applied_tag", "applied_labels", "tvdb_id", "tmdb_id",
    "imdb_id", "title_slug", "arr_covers", "year", "quality_profile_id",
)  # fmt: skip
# What planning reads of a stored item: the listing's fields above, and what decides
# whether it needs a scan (plan._needs_scan, ScanOptions.settings_hash). Only these are
# loaded: the verdicts, reasons, coverage and review fields made a 10,000-series
# library's rows take 130 MB in the planning process (13 KB an item; 2 KB with these).
PLANNED_FIELDS = (
    *MEDIA_FIELDS, "instance_id", "kind", "planned_tag", "planned_labels", "original_override",
    "unknown_language", "settled_varieties", "settings_hash", "files_digest", "files_fingerprint",
    "episodes_fingerprint", "error", "last_scanned_at", "wanted", "wanted_targets", "wanted_by",
    "wanted_at",
)  # fmt: skip


class StoredItem:
    """One stored row's ``PLANNED_FIELDS`` (and its ``pk``), set from a tuple in that
    order. Reads like the ``Media`` it stands for; a field not planned is not there
    (AttributeError), where a ``Media`` loaded with ``only`` would read it per item."""

    __slots__ = ("pk", *PLANNED_FIELDS)

    pk: int
    arr_id: int | None
    title: str
    path: str
    arr_path: str
    original_language: str
    genres: Any
    monitored: bool
    unmonitored_seasons: Any
    arr_tag_ids: Any
    applied_tag: str
    applied_labels: Any
    tvdb_id: int | None
    tmdb_id: int | None
    imdb_id: str
    title_slug: str
    arr_covers: Any
    year: int | None
    quality_profile_id: int | None
    instance_id: int
    kind: str
    planned_tag: str
    planned_labels: Any
    original_override: str
    unknown_language: str
    settled_varieties: Any
    settings_hash: str
    files_digest: str
    files_fingerprint: str
    episodes_fingerprint: str
    error: str
    last_scanned_at: datetime | None
    wanted: str
    wanted_targets: Any
    wanted_by: str
    wanted_at: datetime | None

    def __init__(self, row: tuple[Any, ...]) -> None:
        for name, value in zip(STORED_COLUMNS, row, strict=True):
            setattr(self, name, value)

    # The same rules as the model's (read through its properties, not copied).
    @property
    def effective_original(self) -> str:
        return Media.effective_original.fget(self)  # type: ignore[attr-defined,no-any-return]

    @property
    def targets_own(self) -> tuple[str, ...]:
        return Media.targets_own.fget(self)  # type: ignore[attr-defined,no-any-return]


STORED_COLUMNS = StoredItem.__slots__  # the values_list order: pk, then PLANNED_FIELDS

# What planning hands its judge: the stored row of a known item, the new Media of a new one.
Stored = Media | StoredItem
