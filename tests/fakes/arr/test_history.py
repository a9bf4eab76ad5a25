"""The fake *arr's history over real HTTP, as Sonarr's and Radarr's HistoryController
answer it (Sonarr/Sonarr src/Sonarr.Api.V3/History/HistoryController.cs: GetHistory
paged and filtered by eventType, episodeId, downloadId, seriesIds; MarkAsFailed;
Radarr/Radarr src/Radarr.Api.V3/History/HistoryController.cs: movieIds instead), and
Taggarr's reading of it (scanner.arr.history) against the fake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from fakes.arr import FakeArr, FakeArrOptions, build_movie, build_series
from scanner.arr import ArrClient
from scanner.arr.history import Grab, grab_of_file, mark_failed, parse_date
from scanner.errors import ArrPermanentError
from scanner.http.clock import clock_offset
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    fake = FakeArr(FakeArrOptions(api_key=API_KEY), items=[build_series(1)]).start()
    history = fake.state.history
    for key, episode in (("A", 11), ("B", 12), ("C", 11)):
        history.add("grabbed", 1, episode_id=episode, download_id=key, source_title=f"rel-{key}")
        data = {"importedPath": f"/tv/Show 1/Season 01/{key}.mkv", "fileId": "5"}
        history.add("downloadFolderImported", 1, episode_id=episode, download_id=key, data=data)
    yield fake
    fake.stop()


def test_paged_newest_first_filtered_as_the_controller_does(sonarr, http) -> None:
    url = f"{sonarr.url}/api/v3/history"
    page = http.get(url, headers=KEY).json()
    assert (page["page"], page["pageSize"], page["totalRecords"]) == (1, 10, 6)
    assert page["sortKey"] == "date" and page["sortDirection"] == "descending"
    assert [r["id"] for r in page["records"]] == [6, 5, 4, 3, 2, 1]
    grabs = http.get(url, params={"eventType": 1, "episodeId": 11}, headers=KEY).json()
    assert [(r["id"], r["eventType"], r["downloadId"]) for r in grabs["records"]] == [
        (5, "grabbed", "C"),
        (1, "grabbed", "A"),
    ]
    assert set(grabs["records"][0]) >= {"episodeId", "seriesId", "sourceTitle", "date", "data"}
    second = http.get(url, params={"pageSize": 4, "page": 2}, headers=KEY).json()
    assert [r["id"] for r in second["records"]] == [2, 1]
    assert http.get(url).status_code == 401


def test_mark_as_failed_takes_a_grab_or_its_import(sonarr, http) -> None:
    url = f"{sonarr.url}/api/v3/history/failed"
    answer = http.post(f"{url}/4", json={}, headers=KEY)  # B's import: its grab is marked
    assert (answer.status_code, answer.json()) == (200, {})
    assert sonarr.state.history.failed == [3]
    assert http.post(f"{url}/99", json={}, headers=KEY).status_code == 500
    failed = sonarr.state.history.rows()[-1]
    assert (failed["eventType"], failed["downloadId"]) == ("downloadFailed", "B")


def test_the_client_finds_a_files_grab_through_its_import(sonarr, client_factory) -> None:
    client: ArrClient = client_factory(sonarr.url)
    grab = grab_of_file(client, "sonarr", 11, "Season 01/C.mkv")
    assert grab is not None and (grab.id, grab.source_title) == (5, "rel-C")
    assert grab_of_file(client, "sonarr", 12, "Season 01/C.mkv") is None  # not that episode's
    mark_failed(client, grab)
    assert sonarr.state.history.failed == [5]


def test_radarr_filters_by_movie_ids(http) -> None:
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=API_KEY)
    with FakeArr(options, items=[build_movie(7), build_movie(8)]) as radarr:
        radarr.state.history.add("grabbed", 7, download_id="X", source_title="film-7")
        radarr.state.history.add("grabbed", 8, download_id="Y", source_title="film-8")
        page = http.get(f"{radarr.url}/api/v3/history", params={"movieIds": 8}, headers=KEY).json()
        assert [(r["movieId"], r["sourceTitle"]) for r in page["records"]] == [(8, "film-8")]
        assert "episodeId" not in page["records"][0]


def test_the_client_finds_a_movies_grab(client_factory) -> None:
    options = FakeArrOptions(app="radarr", version="5.2.0.0", api_key=API_KEY)
    with FakeArr(options, items=[build_movie(7), build_movie(8)]) as radarr:
        history = radarr.state.history
        for movie, key in ((7, "X"), (8, "Y")):
            history.add("grabbed", movie, download_id=key, source_title=f"film-{key}")
            data = {"importedPath": f"/movies/Film {movie}/Film.mkv"}
            history.add("downloadFolderImported", movie, download_id=key, data=data)
        client: ArrClient = client_factory(radarr.url, kind="radarr")
        grab = grab_of_file(client, "radarr", 8, "Film.mkv")
        assert grab is not None and grab.source_title == "film-Y"
        assert grab_of_file(client, "radarr", 7, "Other.mkv") is None


# Issue 67: what the history says is checked before anything is marked.


def test_a_grab_that_is_no_grab_or_has_no_sane_id_is_not_taken(sonarr, client_factory) -> None:
    """A row with the download's id that is not a grab (the loop once took any row), or
    whose id no *arr gives (``true``, ``-5``, ``2**63``: once posted as given, as
    ``/history/failed/True``), is not the file's grab."""
    client: ArrClient = client_factory(sonarr.url)
    history = sonarr.state.history
    with history._lock:  # the rows as a broken or hostile *arr would serve them
        for row in history._rows:
            if row["downloadId"] == "C" and row["eventType"] == "grabbed":
                row["eventType"] = "downloadFailed"
    assert grab_of_file(client, "sonarr", 11, "Season 01/C.mkv") is None
    with history._lock:
        (grab_row,) = [r for r in history._rows if r["downloadId"] == "C" and not r["data"]]
        grab_row["eventType"] = "grabbed"
    assert grab_of_file(client, "sonarr", 11, "Season 01/C.mkv") is not None  # the guard
    for odd in (True, -5, 2**31, "5", None):
        with history._lock:
            grab_row["id"] = odd
        assert grab_of_file(client, "sonarr", 11, "Season 01/C.mkv") is None, odd
    with history._lock:
        grab_row["id"] = 2**63  # past any integer the reader takes: the answer refused
    with pytest.raises(ArrPermanentError):
        grab_of_file(client, "sonarr", 11, "Season 01/C.mkv")
    with pytest.raises(ValueError):
        mark_failed(client, Grab(True, "rel", "C"))  # type: ignore[arg-type]
    assert sonarr.state.history.failed == []


