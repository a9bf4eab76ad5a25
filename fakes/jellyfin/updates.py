"""What each release's ``POST /Items/{itemId}`` does to a stored item, read from
Jellyfin.Api/Controllers/ItemUpdateController.cs (``UpdateItem``) at the tag of each
release, and Emby's as far as its clients show it.

An update function changes ``item`` (a copy the state stores afterwards) and, for a
series on 10.9 and later, its seasons and episodes (``children``, copies too), each
of which it saves on the way (appends to ``saved``). It raises ``UpdateRefused`` for
an answer other than 204; the changes it made before raising stay on the item, as
they stay on Jellyfin's cached item (jellyfin issue 10724: Name, Overview, Genres ...
are overwritten in memory before ``Tags`` is found null), and the children it saved
stay saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Item = dict[str, Any]


class UpdateRefused(Exception):
    """The answer to an update the server does not take."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


# Assigned from the body in this order whether present or not (a field left out is
# cleared), up to the tags.
ASSIGNED_BEFORE_TAGS = (
    "Name", "ForcedSortName", "CriticRating", "CommunityRating", "IndexNumber",
    "ParentIndexNumber", "Overview",
)  # fmt: skip
ASSIGNED_AFTER_DATES = ("EndDate", "PremiereDate", "ProductionYear")
ASSIGNED_AFTER_TAGS = ("PreferredMetadataCountryCode", "PreferredMetadataLanguage")
# Assigned only when the body has them (not null).
WHEN_PRESENT = ("Studios", "DateCreated")


def blank_is_null(value: Any) -> Any:
    return None if value is None or not str(value).strip() else value


def distinct(values: Iterable[str], *, ignore_case: bool) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold() if ignore_case else value, value)
    return list(seen.values())


def refuse_trickplay(body: Mapping[str, Any]) -> None:
    """10.11 and 12: ``Trickplay`` is a ``Dictionary<string, Dictionary<int,
    TrickplayInfoDto>>``, and TrickplayInfoDto's only constructor takes a TrickplayInfo
    that no JSON member binds to: System.Text.Json throws NotSupportedException as soon
    as it meets one, which ExceptionMiddleware answers with 500 (MediaBrowser.Model/Dto/
    TrickplayInfoDto.cs, Jellyfin.Api/Middleware/ExceptionMiddleware.cs)."""
    trickplay = body.get("Trickplay")
    if isinstance(trickplay, Mapping) and any(
        isinstance(resolutions, Mapping) and resolutions for resolutions in trickplay.values()
    ):
        raise UpdateRefused(
            500,
            "Each parameter in the deserialization constructor on type "
            "'MediaBrowser.Model.Dto.TrickplayInfoDto' must bind to an object property or "
            "field on deserialization.",
        )


def _assign_common_start(item: Item, body: Mapping[str, Any]) -> None:
    for name in ASSIGNED_BEFORE_TAGS:
        item[name] = body.get(name)
    item["OriginalTitle"] = blank_is_null(body.get("OriginalTitle"))


def _assign_dates_and_ratings(item: Item, body: Mapping[str, Any]) -> None:
    if body.get("Taglines") is not None:
        item["Taglines"] = list(body["Taglines"])[:1]
    for name in WHEN_PRESENT:
        if body.get(name) is not None:
            item[name] = body[name]
    for name in ASSIGNED_AFTER_DATES:
        item[name] = body.get(name)
    item["OfficialRating"] = blank_is_null(body.get("OfficialRating"))
    item["CustomRating"] = body.get("CustomRating")


def _assign_common_end(item: Item, body: Mapping[str, Any]) -> None:
    if body.get("ProductionLocations") is not None:
        item["ProductionLocations"] = body["ProductionLocations"]
    for name in ASSIGNED_AFTER_TAGS:
        item[name] = body.get(name)
    if item.get("Type") == "Series":  # IHasDisplayOrder; "only allow this for series"
        item["DisplayOrder"] = body.get("DisplayOrder")
        item["RunTimeTicks"] = body.get("RunTimeTicks")
    item["LockData"] = bool(body.get("LockData"))
    if body.get("LockedFields") is not None:
        item["LockedFields"] = body["LockedFields"]


def _provider_ids_required(item: Item, body: Mapping[str, Any]) -> None:
    """10.8 to 10.11: ``request.ProviderIds.ToList()`` on null throws
    ArgumentNullException, which ExceptionMiddleware answers with 400."""
    ids = body.get("ProviderIds")
    if ids is None:
        raise UpdateRefused(400, "Value cannot be null. (Parameter 'source')")
    item["ProviderIds"] = {key: value for key, value in ids.items() if value}


def _assign_by_type(item: Item, body: Mapping[str, Any]) -> None:
    if item.get("Type") == "Movie":  # Video
        item["Video3DFormat"] = body.get("Video3DFormat")
    if item.get("Type") == "Series":
        item["Status"] = body.get("Status") or None  # GetSeriesStatus
        if body.get("AirDays") is not None:
            item["AirDays"], item["AirTime"] = body["AirDays"], body.get("AirTime")


