"""``ArrClient.importing`` against a server that answers badly on purpose
(fakes/hostile/server.py): huge, deep, slow, silent, cut, not JSON, or JSON that is no
page of QueueController.GetQueue (Sonarr/Sonarr src/Sonarr.Api.V3/Queue/QueueController.cs:
a PagingResource, src/Sonarr.Http/PagingResource.cs). Each ends in the client's own
ArrError naming the server and the request, never another exception and never an
answer: an item is not said free on a queue that could not be read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from fakes.hostile import HostileServer
from scanner.arr import ArrConfig, make_client
from scanner.errors import ArrError, ArrPermanentError, ArrUnconfirmedError
from tests.scanner.arr.conftest import API_KEY

MB = 1024 * 1024
DEADLINE = 0.5  # the slow cases' bound: the server's pace is the hostile server's own
PATH = "/api/v3/queue"


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer(huge_bytes=3 * MB, deep_levels=10_000, drip_seconds=0.2) as server:
        yield server


def _importing(
    url: str, kind: str = "sonarr", read_timeout: float = DEADLINE, deadline: float = DEADLINE
) -> set[int]:
    config = ArrConfig(
        name="hostile", kind=kind, url=url, api_key=API_KEY, connect_timeout=DEADLINE,
        read_timeout=read_timeout, max_answer_mb=1, deadline=deadline,
    )  # fmt: skip
    with make_client(config) as client:
        return client.importing([1, 2])


@pytest.mark.parametrize(
    ("case", "error", "said"),
    [
        ("huge", ArrPermanentError, "answer larger than 1 MB"),
        ("endless", ArrPermanentError, "answer larger than 1 MB"),
        ("deep_objects", ArrPermanentError, "nested deeper than 64 levels"),
        ("deep_arrays", ArrPermanentError, "nested deeper than 64 levels"),
        ("invalid_utf8", ArrPermanentError, "not JSON"),
        ("huge_xml", ArrPermanentError, "answer larger than 1 MB"),
        ("object_for_list", ArrPermanentError, "no page or totalRecords"),
        ("strings_for_numbers", ArrPermanentError, "the queue is not a page"),
        ("drip", ArrUnconfirmedError, "within 0.5 s"),
        ("stall", ArrUnconfirmedError, "within 0.5 s"),
        ("silent", ArrUnconfirmedError, "within 0.5 s"),
        ("cut", ArrUnconfirmedError, "GET /api/v3/queue"),
        ("redirect_other", ArrPermanentError, "redirected"),
    ],
)
def test_each_bad_answer_is_the_clients_error(hostile, case, error, said) -> None:
    hostile.redirect_to = "http://127.0.0.1:9"
    url = f"{hostile.url}/case/{case}"
    with pytest.raises(error) as raised:
        _importing(url)
    message = str(raised.value)
    assert said in message
    assert f"Sonarr 'hostile' at {url}" in message and API_KEY not in message


def test_a_body_that_stops_coming_is_unconfirmed() -> None:
    """Each byte 0.5 s apart, the read timeout 0.2 s, the deadline far: the wait for the
    next bytes ends it (urllib3's read1 raises ReadTimeoutError), as the client's own
    error, not urllib3's."""
    said = "got no more of its answer within 0.2 s"
    with (
        HostileServer(default="drip", drip_seconds=0.5) as server,
        pytest.raises(ArrUnconfirmedError, match=re.escape(said)),
    ):
        _importing(server.url, read_timeout=0.2, deadline=30)


def _page(**fields: object) -> bytes:
    page = {"page": 1, "pageSize": 200, "totalRecords": 1, "records": []} | fields
    return json.dumps(page).encode()


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (b"<html><body>Sonarr</body></html>", "not JSON"),
        (b"[]", "the queue is not a page"),
        (_page(totalRecords="1"), "no page or totalRecords"),
        (_page(page=0), "no page or totalRecords"),
        (_page(records=None), "has no records"),
        (_page(records=[[1]]), "a queue record is not an object"),
        (_page(records=[{"movieId": 1.5, "trackedDownloadState": "importing"}]), "not an id"),
        (_page(records=[{"movieId": 2, "trackedDownloadState": {"x": 1}}]), "not a name"),
        (_page(totalRecords=5), "page 1 holds 0 of its 5 records"),
        (_page(totalRecords=201, records=[{}] * 199), "page 1 holds 199 of its 200 records"),
        (_page(totalRecords=2**31 - 1), "holds 2147483647 records, more than the 10000"),
    ],
)
def test_a_page_that_is_none_is_refused(answer, said) -> None:
    with HostileServer(answers={PATH: answer}) as server:
        with pytest.raises(ArrPermanentError, match=said) as raised:
            _importing(server.url, "radarr")
        assert isinstance(raised.value, ArrError)
        assert [path for path, _headers in server.seen] == [PATH]


def test_a_server_that_always_answers_the_first_page_is_an_error() -> None:
    """A page other than the one asked is the queue shrinking under the reader (GetQueue
    answers an earlier page past the end); one that never holds still ends it."""
    records = [{"movieId": 7, "trackedDownloadState": "downloading"}] * 200
    with HostileServer(answers={PATH: _page(totalRecords=450, records=records)}) as server:
        with pytest.raises(ArrError, match="the queue changed while it was read, 3 times"):
            _importing(server.url, "radarr")
        assert len(server.seen) == 6