def test_the_import_is_read_on_our_clock(sonarr, client_factory) -> None:
    """The import's date is moved by how far the *arr's clock is from ours (its answer's
    Date header, RFC 9110 6.6.1): an *arr an hour ahead imported an hour earlier than
    its record says."""
    client: ArrClient = client_factory(sonarr.url)
    grab = grab_of_file(client, "sonarr", 11, "Season 01/C.mkv")
    assert grab is not None and grab.imported_at is not None
    assert abs(grab.imported_at - datetime.now(UTC)) < timedelta(minutes=5)
    ahead = datetime.now(UTC) + timedelta(hours=1)
    header = format_datetime(ahead, usegmt=True)
    offset = clock_offset(header, datetime.now(UTC))
    assert offset is not None and timedelta(minutes=59) < offset < timedelta(minutes=61)
    for broken in (None, "", "yesterday", "x" * 500, "Mon, 32 Foo 2026 99:99:99 GMT"):
        assert clock_offset(broken, datetime.now(UTC)) is None
    assert parse_date("2026-11-26T10:00:00Z") == datetime(2026, 11, 26, 10, tzinfo=UTC)
    # .NET writes a DateTime's ticks: seven digits of a second.
    assert parse_date("2026-11-26T10:00:00.1234567Z") == datetime(
        2026, 11, 26, 10, 0, 0, 123456, tzinfo=UTC
    )
    for broken in (None, 5, "soon", "9" * 100):
        assert parse_date(broken) is None


def test_the_blocklist_as_the_controller_serves_it(sonarr, http) -> None:
    """BlocklistService.HandleAsync(DownloadFailedEvent) adds a row per failed download;
    GET pages them (seriesIds), DELETE by id answers an empty 200."""
    assert http.post(f"{sonarr.url}/api/v3/history/failed/5", json={}, headers=KEY).ok
    page = http.get(f"{sonarr.url}/api/v3/blocklist", params={"seriesIds": 1}, headers=KEY).json()
    (row,) = page["records"]
    assert (row["seriesId"], row["episodeIds"], row["sourceTitle"]) == (1, [11], "rel-C")
    other = http.get(f"{sonarr.url}/api/v3/blocklist", params={"seriesIds": 2}, headers=KEY)
    assert other.json()["records"] == []
    gone = http.delete(f"{sonarr.url}/api/v3/blocklist/{row['id']}", headers=KEY)
    assert (gone.status_code, gone.content) == (200, b"")
    assert sonarr.state.history.blocked() == []
