"""The library listing is decoded as it arrives (ijson): what arrives whole, compressed,
cut off or in another shape."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Iterator

import pytest
import responses

from scanner.errors import ArrPermanentError, ArrTransientError, ArrUnconfirmedError
from tests.scanner.arr.conftest import API_KEY, SONARR_URL

SERIES = [
    {"id": n, "title": f"Show {n} é", "path": f"/tv/Show {n}", "ratings": {"value": 7.5}}
    for n in range(1, 2001)
]


@responses.activate
def test_a_large_listing_arrives_whole_with_every_item_in_order(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/series", json=SERIES)

    items = client_factory().list_items()

    assert [item.id for item in items] == list(range(1, 2001))
    assert items[41].title == "Show 42 é"


@responses.activate
def test_a_gzip_listing_with_a_byte_order_mark_is_decoded(client_factory):
    body = b"\xef\xbb\xbf \n" + json.dumps(SERIES[:3]).encode()
    responses.get(
        f"{SONARR_URL}/api/v3/series",
        body=gzip.compress(body),
        headers={"Content-Encoding": "gzip"},
        content_type="application/json",
    )

    assert [item.path for item in client_factory().list_items()] == [
        "/tv/Show 1", "/tv/Show 2", "/tv/Show 3",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"page": 1, "records": []}', "expected a JSON array (got an object)"),
        ("", "expected a JSON array (got an empty body)"),
        ("   ", "expected a JSON array (got an empty body)"),
        (
            "<html>login</html>",
            "GET /api/v3/series: not a Sonarr answer (HTTP 200, text/plain: not JSON)",
        ),
        ('[{"id": 1, "path": "/tv/A"}, {"id": 2,', "a body that is not JSON"),
    ],
)
@responses.activate
def test_a_listing_that_is_no_json_array_is_a_permanent_error(client_factory, body, expected):
    responses.get(f"{SONARR_URL}/api/v3/series", body=body, status=200)

    with pytest.raises(ArrPermanentError) as caught:
        client_factory().list_items()

    assert expected in str(caught.value)
    assert API_KEY not in str(caught.value) and "login" not in str(caught.value)


@responses.activate
def test_an_error_status_is_read_as_before(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/series", json={"message": "busy"}, status=503)

    with pytest.raises(ArrTransientError, match="answered 503: busy"):
        client_factory().list_items()


@pytest.fixture
def cut_off_server() -> Iterator[str]:
    """Answers with the start of a long listing and closes the connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    body = json.dumps(SERIES).encode()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            connection.sendall(head.encode() + body[: len(body) // 2])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    thread.join(timeout=30)
    listener.close()


def test_a_listing_cut_off_midway_is_retried_not_read_as_a_shorter_library(
    client_factory, cut_off_server
):
    with pytest.raises(ArrUnconfirmedError) as caught:
        client_factory(cut_off_server).list_items()

    assert caught.value.what == "the answer was cut off"
    assert "GET /api/v3/series failed" in str(caught.value)


@responses.activate
def test_an_episode_list_is_read_up_to_its_limit(client_factory):
    # A series' page keeps at most KEPT_EPISODES of Sonarr's list: the rest is not read.
    rows = [
        {"id": n, "seasonNumber": 1, "episodeNumber": n, "episodeFileId": 0, "title": f"E{n}"}
        for n in range(1, 501)
    ]
    responses.get(f"{SONARR_URL}/api/v3/episode", json=rows)

    episodes = client_factory().episodes(7, limit=100)

    assert [episode.number for episode in episodes] == list(range(1, 101))
    assert responses.calls[0].request.params == {"seriesId": "7"}
    assert len(client_factory().episodes(7)) == 500  # no limit: every row
