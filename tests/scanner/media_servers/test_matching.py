"""Matching Taggarr's items to a server's: provider ids and the mapped folder (the copy
in the item's own folder wins over another copy with the same ids), a reason for each
item left unmatched, and the tag edits of a matched item."""

from __future__ import annotations

from scanner.arr.paths import PathMapper
from scanner.media_servers.clients.base import ServerItem
from scanner.media_servers.matching import LocalItem, local_file, match_items
from scanner.media_servers.writes.updates import tag_edits

MAPPER = PathMapper(
    [{"remote": "/media/tv", "local": "/mnt/tv"}, {"remote": "/movies", "local": "/mnt/movies"}]
)


def _server(item_id: str, kind: str, path: str, **ids: str) -> ServerItem:
    return ServerItem(id=item_id, kind=kind, title=item_id, path=path, provider_ids=ids)  # type: ignore[arg-type]


SERVER = [
    _server("a", "series", "/media/tv/Elsewhere", tvdb="100"),
    _server("b", "series", "/media/tv/By Path"),
    _server("c", "movie", "/movies/Film (2020)/Film.mkv"),
    _server("d", "movie", "/movies/Other", tmdb="7", imdb="tt0007"),
    _server("e", "movie", "/movies/Same Id", tvdb="100"),  # a movie: never a series' match
]


def _local(key: int, kind: str, path: str, **ids: str) -> LocalItem:
    return LocalItem(key, kind, f"item {key}", path, tuple(ids.items()))  # type: ignore[arg-type]


def test_provider_id_first_then_the_mapped_path() -> None:
    matches, unmatched = match_items(
        [
            _local(1, "series", "/mnt/tv/Show", tvdb="100"),  # id wins over a different path
            _local(2, "series", "/mnt/tv/By Path", tvdb="999"),  # unknown id: the path
            _local(3, "movie", "/mnt/movies/Film (2020)"),  # a movie's file is in its folder
            _local(4, "movie", "/mnt/movies/x", imdb="TT0007"),  # ids ignore case
        ],
        SERVER,
        MAPPER,
    )
    assert not unmatched
    assert {m.local.key: ([s.id for s in m.server], m.how) for m in matches} == {
        1: (["a"], "tvdb"),
        2: (["b"], "path"),
        3: (["c"], "path"),
        4: (["d"], "imdb"),
    }


def test_unmatched_items_say_why() -> None:
    matches, unmatched = match_items(
        [
            _local(5, "series", "/mnt/tv/Nowhere", tvdb="5", imdb="tt5"),
            _local(6, "movie", "/mnt/movies/Nothing"),
            _local(7, "series", "/media/tv/By Path"),  # unmapped on our side: no match
        ],
        SERVER,
        MAPPER,
    )
    assert not matches
    reasons = {u.local.key: u.reason for u in unmatched}
    assert reasons[5] == (
        "no server series has TVDB 5, IMDb tt5, and none is at /mnt/tv/Nowhere after the "
        "path mappings"
    )
    assert reasons[6].startswith("no provider ids, and none is at /mnt/movies/Nothing")
    assert 7 in reasons


def test_tag_edits_touch_only_managed_tags() -> None:
    managed = {"dub", "semi-dub", "wrong-dub", "dub-de"}
    assert tag_edits({"mine", "dub", "dub-de"}, {"semi-dub"}, managed) == (
        {"semi-dub"},
        {"dub", "dub-de"},
    )
    assert tag_edits({"Dub", "mine"}, {"dub"}, managed) == (set(), set())
    assert tag_edits({"mine"}, set(), managed) == (set(), set())


# An HD and a 4K Radarr over separate folders; the server lists both copies, same ids.
COPIES_MAPPER = PathMapper(
    [{"remote": "/movies", "local": "/hd"}, {"remote": "/movies4k", "local": "/uhd"}]
)
COPIES = [
    _server("hd", "movie", "/movies/Film (2020)/Film.mkv", tmdb="7"),
    _server("4k", "movie", "/movies4k/Film (2020)/Film.mkv", tmdb="7"),
    _server("other", "movie", "/movies/Other (2020)/Other.mkv", tmdb="8"),
    _server("other4k", "movie", "/movies4k/Other (2020)/Other.mkv"),  # not identified
]


def test_two_copies_of_one_film_each_match_the_copy_in_their_folder() -> None:
    matches, unmatched = match_items(
        [
            _local(1, "movie", "/hd/Film (2020)", tmdb="7"),
            _local(2, "movie", "/uhd/Film (2020)", tmdb="7"),
            _local(3, "movie", "/uhd/Other (2020)", tmdb="8"),  # its id is on the HD copy
        ],
        COPIES,
        COPIES_MAPPER,
    )
    assert not unmatched
    found = {m.local.key: ([s.id for s in m.server], m.how, m.ambiguous) for m in matches}
    assert found == {
        1: (["hd"], "tmdb", False),
        2: (["4k"], "tmdb", False),
        3: (["other4k"], "path", False),  # the folder says which copy, not the id
    }


def test_an_id_on_several_copies_none_at_the_folder_is_ambiguous() -> None:
    """No path mapping for the 4K folder: both copies by id, each still tagged."""
    (match,), _ = match_items(
        [_local(2, "movie", "/elsewhere/Film (2020)", tmdb="7")], COPIES, COPIES_MAPPER
    )
    assert ([s.id for s in match.server], match.how, match.ambiguous) == (
        ["hd", "4k"],
        "tmdb",
        True,
    )
    (single,), _ = match_items(
        [_local(3, "movie", "/elsewhere/Other", tmdb="8")], COPIES, COPIES_MAPPER
    )
    assert (single.how, single.ambiguous, single.by_id) == ("tmdb", False, True)


def test_a_server_file_as_a_path_in_its_item_s_folder() -> None:
    """What the person-track writer compares with a MediaFile's path (relative to the
    item's folder), after the same path mappings as the items' match."""
    cases = [
        ("/media/tv/Show/Season 01/E01.mkv", "/mnt/tv/Show", "Season 01/E01.mkv"),
        ("/media/tv/Show/./Season 01//E01.mkv", "/mnt/tv/Show/", "Season 01/E01.mkv"),
        ("/movies/Film (2020)/Film.mkv", "/mnt/movies/Film (2020)", "Film.mkv"),
        # Another folder (a prefix of the name is not the folder): the whole path.
        ("/media/tv/Show 2/E01.mkv", "/mnt/tv/Show", "/mnt/tv/Show 2/E01.mkv"),
        ("/elsewhere/E01.mkv", "/mnt/tv/Show", "/elsewhere/E01.mkv"),  # no mapping
    ]
    for server_path, folder, expected in cases:
        assert local_file(server_path, folder, MAPPER) == expected, server_path
