"""Issue 41: a media server's failures during the write step, through the fake Sonarr
and the fake Jellyfin over HTTP. What is transient (no answer; 502, 503, 504) is retried
under the one retry policy, and given up for the run once TAGGARR_MEDIA_SERVER_RETRY_
SECONDS is spent; an answer that refuses one item (400, 500) is that item's failure
and the others are written; none of them undoes the *arr and NFO writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.arr import FakeArr
from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from scanner.media_servers.writes import retries as server_retries
from scanner.models import Instance, MediaServer, ScanRun
from tests.helpers import SERVER_TOKEN, arr_tags, free_port, nfo_tags, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 14  # seconds of retries: about 0.23, 0.47, 0.93, 1.87, 3.73, then up to the deadline
SHOWS = [
    build_series(f"s{n}", title, f"/media/tv/{title}", ProviderIds={"Tvdb": str(100000 + n)})
    for n, title in enumerate(
        ["Anime Dubbed", "Anime Half", "Anime Wrong", "Plain English", "Never Dubbed"], start=1
    )
]


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch, settings) -> list[float]:
    """The retries' waits, recorded instead of waited out."""
    settings.MEDIA_SERVER_RETRY_SECONDS = BUDGET
    recorded: list[float] = []
    monkeypatch.setattr(server_retries, "sleep", recorded.append)
    monkeypatch.setattr(server_retries, "clock", lambda: sum(recorded))
    return recorded


@pytest.fixture
def jellyfin() -> Iterator[FakeJellyfin]:
    with FakeJellyfin(token=SERVER_TOKEN, items=SHOWS, version="10.11.11") as fake:
        yield fake


def _connect(url: str, tv: Instance, tv_library: Library) -> None:
    server = MediaServer(
        name="jellyfin",
        url=url,
        path_mappings=[{"remote": "/media/tv", "local": str(tv_library.root)}],
    )
    server.set_token(SERVER_TOKEN)
    server.save()
    server.instances.set([tv])


def _arr_and_nfo_written(sonarr: FakeArr, tv_library: Library) -> None:
    assert arr_tags(sonarr) == tv_library.expected
    assert "dub" in nfo_tags(tv_library.folder("Anime Dubbed") / "tvshow.nfo")
    assert "semi-dub" in nfo_tags(tv_library.folder("Anime Half") / "tvshow.nfo")


def test_a_server_that_is_starting_is_retried_and_written(
    sonarr_instance: Instance, jellyfin: FakeJellyfin, tv_library: Library, waits: list[float]
) -> None:
    _connect(jellyfin.url, sonarr_instance, tv_library)
    jellyfin.state.fail_requests(503, times=2)  # the listing, then its retry
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert len(waits) == 2 and waits[0] >= BUDGET / 60  # a 60th of the budget first
    assert jellyfin.state.tags()["Anime Dubbed"] == {"dub"}
    assert run.summary["media_servers"]["jellyfin"]["written"] == 3


def test_a_server_that_stays_down_is_given_up_after_the_budget(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, waits: list[float]
) -> None:
    _connect(f"http://127.0.0.1:{free_port()}", sonarr_instance, tv_library)
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error.startswith("media server jellyfin: nothing written: ")
    assert "Connection refused" in run.error
    # Doubling waits up to the deadline, the last one cut to end there, not past it.
    assert waits == sorted(waits)[: len(waits) - 1] + waits[-1:] and len(waits) >= 5
    assert sum(waits) == pytest.approx(BUDGET)
    _arr_and_nfo_written(sonarr, tv_library)


