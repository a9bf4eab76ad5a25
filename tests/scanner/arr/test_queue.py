"""``ArrClient.importing``: the items whose files the *arr is still importing, read from its
queue, against the fake Sonarr/Radarr over real HTTP (fakes/arr/queue.py).

The rules, from the sources (docs/arr-api.md, "The queue"): QueueController.GetQueue
(Sonarr/Sonarr src/Sonarr.Api.V3/Queue/QueueController.cs, Radarr/Radarr
src/Radarr.Api.V3/Queue/QueueController.cs) pages the queue, filtered by ``seriesIds``
(Sonarr v4 on) or ``movieIds`` (Radarr 5.1.1 on), and answers a page past the end with an
earlier page; a record's ``trackedDownloadState`` (src/NzbDrone.Core/Download/
TrackedDownloads/TrackedDownload.cs, TrackedDownloadState) says whether the *arr writes
its files: ``importPending`` and ``importing`` (CompletedDownloadService.Import,
DownloadProcessingService), ``importBlocked`` (checked again at every refresh by
DownloadMonitoringService.ProcessClientItem; a manual import writes under it); not
``downloading`` nor ``failedPending``, nor a pending release (no state).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import (
    RADARR_V5,
    RADARR_V6,
    SONARR_V3,
    SONARR_V4,
    SONARR_V5,
    FakeArr,
    FakeArrOptions,
    build_movie,
    build_series,
)
from scanner.arr import queue
from scanner.arr.queue import QueueShapeError, parse_page
from scanner.errors import ArrAuthError, ArrPermanentError, ArrTransientError
from tests.scanner.arr.conftest import API_KEY

QUEUE = ("GET", "/api/v3/queue")


def _fake(app: str, version: str) -> FakeArr:
    build = build_series if app == "sonarr" else build_movie
    items = [build(item_id) for item_id in range(1, 10)]
    return FakeArr(FakeArrOptions(app=app, version=version, api_key=API_KEY), items=items)


def _stage_every_state(fake: FakeArr) -> None:
    """Item 1 importing, 2 importPending, 3 importBlocked, 4 downloading, 5 failedPending,
    6 a pending release, 7 a state no release has (yet), 8 completed and gone; and a
    download matched to no item, importing."""
    book = fake.state.queue
    for item_id, state in (
        (1, "importing"), (2, "importPending"), (3, "importBlocked"), (4, "downloading"),
        (5, "failedPending"), (6, None), (7, "importVerifying"),
    ):  # fmt: skip
        book.add(item_id, state)
    book.remove(book.add(8, "importing")["id"])  # imported: it left the queue
    book.add(None, "importing")


@pytest.fixture(params=[("sonarr", SONARR_V4), ("sonarr", SONARR_V5), ("radarr", RADARR_V5),
                        ("radarr", RADARR_V6)], ids=lambda p: f"{p[0]}-{p[1]}")  # fmt: skip
def fake(request: pytest.FixtureRequest) -> Iterator[FakeArr]:
    app, version = request.param
    with _fake(app, version) as server:
        yield server


def test_the_items_in_a_writing_state_and_only_those(fake, client_factory) -> None:
    _stage_every_state(fake)
    client = client_factory(fake.url, fake.state.options.app)

    assert client.importing(range(1, 10)) == {1, 2, 3, 7}
    assert client.importing([4, 5, 6, 8, 9]) == set()
    assert client.importing([2, 2, 0, -1, 2**31]) == {2}  # no *arr gives the others

    sonarr = fake.state.options.app == "sonarr"
    first = fake.state.queue.asked[0]
    assert first["seriesIds" if sonarr else "movieIds"] == [str(i) for i in range(1, 10)]
    unknown = "includeUnknownSeriesItems" if sonarr else "includeUnknownMovieItems"
    assert first[unknown] == ["false"]
    assert (first["page"], first["sortKey"], first["sortDirection"]) == (
        ["1"], ["added"], ["ascending"])  # fmt: skip
    assert fake.state.counters()[QUEUE] == 3  # one page each
    assert client.requests_made == 3


def test_no_ids_asks_nothing(fake, client_factory) -> None:
    client = client_factory(fake.url, fake.state.options.app)
    assert client.importing([]) == set()
    assert client.importing([0, True]) == set()  # ``True`` is no id
    assert fake.state.total_requests() == 0


def test_a_release_without_the_filter_answers_the_whole_queue(client_factory) -> None:
    """Sonarr v3's QueueModule has no ``seriesIds`` (src/Sonarr.Api.V3/Queue/QueueModule.cs
    at v3.0.9.1549): the other series' records come back, and are not taken."""
    with _fake("sonarr", SONARR_V3) as fake:
        fake.state.queue.add(1, "importPending")
        fake.state.queue.add(2, "importPending")
        client = client_factory(fake.url)
        assert client.importing([2, 3]) == {2}
        page = requests.get(
            f"{fake.url}/api/v3/queue",
            params={"seriesIds": 2},
            headers={"X-Api-Key": API_KEY},
            timeout=10,
        ).json()
        assert page["totalRecords"] == 2


def test_many_pages_are_all_read(client_factory) -> None:
    """A season of 250 episodes grabbed at once (one record per episode: Sonarr's
    QueueService.MapQueue), the one importing last: two pages of 200."""
    with _fake("sonarr", SONARR_V4) as fake:
        for episode in range(1, 251):
            fake.state.queue.add(9, "downloading", episode_id=episode, download_id="SEASON")
        fake.state.queue.add(4, "downloading")
        client = client_factory(fake.url)
        assert client.importing([4, 9]) == set()
        fake.state.queue.add(9, "importing", episode_id=251)
        assert client.importing([4, 9]) == {9}
        pages = [asked["page"] for asked in fake.state.queue.asked]
        assert pages == [["1"], ["2"], ["1"], ["2"]]


