"""Issue 18 end to end: a scan through the fake Sonarr/Radarr over HTTP and real files
ends with the same managed tags on the fake Jellyfin's items, the user's own tags
kept; a rescan sends it nothing; a refused token, a server that is down or an item
deleted meanwhile never undo the *arr writes. Issue 38: such a failure ends the run
partial, with counts that agree with its error, and the next scan sends what was not
written; one item that fails does not stop the others."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from fakes.arr import FakeArr
from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from fakes.plex import FakePlex
from scanner.models import Event, Instance, Media, MediaServer, ScanRun
from scanner.reports.progress import summary_lines
from tests.helpers import SERVER_TOKEN, arr_tags, arr_writes, find_leak, nfo_tags, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

SERVER_ITEMS = [
    # Matched by TVDB id although the server's folder has another name.
    build_series(
        "s1", "Anime Dubbed", "/media/tv/Anime Dubbed (2019)",
        ProviderIds={"Tvdb": "100001"}, Tags=["favourite"],
    ),
    build_series("s2", "Anime Half", "/media/tv/Anime Half", ProviderIds={"Tvdb": "100002"}),
    build_series(
        "s3", "Anime Wrong", "/media/tv/Anime Wrong",
        ProviderIds={"Tvdb": "100003"}, Tags=["dub", "kids"],  # a stale managed tag
    ),
    build_series("s5", "Never Dubbed", "/media/tv/Never Dubbed", Tags=["semi-dub", "mine"]),
    build_series("s6", "Señorita Ünïcode", "/media/tv/Señorita Ünïcode"),  # by path only
    build_series("s9", "Not In Sonarr", "/media/tv/Not In Sonarr", Tags=["dub"]),
    build_movie(
        "m1", "Dubbed Film", "/movies/Dubbed Film (2020)/Dubbed Film (2020).mkv",
        ProviderIds={"Tmdb": "200001"},
    ),
    build_movie("m3", "Wrong Film", "/movies/Wrong Film (2020)/Wrong Film (2020).mkv"),
]  # fmt: skip
# "Plain English" and "Original Film" are not on the server: unmatched, with a reason.
EXPECTED = {
    "Anime Dubbed": {"dub", "favourite"},
    "Anime Half": {"semi-dub"},
    "Anime Wrong": {"wrong-dub", "kids"},
    "Never Dubbed": {"mine"},
    "Señorita Ünïcode": {"dub"},
    "Not In Sonarr": {"dub"},  # not Taggarr's: untouched
    "Dubbed Film": {"dub"},
    "Wrong Film": {"wrong-dub"},
}


@pytest.fixture
def jellyfin() -> Iterator[FakeJellyfin]:
    with FakeJellyfin(token=SERVER_TOKEN, items=SERVER_ITEMS) as fake:
        yield fake


def _connect(url: str, *instances: Instance, token: str = SERVER_TOKEN, **fields: object) -> None:
    tv, movies = (i for i in instances)
    server = MediaServer(
        name="jellyfin",
        url=url,
        path_mappings=[
            {"remote": "/media/tv", "local": str(tv.root_folders[0])},
            {"remote": "/movies", "local": str(movies.root_folders[0])},
        ],
        **fields,
    )
    server.set_token(token)
    server.save()
    server.instances.set(instances)


@pytest.fixture
def both(sonarr_instance: Instance, radarr_instance: Instance) -> tuple[Instance, Instance]:
    return sonarr_instance, radarr_instance


def _scan_both(both: tuple[Instance, Instance]) -> list[ScanRun]:
    return [scan_inline(instance) for instance in both]


def _events() -> list[Event]:
    return list(Event.objects.filter(kind=Event.Kind.MEDIA_SERVER).order_by("id"))


def test_a_scan_writes_the_managed_tags_and_a_rescan_writes_nothing(
    both: tuple[Instance, Instance],
    jellyfin: FakeJellyfin,
    sonarr: FakeArr,
    tv_library: Library,
) -> None:
    _connect(jellyfin.url, *both)
    overview = jellyfin.state.item("s1")["Overview"]
    runs = _scan_both(both)
    assert [run.status for run in runs] == [ScanRun.Status.SUCCEEDED] * 2, runs[0].error
    assert arr_tags(sonarr) == tv_library.expected
    assert jellyfin.state.tags() == EXPECTED
    assert jellyfin.state.listed_types() == ["Series", "Movie"]  # each run lists its kind
    assert jellyfin.state.item("s1")["Overview"] == overview  # the whole item went back
    tv = runs[0].summary["media_servers"]["jellyfin"]
    assert (tv["matched"], tv["unmatched"], tv["errors"]) == (5, 1, 0)
    assert tv["written"] == 5  # Anime Dubbed/Half/Wrong, Never Dubbed, Señorita
    unmatched = [e for e in _events() if "not found" in e.message]
    assert [row["title"] for e in unmatched for row in e.data["unmatched"]] == [
        "Plain English",
        "Original Film",
    ]
    assert "no server series has TVDB 100004" in unmatched[0].data["unmatched"][0]["reason"]

    jellyfin.state.reset_counters()
    sonarr.state.reset_counters()
    again = _scan_both(both)
    assert [run.status for run in again] == [ScanRun.Status.SUCCEEDED] * 2
    assert jellyfin.state.writes() == 0
    assert arr_writes(sonarr) == 0
    assert jellyfin.state.tags() == EXPECTED


def test_remove_mode_takes_the_managed_tags_off_the_server_too(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    _connect(jellyfin.url, *both)
    _scan_both(both)
    scan_inline(both[0], mode=ScanRun.Mode.REMOVE)
    tags = jellyfin.state.tags()
    assert tags["Anime Dubbed"] == {"favourite"} and tags["Anime Wrong"] == {"kids"}
    assert tags["Not In Sonarr"] == {"dub"}


def test_a_dry_run_sends_nothing_to_the_server(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    _connect(jellyfin.url, *both)
    scan_inline(both[0], dry_run=True)
    assert jellyfin.state.counters() == {}


def test_a_refused_token_leaves_the_arr_writes_done_and_the_next_scan_writes(
    both: tuple[Instance, Instance],
    jellyfin: FakeJellyfin,
    sonarr: FakeArr,
    tv_library: Library,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _connect(jellyfin.url, *both, token="wrong-token-" + SERVER_TOKEN[::-1])
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error == "media server jellyfin: nothing written: jellyfin refused the token (401)"
    assert arr_tags(sonarr) == tv_library.expected
    assert "dub" in nfo_tags(tv_library.folder("Anime Dubbed") / "tvshow.nfo")
    assert jellyfin.state.writes() == 0
    (event,) = _events()
    assert event.message == "jellyfin: tags not written: jellyfin refused the token (401)"
    assert run.summary["media_servers"]["jellyfin"]["error"].endswith("(401)")
    assert (
        "Media server jellyfin",
        "nothing written: jellyfin refused the token (401)",
    ) in summary_lines(run)
    assert find_leak(caplog.text) is None and SERVER_TOKEN[::-1] not in caplog.text

    server = MediaServer.objects.get()
    server.set_token(SERVER_TOKEN)
    server.save()
    again = scan_inline(both[0])  # plain: nothing changed in the library
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert again.summary["media_servers"]["jellyfin"]["written"] == 5
    assert jellyfin.state.tags()["Anime Half"] == EXPECTED["Anime Half"]


def test_a_server_that_is_down_leaves_the_arr_writes_done(
    both: tuple[Instance, Instance], sonarr: FakeArr, tv_library: Library
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _connect(f"http://127.0.0.1:{port}", *both)
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error.startswith("media server jellyfin: nothing written: ")
    assert arr_tags(sonarr) == tv_library.expected
    assert "dub" in nfo_tags(tv_library.folder("Anime Dubbed") / "tvshow.nfo")
    (event,) = _events()
    assert "Connection refused" in event.message and "Connection refused" in run.error


def test_a_missing_library_is_a_connection_error(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    _connect(jellyfin.url, *both, libraries=["Anime"])
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    (event,) = _events()
    assert event.message == "jellyfin: tags not written: jellyfin: no library named Anime"


def test_an_item_deleted_meanwhile_is_an_item_error_and_the_others_are_written(
    both: tuple[Instance, Instance],
    jellyfin: FakeJellyfin,
    sonarr: FakeArr,
    tv_library: Library,
) -> None:
    _connect(jellyfin.url, *both, libraries=["TV Shows"])
    jellyfin.state.vanish("s2")
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    # Jellyfin 12: each item's original language too, but the gone one's (its failure, once).
    assert run.error == "media server jellyfin: 1 of 9 updates failed"
    outcome = run.summary["media_servers"]["jellyfin"]
    assert (outcome["written"], outcome["originals"], outcome["errors"]) == (4, 4, 1)
    failed = [e for e in _events() if e.media is not None]
    assert [e.message for e in failed] == [
        "jellyfin: Anime Half: tags not written: "
        "jellyfin: 'Anime Half' is gone (not found by its id)"
    ]
    assert jellyfin.state.tags()["Anime Dubbed"] == {"dub", "favourite"}
    assert arr_tags(sonarr) == tv_library.expected  # the *arr and NFO writes stand
    assert "semi-dub" in nfo_tags(tv_library.folder("Anime Half") / "tvshow.nfo")


def test_a_tag_changed_on_the_server_is_put_back_and_only_that_item_written(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    _connect(jellyfin.url, *both)
    _scan_both(both)
    jellyfin.state.update("s2", Tags=["mine"])  # someone removed "semi-dub" by hand
    jellyfin.state.reset_counters()
    run = scan_inline(both[0])
    assert jellyfin.state.writes() == 1
    assert jellyfin.state.tags()["Anime Half"] == {"mine", "semi-dub"}
    assert run.summary["media_servers"]["jellyfin"]["written"] == 1


def test_plex_gets_the_same_managed_tags_as_labels(
    both: tuple[Instance, Instance], sonarr: FakeArr
) -> None:
    """A Plex connection: matched by TVDB id or by mapped path, the managed labels set,
    the user's labels kept (Plex matches them in any case), a rescan sends nothing."""
    with FakePlex(token=SERVER_TOKEN) as plex:
        plex.state.add_section("1", "TV Shows", "show", ["/media/tv"])
        plex.state.add_section("2", "Movies", "movie", ["/movies"])
        plex.state.add_item(
            "1", "Anime Dubbed", "/media/tv/Anime Dubbed (2019)",
            guids=["tvdb://100001"], labels=["Favourite"],
        )  # fmt: skip
        plex.state.add_item(
            "1", "Anime Wrong", "/media/tv/Anime Wrong", guids=["tvdb://100003"],
            labels=["DUB", "kids"],  # a stale managed label, in another case
        )  # fmt: skip
        plex.state.add_item("2", "Wrong Film", "/movies/Wrong Film (2020)/Wrong Film (2020).mkv")
        _connect(plex.url, *both, kind=MediaServer.Kind.PLEX)

        runs = _scan_both(both)
        assert [run.status for run in runs] == [ScanRun.Status.SUCCEEDED] * 2, runs[0].error
        labels = {item.title: set(item.labels) for item in plex.state.items()}
        assert labels == {
            "Anime Dubbed": {"dub", "Favourite"},
            "Anime Wrong": {"wrong-dub", "kids"},
            "Wrong Film": {"wrong-dub"},
        }
        assert runs[0].summary["media_servers"]["jellyfin"]["written"] == 2
        edits = len(plex.state.edits())

        again = _scan_both(both)
        assert [run.status for run in again] == [ScanRun.Status.SUCCEEDED] * 2
        assert len(plex.state.edits()) == edits  # nothing new: nothing sent
    assert find_leak(" ".join(str(e.data) + e.message for e in Event.objects.all())) is None


