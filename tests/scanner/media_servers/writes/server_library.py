"""One media server's library over the test library (tests/library.py), as each fake
server holds it: the shows under /media/tv, the HD films under /movies and their 4K
copies (same ids) under /movies4k, each with a tag of the user's; and the tags each
item should end with once Sonarr, the HD Radarr and the 4K Radarr were scanned.

Realism on the way: on Jellyfin from 10.9 one series has no TVDB id (TheTVDB became a
plugin), so it matches by folder; every film has trickplay images; the shows have
seasons and episodes; the administrator sees only the TV library (his folder limits
must not matter). On Plex the shows are spread over a new-agent section, a legacy
TheTVDB section and a HAMA section (one show by ``tvdb-``, one by ``anidb-``: by
folder), the HD films use the new agent and the 4K copies the legacy TheMovieDB one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakes.jellyfin import FakeJellyfin, build_library, build_movie, build_seasons, build_series
from fakes.plex import FakePlex, agent_guid
from fakes.plex.agents import HAMA, THEMOVIEDB, THETVDB
from scanner.models import Instance, MediaServer
from tests.helpers import SERVER_TOKEN
from tests.library import Library

USER_TAG = "favourite"
TV, HD, UHD = "/media/tv", "/movies", "/movies4k"


@dataclass
class ServerLibrary:
    """Server item id -> the tags it should end with; series id -> its children's ids."""

    expected: dict[str, set[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)


def _wanted(tag: str) -> set[str]:
    return {USER_TAG} | ({tag} if tag != "none" else set())


def jellyfin_items(
    version: str, tv: Library, hd: Library, uhd: Library
) -> tuple[list[dict[str, Any]], ServerLibrary]:
    items: list[dict[str, Any]] = []
    library = ServerLibrary()
    for number, (title, tag) in enumerate(tv.expected.items(), start=1):
        ids = {"Tvdb": str(100000 + number)}
        if number == 2 and version not in ("10.8.13", "emby-4.9.0.22"):
            ids = {}  # 10.9 moved TheTVDB to a plugin: no TVDB id
        series = build_series(
            f"s{number}", title, f"{TV}/{title}", ProviderIds=ids, Tags=[USER_TAG]
        )
        children = build_seasons(series, seasons=1, episodes=2)
        items += [series, *children]
        library.expected[series["Id"]] = _wanted(tag)
        library.children[series["Id"]] = [child["Id"] for child in children]
    for prefix, films, root in (("hd", hd, HD), ("uhd", uhd, UHD)):
        for number, (title, tag) in enumerate(films.expected.items(), start=1):
            movie = build_movie(
                f"{prefix}{number}", title, f"{root}/{title} (2020)/{title} (2020).mkv",
                library=prefix, ProviderIds={"Tmdb": str(200000 + number)}, Tags=[USER_TAG],
                trickplay=True,
            )  # fmt: skip
            items.append(movie)
            library.expected[movie["Id"]] = _wanted(tag)
    return items, library


JELLYFIN_LIBRARIES = (
    build_library("TV Shows", "tv", "tvshows", [TV], nfo_saver=True),
    build_library("Movies", "hd", "movies", [HD], trickplay=True),
    build_library("Movies 4K", "uhd", "movies", [UHD], trickplay=True),
)


def start_jellyfin(
    version: str, tv: Library, hd: Library, uhd: Library
) -> tuple[FakeJellyfin, ServerLibrary]:
    items, library = jellyfin_items(version, tv, hd, uhd)
    fake = FakeJellyfin(
        token=SERVER_TOKEN, items=items, libraries=JELLYFIN_LIBRARIES, version=version
    ).start()
    fake.state.limit_user_folders(["tv"])
    return fake, library


def start_plex(tv: Library, hd: Library, uhd: Library) -> tuple[FakePlex, ServerLibrary]:
    fake = FakePlex(token=SERVER_TOKEN).start()
    state = fake.state
    state.add_section("1", "TV Shows", "show", [TV])
    state.add_section("2", "Old TV", "show", [TV], agent=THETVDB)
    state.add_section("3", "Anime", "show", [TV], agent=HAMA)
    state.add_section("4", "Movies", "movie", [HD])
    state.add_section("5", "Movies 4K", "movie", [UHD], agent=THEMOVIEDB)
    library = ServerLibrary()
    for number, (title, tag) in enumerate(tv.expected.items(), start=1):
        tvdb = str(100000 + number)
        section, guids, guid = {
            1: ("1", [f"tvdb://{tvdb}"], None),
            2: ("1", [f"tvdb://{tvdb}", "imdb://tt0000002"], None),
            3: ("2", [], agent_guid(THETVDB, tvdb)),
            4: ("2", [], agent_guid(THETVDB, tvdb)),
            5: ("3", [], agent_guid(HAMA, f"tvdb-{tvdb}")),
        }.get(number, ("3", [], agent_guid(HAMA, "anidb-999")))  # by folder
        item = state.add_item(
            section, title, f"{TV}/{title}", guids=guids, agent_guid=guid, labels=[USER_TAG]
        )
        library.expected[str(item.rating_key)] = _wanted(tag)
    for section, films, root in (("4", hd, HD), ("5", uhd, UHD)):
        for number, (title, tag) in enumerate(films.expected.items(), start=1):
            tmdb = str(200000 + number)
            new_agent = section == "4"
            item = state.add_item(
                section, title, f"{root}/{title} (2020)/{title} (2020).mkv",
                guids=[f"tmdb://{tmdb}"] if new_agent else [],
                agent_guid=None if new_agent else agent_guid(THEMOVIEDB, tmdb),
                labels=[USER_TAG],
            )  # fmt: skip
            library.expected[str(item.rating_key)] = _wanted(tag)
    return fake, library


def connect(
    url: str, kind: str, tv: Library, hd: Library, uhd: Library, *instances: Instance
) -> MediaServer:
    server = MediaServer(
        name="server",
        kind=kind,
        url=url,
        path_mappings=[
            {"remote": TV, "local": str(tv.root)},
            {"remote": HD, "local": str(hd.root)},
            {"remote": UHD, "local": str(uhd.root)},
        ],
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set(instances)
    return server
