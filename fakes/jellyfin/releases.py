"""The Jellyfin releases the fake plays: the version ``GET /System/Info`` reports, and
what that release's ``POST /Items/{itemId}`` (ItemUpdateController.UpdateItem) does to
a stored series or movie.

A release is listed here only once its update rules are written, so the version the
fake reports is always one whose rules it applies. Only 12.0 is, for now; issue 41
adds 10.9 to 10.11, whose update clears a Genres, Tags or ProviderIds left out of the
body and answers 400 without Tags or ProviderIds (media-servers.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

UpdateItem = Callable[[dict[str, Any], Mapping[str, Any]], None]


@dataclass(frozen=True)
class JellyfinRelease:
    version: str  # as GET /System/Info reports it
    update_item: UpdateItem  # applies an update body (a JSON object) to a stored item


# -- 12.0 (the assembly version of tags v12.0-rc1 to rc5: "12.0.0") -----------------

# Assigned from the body whether present or not: a field left out is cleared.
ALWAYS_ASSIGNED = (
    "Name", "ForcedSortName", "CriticRating", "CommunityRating", "IndexNumber",
    "ParentIndexNumber", "Overview", "EndDate", "PremiereDate", "ProductionYear",
    "CustomRating", "PreferredMetadataCountryCode", "PreferredMetadataLanguage",
)  # fmt: skip
# The same, a blank string stored as null (string.IsNullOrWhiteSpace).
BLANK_IS_NULL = ("OriginalTitle", "OriginalLanguage", "OfficialRating")
# The same, for one kind of item only (Series: IHasDisplayOrder, "only allow this for
# series"; Movie: Video).
ALWAYS_ASSIGNED_BY_TYPE = {
    "Series": ("RunTimeTicks", "DisplayOrder", "Status"),
    "Movie": ("Video3DFormat",),
}
# Assigned only when the body has them (not null), as sent.
ASSIGNED_WHEN_PRESENT = ("Studios", "LockedFields", "Taglines", "DateCreated")
# Assigned only when present, made distinct ignoring case (the first spelling kept).
DISTINCT_WHEN_PRESENT = ("Genres", "ProductionLocations")


def update_item_12_0(item: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Jellyfin 12.0's UpdateItem for a series or movie with no seasons or episodes.

    Not played: the cast (``People``) stays as stored (the server rebuilds it from
    Name, Role and Type), as do ``AirDays``/``AirTime``; a series' added and removed
    tags are not copied to seasons and episodes (the fake has none); a body carrying
    ``Trickplay`` is taken (10.11 and 12.0 answer 500).
    """
    for name in ALWAYS_ASSIGNED + ALWAYS_ASSIGNED_BY_TYPE.get(item.get("Type", ""), ()):
        item[name] = body.get(name)
    for name in BLANK_IS_NULL:
        value = body.get(name)
        item[name] = None if value is None or not str(value).strip() else value
    if item.get("Type") == "Series" and not item.get("Status"):
        item["Status"] = None  # GetSeriesStatus: an empty status is none
    for name in ASSIGNED_WHEN_PRESENT:
        if body.get(name) is not None:
            item[name] = body[name]
    for name in DISTINCT_WHEN_PRESENT:
        if body.get(name) is not None:
            item[name] = distinct_ignoring_case(str(value) for value in body[name])
    if body.get("ProviderIds") is not None:
        # Ids with an empty value are removed, not stored empty.
        item["ProviderIds"] = {key: value for key, value in body["ProviderIds"].items() if value}
    if body.get("Tags") is not None:
        item["Tags"] = distinct_ignoring_case(str(tag).strip() for tag in body["Tags"])
    item["LockData"] = bool(body.get("LockData"))


def distinct_ignoring_case(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


RELEASES: dict[str, JellyfinRelease] = {
    "12.0.0": JellyfinRelease("12.0.0", update_item_12_0),
}
DEFAULT_VERSION = "12.0.0"


def release(version: str) -> JellyfinRelease:
    """The release ``version`` names; ValueError for one the fake does not play."""
    try:
        return RELEASES[version]
    except KeyError:
        played = ", ".join(RELEASES)
        raise ValueError(
            f"the fake Jellyfin plays {played}, not {version!r} (its update rules differ)"
        ) from None