def update_10_8(
    item: Item, body: Mapping[str, Any], children: list[Item], saved: list[Item]
) -> None:
    """10.8.13: every field assigned as in the body, ``Tags`` too (null clears them);
    a series' seasons and episodes are left alone."""
    _assign_common_start(item, body)
    item["Genres"] = body.get("Genres")
    item["Tags"] = body.get("Tags")
    _assign_dates_and_ratings(item, body)
    _assign_common_end(item, body)
    _provider_ids_required(item, body)
    _assign_by_type(item, body)


def _fan_out(
    children: list[Item],
    saved: list[Item],
    body: Mapping[str, Any],
    added: list[str],
    removed: list[str],
    *,
    ignore_case: bool,
) -> None:
    """A series' update reaches every season and episode: its rating, and its added
    and removed tags (``Concat(added).Except(removed).Distinct()``, Except comparing
    exactly), each saved; a child whose LockedFields has Tags keeps its tags."""
    for child in children:
        if "OfficialRating" not in (child.get("LockedFields") or []):
            child["OfficialRating"] = blank_is_null(body.get("OfficialRating"))
        child["CustomRating"] = body.get("CustomRating")
        if "Tags" not in (child.get("LockedFields") or []):
            merged = [*(child.get("Tags") or []), *added]
            kept = [tag for tag in merged if tag not in removed]
            child["Tags"] = distinct(kept, ignore_case=ignore_case)
        saved.append(child)


def _update_10_9(
    item: Item,
    body: Mapping[str, Any],
    children: list[Item],
    saved: list[Item],
    *,
    ignore_case: bool,
) -> None:
    _assign_common_start(item, body)
    item["Genres"] = body.get("Genres")
    _assign_dates_and_ratings(item, body)
    new = body.get("Tags")
    if new is None:  # currentTags.Except(null)
        raise UpdateRefused(400, "Value cannot be null. (Parameter 'second')")
    current = list(item.get("Tags") or [])
    removed = [tag for tag in current if tag not in new]
    added = [tag for tag in new if tag not in current]
    item["Tags"] = list(new)
    if item.get("Type") == "Series":
        _fan_out(children, saved, body, added, removed, ignore_case=ignore_case)
    _assign_common_end(item, body)
    _provider_ids_required(item, body)
    _assign_by_type(item, body)


def update_10_10(
    item: Item, body: Mapping[str, Any], children: list[Item], saved: list[Item]
) -> None:
    """10.9.0 to 10.10.7: 10.8's, but a body without Tags or ProviderIds answers 400
    (after the fields before them were set), and a series' added and removed tags go
    to every season and episode."""
    _update_10_9(item, body, children, saved, ignore_case=False)


def update_10_11(
    item: Item, body: Mapping[str, Any], children: list[Item], saved: list[Item]
) -> None:
    """10.11.0 to 10.11.11: 10.10's, the children's tags made distinct ignoring case."""
    refuse_trickplay(body)
    _update_10_9(item, body, children, saved, ignore_case=True)


def update_12_0(
    item: Item, body: Mapping[str, Any], children: list[Item], saved: list[Item]
) -> None:
    """12.0 (v12.0-rc1 to rc5, reported as "12.0.0"): Genres, Tags and ProviderIds are
    applied only when present, OriginalLanguage is cleared when absent, tags are
    trimmed and made distinct ignoring case, ids without a value dropped."""
    refuse_trickplay(body)
    _assign_common_start(item, body)
    item["OriginalLanguage"] = blank_is_null(body.get("OriginalLanguage"))
    if body.get("Genres") is not None:
        item["Genres"] = distinct((str(g) for g in body["Genres"]), ignore_case=True)
    _assign_dates_and_ratings(item, body)
    added: list[str] = []
    removed: list[str] = []
    if body.get("Tags") is not None:
        new = distinct((str(tag).strip() for tag in body["Tags"]), ignore_case=True)
        current = list(item.get("Tags") or [])
        removed = [tag for tag in current if tag not in new]
        added = [tag for tag in new if tag not in current]
        item["Tags"] = new
    if item.get("Type") == "Series":
        for child in children:
            child["SeriesName"] = item.get("Name")
        _fan_out(children, saved, body, added, removed, ignore_case=True)
    _assign_common_end(item, body)
    if body.get("ProductionLocations") is not None:
        locations = (str(p) for p in body["ProductionLocations"])
        item["ProductionLocations"] = distinct(locations, ignore_case=True)
    if body.get("ProviderIds") is not None:
        item["ProviderIds"] = {key: value for key, value in body["ProviderIds"].items() if value}
    _assign_by_type(item, body)


def update_emby(
    item: Item, body: Mapping[str, Any], children: list[Item], saved: list[Item]
) -> None:
    """Emby 4.9 (*inferred*: closed source): the item API of Jellyfin 10.8, except that
    what a ``Tags`` member does is unknown, so the fake leaves the tags as they are
    (Emby's own way to change them is ``/Items/{Id}/Tags/Add`` and ``/Tags/Delete``)."""
    tags = item.get("Tags")
    update_10_8(item, {**body, "Tags": tags}, children, saved)