def test_refresh_after_nfo_writes_asks_for_a_refresh_of_the_items_whose_nfo_changed(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    """Tags left to the NFOs: no item written, a refresh (that re-reads local metadata)
    for each matched item whose NFO the scan changed, none on a rescan."""
    _connect(jellyfin.url, *both, write_tags=False, refresh_after_nfo=True)
    runs = _scan_both(both)
    assert [run.status for run in runs] == [ScanRun.Status.SUCCEEDED] * 2, runs[0].error
    assert jellyfin.state.writes() == 0
    refreshed = jellyfin.state.refreshed()
    # Every item whose NFO got a tag; "Never Dubbed" has no NFO, "Not In Sonarr" is not
    # Taggarr's, and the unmatched ones are not on the server.
    assert sorted(refreshed) == [(i, "Default") for i in ("m1", "m3", "s1", "s2", "s3", "s6")]
    tv = runs[0].summary["media_servers"]["jellyfin"]
    assert (tv["written"], tv["refreshed"], tv["errors"]) == (0, 4, 0)
    assert (
        "Media server jellyfin",
        "5 matched, 1 not found, 0 written, 4 refreshed, 0 errors",
    ) in (summary_lines(runs[0]))

    jellyfin.state.reset_counters()
    _scan_both(both)
    assert jellyfin.state.counters() == {}  # no NFO changed: nothing to ask


def test_an_item_gone_before_its_refresh_is_an_item_error(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    _connect(jellyfin.url, *both, write_tags=False, refresh_after_nfo=True)
    jellyfin.state.vanish("s2")
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error == "media server jellyfin: 1 of 4 updates failed"
    outcome = run.summary["media_servers"]["jellyfin"]
    assert (outcome["refreshed"], outcome["errors"]) == (3, 1)
    (event,) = [e for e in _events() if e.media is not None]
    assert event.message == (
        "jellyfin: Anime Half: not refreshed: jellyfin: 'Anime Half' is gone (404)"
    )


def test_an_item_the_server_fails_on_is_that_items_failure_and_the_next_scan_writes_it(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    """A 500 on one item: the others are written, the run ends partial with counts that
    agree with its error, and the next plain scan writes that one (and only it)."""
    _connect(jellyfin.url, *both)
    jellyfin.state.fail_item("s2", 500)
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    # Jellyfin 12: each item's original language too, but the failing one's.
    assert run.error == "media server jellyfin: 1 of 9 updates failed"
    outcome = run.summary["media_servers"]["jellyfin"]
    assert (outcome["written"], outcome["originals"], outcome["errors"]) == (4, 4, 1)
    said = "5 matched, 1 not found, 4 written, 4 original languages set, 1 error"
    assert ("Media server jellyfin", said) in summary_lines(run)
    (failed,) = [e for e in _events() if e.media is not None]
    assert failed.message.startswith("jellyfin: Anime Half: tags not written: ")
    assert "answered 500" in failed.message and failed.run == run
    tags = jellyfin.state.tags()
    assert tags["Anime Half"] == set() and tags["Anime Wrong"] == EXPECTED["Anime Wrong"]

    jellyfin.state.fail_item("s2", None)
    jellyfin.state.reset_counters()
    again = scan_inline(both[0])
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert again.items_total == 0  # nothing in the library changed
    assert jellyfin.state.writes() == 2  # its tags and its original language
    assert jellyfin.state.item("s2")["OriginalLanguage"] == "ja"
    assert jellyfin.state.tags()["Anime Half"] == EXPECTED["Anime Half"]


def test_a_key_refused_mid_run_stops_that_server_and_counts_what_it_left(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    """The second of five updates (by title) meets a refused key: the first is written,
    the other three are not tried, and the counts say so wherever the run is shown.
    The next scan writes the four."""
    _connect(jellyfin.url, *both)
    jellyfin.state.fail_item("s2", 401)
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    # Jellyfin 12: per item its tags, then its original language.
    assert run.error == (
        "media server jellyfin: 1 of 10 updates failed, 7 not tried: "
        "jellyfin refused the token (401)"
    )
    outcome = run.summary["media_servers"]["jellyfin"]
    counts = ("written", "originals", "errors", "not_tried")
    assert tuple(outcome[key] for key in counts) == (1, 1, 1, 7)
    assert (
        "Media server jellyfin",
        "5 matched, 1 not found, 1 written, 1 original language set, 1 error, 7 not tried; "
        "jellyfin refused the token (401)",
    ) in summary_lines(run)
    assert jellyfin.state.writes() == 2

    jellyfin.state.fail_item("s2", None)
    jellyfin.state.reset_counters()
    again = scan_inline(both[0])
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert jellyfin.state.writes() == 8
    tv = {title: tags for title, tags in jellyfin.state.tags().items() if "Film" not in title}
    assert tv == {title: tags for title, tags in EXPECTED.items() if "Film" not in title}


def test_a_refresh_that_failed_is_asked_for_again_by_the_next_scan(
    both: tuple[Instance, Instance], jellyfin: FakeJellyfin
) -> None:
    """Its NFO was written, but the server could not be asked to re-read it: the item's
    NFO stays due, and the next scan asks for that refresh (only) again."""
    _connect(jellyfin.url, *both, write_tags=False, refresh_after_nfo=True)
    jellyfin.state.fail_item("s2", 500)
    run = scan_inline(both[0])
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error == "media server jellyfin: 1 of 4 updates failed"
    assert set(Media.objects.filter(nfo_due=True).values_list("title", flat=True)) == {"Anime Half"}

    jellyfin.state.fail_item("s2", None)
    jellyfin.state.reset_counters()
    again = scan_inline(both[0])
    assert again.status == ScanRun.Status.SUCCEEDED, again.error
    assert jellyfin.state.refreshed() == [("s2", "Default")]
    assert not Media.objects.filter(nfo_due=True).exists()
