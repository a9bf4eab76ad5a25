"""Items and libraries for seeding the fake Jellyfin, shaped like the BaseItemDto a
real server returns for a series or a movie (the fields an update must keep)."""

from __future__ import annotations

from typing import Any


def build_series(
    item_id: str, name: str, path: str, *, library: str = "tv", **extra: Any
) -> dict[str, Any]:
    return {
        "Id": item_id, "Name": name, "Type": "Series", "Path": path, "ParentId": library,
        "Overview": f"The story of {name}.", "CommunityRating": 8.1, "ProductionYear": 2020,
        "Genres": ["Drama"], "Tags": [], "ProviderIds": {}, "LockedFields": [],
        "LockData": False, **extra,
    }  # fmt: skip


def build_movie(
    item_id: str, name: str, path: str, *, library: str = "movies", **extra: Any
) -> dict[str, Any]:
    return {**build_series(item_id, name, path, library=library), "Type": "Movie", **extra}


DEFAULT_LIBRARIES = (
    {"Name": "TV Shows", "ItemId": "tv", "CollectionType": "tvshows", "Locations": ["/media/tv"]},
    {"Name": "Movies", "ItemId": "movies", "CollectionType": "movies", "Locations": ["/movies"]},
)