def test_an_item_that_stays_unavailable_stops_the_server_once_retried(
    sonarr_instance: Instance,
    sonarr: FakeArr,
    jellyfin: FakeJellyfin,
    tv_library: Library,
    waits: list[float],
) -> None:
    """502/503/504 say the server (or its proxy) is unavailable, not the item: once the
    retries are spent, the server's writes stop for the run, the rest not tried."""
    _connect(jellyfin.url, sonarr_instance, tv_library)
    jellyfin.state.fail_item("s1", 503)  # Anime Dubbed, the first update
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL
    outcome = run.summary["media_servers"]["jellyfin"]
    assert (outcome["written"], outcome["errors"], outcome["not_tried"]) == (0, 1, 2)
    assert sum(waits) == pytest.approx(BUDGET)  # retried until the deadline
    _arr_and_nfo_written(sonarr, tv_library)


@pytest.mark.parametrize("status", [400, 500])
def test_an_answer_refusing_one_item_is_that_items_failure_without_retries(
    status: int,
    sonarr_instance: Instance,
    sonarr: FakeArr,
    jellyfin: FakeJellyfin,
    tv_library: Library,
    waits: list[float],
) -> None:
    _connect(jellyfin.url, sonarr_instance, tv_library)
    jellyfin.state.fail_item("s2", status)
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL
    assert run.error == "media server jellyfin: 1 of 3 updates failed"
    assert waits == []
    tags = jellyfin.state.tags()
    assert (tags["Anime Dubbed"], tags["Anime Half"], tags["Anime Wrong"]) == (
        {"dub"},
        set(),
        {"wrong-dub"},
    )
    _arr_and_nfo_written(sonarr, tv_library)


def test_a_movie_with_trickplay_no_longer_ends_the_servers_writes(
    radarr_instance: Instance, radarr: FakeArr, movie_library: Library
) -> None:
    """10.11+ answered 500 to the Trickplay the write-back carried, which stopped every
    write to the server on every scan. Now the field stays out of the body."""
    films = [
        build_movie(f"m{n}", title, f"/movies/{title} (2020)/{title} (2020).mkv",
                    ProviderIds={"Tmdb": str(200000 + n)}, trickplay=True)
        for n, title in enumerate(movie_library.expected, start=1)
    ]  # fmt: skip
    with FakeJellyfin(token=SERVER_TOKEN, items=films, version="12.0.0") as fake:
        server = MediaServer(
            name="jellyfin",
            url=fake.url,
            path_mappings=[{"remote": "/movies", "local": str(movie_library.root)}],
        )
        server.set_token(SERVER_TOKEN)
        server.save()
        server.instances.set([radarr_instance])
        run = scan_inline(radarr_instance)
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert fake.state.tags() == {
            "Dubbed Film": {"dub"},
            "Original Film": set(),
            "Wrong Film": {"wrong-dub"},
        }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 100_000, "nested deeper than"),
        (b"<html><body>Bad gateway</body></html>", "not JSON"),
        (b'"a string where an object is due"', "not what"),
        (b"[1, 2, 3]", "not what"),
    ],
    ids=["deep", "not-json", "a-string", "a-list"],
)
def test_a_server_answering_what_no_client_can_read_leaves_the_run_partial(
    body: bytes,
    reason: str,
    sonarr_instance: Instance,
    sonarr: FakeArr,
    jellyfin: FakeJellyfin,
    tv_library: Library,
    waits: list[float],
) -> None:
    """Issue 50: a server answering deep JSON to every request ended the run failed,
    though every Sonarr write was made. An answer the client cannot read is the
    server's failure (its items' tags wait for the next scan), not the run's: partial,
    the *arr and NFO writes kept. Jellyfin's ItemsController answers ``GET /Items`` with
    a QueryResult object (Items, TotalRecordCount; jellyfin/jellyfin
    Jellyfin.Api/Controllers/ItemsController.cs): anything else is not its answer."""
    _connect(jellyfin.url, sonarr_instance, tv_library)
    jellyfin.state.garble_requests(body, times=10_000)
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.PARTIAL, run.error
    assert run.error.startswith("media server jellyfin: nothing written: jellyfin: GET /Items")
    assert reason in run.error
    assert waits == []  # an answer, not a silence: nothing to wait for
    _arr_and_nfo_written(sonarr, tv_library)