def test_more_ids_than_a_filter_carries_read_the_whole_queue(client_factory) -> None:
    with _fake("radarr", RADARR_V6) as fake:
        for movie in range(1000, 1450):
            fake.state.queue.add(movie, "downloading")
        fake.state.queue.add(7, "importBlocked")
        client = client_factory(fake.url, "radarr")
        wanted = range(1, queue.MAX_FILTERED_IDS + 2)  # one more than a filter carries
        assert client.importing(wanted) == {7}
        assert all("movieIds" not in asked for asked in fake.state.queue.asked)
        assert fake.state.counters()[QUEUE] == 3  # 451 records, pages of 200


def test_a_record_leaving_between_pages_reads_the_queue_again(client_factory) -> None:
    """A download imported while the queue is paged moves every later record up one
    place: the one on page 2's first line would fall to page 1, already read. The
    changed ``totalRecords`` says so, and the queue is read again."""
    with _fake("sonarr", SONARR_V4) as fake:
        book = fake.state.queue
        first = book.add(5, "importing")["id"]
        for episode in range(1, 200):
            book.add(6, "downloading", episode_id=episode)
        book.add(9, "importPending")  # the 201st: page 2, until the first leaves
        for episode in range(200, 300):
            book.add(6, "downloading", episode_id=episode)
        book.leave_after(1, first)
        client = client_factory(fake.url)
        assert client.importing(range(1, 10)) == {9}
        assert [asked["page"] for asked in book.asked] == [["1"], ["2"], ["1"], ["2"]]


def test_a_queue_that_never_holds_still_is_an_error(client_factory) -> None:
    with _fake("sonarr", SONARR_V4) as fake:
        book = fake.state.queue
        records = [book.add(6, "downloading", episode_id=n)["id"] for n in range(1, 260)]
        for answered, record in enumerate(records[:10], start=1):
            book.leave_after(answered, record)
        client = client_factory(fake.url)
        with pytest.raises(ArrTransientError, match="the queue changed while it was read"):
            client.importing([6])
        assert len(book.asked) == 2 * queue.TRIES


def test_a_page_past_the_end_is_answered_with_an_earlier_one(fake) -> None:
    """GetQueue: no records on a page past the first, and the page becomes
    ``max(floor(totalRecords / pageSize), 1)``."""
    for item_id in (1, 2, 3):
        fake.state.queue.add(item_id, "downloading")
    page = requests.get(
        f"{fake.url}/api/v3/queue", params={"page": 5, "pageSize": 2},
        headers={"X-Api-Key": API_KEY}, timeout=10,
    ).json()  # fmt: skip
    assert (page["page"], page["totalRecords"], len(page["records"])) == (1, 3, 2)


def test_an_error_is_the_clients_own(fake, client_factory) -> None:
    app = fake.state.options.app
    fake.state.queue.add(1, "importing")
    fake.state.queue.fail(True)
    with pytest.raises(ArrTransientError) as raised:
        client_factory(fake.url, app).importing([1])
    assert raised.value.status == 500
    assert "GET /api/v3/queue answered 500" in str(raised.value)
    fake.state.queue.fail(False)
    with pytest.raises(ArrAuthError):
        client_factory(fake.url, app, api_key="0" * 32).importing([1])
    fake.state.unavailable(True)  # restarting: 503
    with pytest.raises(ArrTransientError) as raised:
        client_factory(fake.url, app).importing([1])
    assert raised.value.status == 503


@pytest.mark.parametrize(
    ("answer", "what"),
    [
        ([], "the queue is not a page"),
        ({"page": 1, "records": []}, "no page or totalRecords"),
        ({"page": True, "totalRecords": 0, "records": []}, "no page or totalRecords"),
        ({"page": 1, "totalRecords": 1, "records": {}}, "has no records"),
        ({"page": 1, "totalRecords": 1, "records": ["x"]}, "is not an object"),
        ({"page": 1, "totalRecords": 1, "records": [{"seriesId": "1"}]}, "is not an id"),
        (
            {"page": 1, "totalRecords": 1,
             "records": [{"seriesId": 1, "trackedDownloadState": 3}]},
            "is not a name",
        ),
    ],
)  # fmt: skip
def test_a_page_the_arr_never_answers_is_refused(answer, what) -> None:
    with pytest.raises(QueueShapeError, match=what):
        parse_page(answer, "sonarr")


def test_a_page_names_its_writing_items() -> None:
    records = [
        {"movieId": 3, "trackedDownloadState": "importing"},
        {"movieId": 4, "trackedDownloadState": "downloading"},
        {"movieId": 5},  # a pending release
        {"trackedDownloadState": "importing"},  # matched to no movie
        {"seriesId": 6, "trackedDownloadState": "importing"},  # not Radarr's field
    ]
    page = parse_page({"page": 2, "totalRecords": 205, "records": records}, "radarr")
    assert (page.page, page.total, page.count, page.writing) == (2, 205, 5, {3})


def test_a_queue_longer_than_is_read_is_an_error(client_factory) -> None:
    with _fake("sonarr", SONARR_V4) as fake:
        client = client_factory(fake.url)
        for episode in range(queue.PAGE_SIZE * queue.MAX_PAGES + 1):
            fake.state.queue.add(1, "downloading", episode_id=episode + 1)
        with pytest.raises(ArrPermanentError, match="holds 10001 records, more than"):
            client.importing([1])
        assert fake.state.counters()[QUEUE] == 1
