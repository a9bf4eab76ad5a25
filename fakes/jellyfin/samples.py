"""Items and libraries for seeding the fake Jellyfin, shaped like what a real server
stores for a series, its seasons and episodes, or a movie: every member an update
must keep, and the read-only ones a whole item carries (a movie's Trickplay)."""

from __future__ import annotations

from typing import Any


def build_series(
    item_id: str, name: str, path: str, *, library: str = "tv", **extra: Any
) -> dict[str, Any]:
    return {
        "Id": item_id, "Name": name, "Type": "Series", "Path": path, "ParentId": library,
        "Overview": f"The story of {name}.", "CommunityRating": 8.1, "ProductionYear": 2020,
        "Genres": ["Drama"], "Studios": [{"Name": "Studio", "Id": "st1"}],
        "People": [{"Name": "Actor", "Role": "Hero", "Type": "Actor", "Id": "p1"}],
        "Tags": [], "ProviderIds": {}, "LockedFields": [], "LockData": False, **extra,
    }  # fmt: skip


def build_movie(
    item_id: str,
    name: str,
    path: str,
    *,
    library: str = "movies",
    trickplay: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A movie; ``trickplay``: with trickplay images (a library option since 10.9), which
    the whole item lists per media source and resolution."""
    movie = {**build_series(item_id, name, path, library=library), "Type": "Movie"}
    source = f"{item_id}-source"
    movie["MediaSources"] = [{"Id": source, "Path": path, "Container": "mkv"}]
    if trickplay:
        info = {
            "Width": 320, "Height": 180, "TileWidth": 10, "TileHeight": 10,
            "ThumbnailCount": 600, "Interval": 10000, "Bandwidth": 12000,
        }  # fmt: skip
        movie["Trickplay"] = {source: {"320": info}}
    return {**movie, **extra}


def build_seasons(
    series: dict[str, Any], seasons: int, episodes: int, **extra: Any
) -> list[dict[str, Any]]:
    """``seasons`` seasons of ``episodes`` episodes each under ``series``, with the
    series' tags (as a server that copied them keeps them)."""
    children: list[dict[str, Any]] = []
    for number in range(1, seasons + 1):
        season_id = f"{series['Id']}-s{number}"
        folder = f"{series['Path']}/Season {number:02d}"
        children.append(
            {
                "Id": season_id,
                "Name": f"Season {number}",
                "Type": "Season",
                "Path": folder,
                "ParentId": series["Id"],
                "SeriesId": series["Id"],
                "SeriesName": series["Name"],
                "IndexNumber": number,
                "Tags": list(series.get("Tags") or []),
                "LockedFields": [],
                **extra,
            }
        )
        for episode in range(1, episodes + 1):
            name = f"{series['Name']} S{number:02d}E{episode:02d}"
            children.append(
                {
                    "Id": f"{season_id}e{episode}",
                    "Name": name,
                    "Type": "Episode",
                    "Path": f"{folder}/{name}.mkv",
                    "ParentId": season_id,
                    "SeasonId": season_id,
                    "SeriesId": series["Id"],
                    "SeriesName": series["Name"],
                    "IndexNumber": episode,
                    "ParentIndexNumber": number,
                    "Tags": list(series.get("Tags") or []),
                    "LockedFields": [],
                    **extra,
                }
            )
    return children


def build_library(
    name: str,
    item_id: str,
    collection_type: str,
    locations: list[str],
    *,
    nfo_saver: bool = False,
    trickplay: bool = False,
) -> dict[str, Any]:
    """A library as ``GET /Library/VirtualFolders`` lists it (VirtualFolderInfo), with the
    LibraryOptions that make an item's save expensive: the NFO saver (MetadataSavers
    names "Nfo") and trickplay image extraction."""
    return {
        "Name": name, "ItemId": item_id, "CollectionType": collection_type,
        "Locations": list(locations),
        "LibraryOptions": {
            "MetadataSavers": ["Nfo"] if nfo_saver else [],
            "SaveLocalMetadata": nfo_saver,
            "EnableTrickplayImageExtraction": trickplay,
            "ExtractTrickplayImagesDuringLibraryScan": trickplay,
        },
    }  # fmt: skip


DEFAULT_LIBRARIES = (
    build_library("TV Shows", "tv", "tvshows", ["/media/tv"]),
    build_library("Movies", "movies", "movies", ["/movies"]),
)
