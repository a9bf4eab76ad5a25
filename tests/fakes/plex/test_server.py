"""The fake Plex on its own, over plain HTTP: what plexapi relies on without saying."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree

import pytest
import requests

from fakes.plex import FakePlex

TOKEN = "fake-plex-5ecret-0f1e2d3c"


@pytest.fixture
def fake() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as server:
        server.state.add_section("1", "TV Shows", "show", ["/tv"])
        for number in range(5):
            server.state.add_item("1", f"Show {number}", f"/tv/Show {number}", guids=["tvdb://1"])
        yield server


def get(url: str, **kwargs: object) -> requests.Response:
    return requests.get(url, timeout=5, **kwargs)  # type: ignore[arg-type]


def test_the_token_is_taken_as_header_or_query_parameter(fake) -> None:
    assert get(fake.url).status_code == 401
    assert get(fake.url, headers={"X-Plex-Token": "wrong"}).status_code == 401
    assert get(fake.url, headers={"X-Plex-Token": TOKEN}).status_code == 200
    assert get(f"{fake.url}/?X-Plex-Token={TOKEN}").status_code == 200
    assert get(f"{fake.url}/nowhere", headers={"X-Plex-Token": TOKEN}).status_code == 404


def test_listing_pages_by_query_parameters_and_says_the_total(fake) -> None:
    answer = get(
        f"{fake.url}/library/sections/1/all",
        params={"X-Plex-Container-Start": 3, "X-Plex-Container-Size": 10, "type": 2},
        headers={"X-Plex-Token": TOKEN},
    )

    container = ElementTree.fromstring(answer.content)  # noqa: S314 - our own fake's answer
    assert container.get("totalSize") == "5"
    assert container.get("size") == "2"
    assert [element.get("title") for element in container] == ["Show 3", "Show 4"]
    assert container[0].find("Location") is None  # as Plex: on metadata only
    assert container[0].find("Guid") is None  # without includeGuids=1


def test_an_edit_of_another_section_or_an_unknown_item_is_refused(fake) -> None:
    fake.state.add_section("2", "Movies", "movie")
    key = fake.state.items()[0].rating_key
    headers = {"X-Plex-Token": TOKEN}
    edit = {"type": 2, "id": key, "label[0].tag.tag": "dub"}

    other_section = requests.put(
        f"{fake.url}/library/sections/2/all", params={**edit, "type": 1}, headers=headers, timeout=5
    )
    unknown = requests.put(
        f"{fake.url}/library/sections/1/all", params={**edit, "id": 1}, headers=headers, timeout=5
    )
    wrong_type = requests.put(
        f"{fake.url}/library/sections/1/all", params={**edit, "type": 1}, headers=headers, timeout=5
    )

    assert (other_section.status_code, unknown.status_code, wrong_type.status_code) == (
        404,
        404,
        400,
    )
    assert fake.state.edits() == []
    assert fake.state.labels(key) == []


def test_latency_is_spent_on_every_request_before_the_answer() -> None:
    spent: list[float] = []
    with FakePlex(token=TOKEN, latency_s=0.003, sleep=spent.append) as server:
        assert get(server.url).status_code == 401  # refused requests cost the same
        assert get(server.url, headers={"X-Plex-Token": TOKEN}).status_code == 200
    assert spent == [0.003, 0.003]


def test_a_stalled_route_is_held_back_until_released(fake) -> None:
    """``stall_route``: the next request of the route waits (a server that hangs) until
    ``release_stalls``; the requests after it, and of other routes, are answered."""
    fake.state.stall_route("GET", "/library/sections", times=1)
    headers = {"X-Plex-Token": TOKEN}
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(get, f"{fake.url}/library/sections", headers=headers)
        assert fake.state.wait_stalled(1, 5)
        assert not held.done()
        assert get(f"{fake.url}/library/sections", headers=headers).status_code == 200
        assert get(fake.url, headers=headers).status_code == 200
        fake.state.release_stalls()
        assert held.result(timeout=5).status_code == 200


def test_metadata_takes_a_comma_separated_list_of_keys(fake) -> None:
    """``/library/metadata/{key},{key},...``: what python-plexapi's
    ``PlexObject.fetchItems`` asks for a list of keys (``plexapi/base.py``: "If a list
    of ints is passed in, the key will be translated to
    /library/metadata/<key1,key2,key3>"): the items in the order asked, an unknown key
    left out, 404 when none is known; each request counted for the token's account."""
    keys = [item.rating_key for item in fake.state.items()]
    headers = {"X-Plex-Token": TOKEN}
    asked = [keys[3], 99999, keys[0], keys[4]]

    answer = get(f"{fake.url}/library/metadata/{','.join(map(str, asked))}", headers=headers)
    none = get(f"{fake.url}/library/metadata/99998,99999", headers=headers)

    assert answer.status_code == 200 and none.status_code == 404
    container = ElementTree.fromstring(answer.content)  # noqa: S314 - our own fake's answer
    assert [element.get("ratingKey") for element in container] == [
        str(keys[3]), str(keys[0]), str(keys[4]),
    ]  # fmt: skip
    assert container.get("size") == "3"
    assert container[0].find("Location") is not None  # metadata carries the folder
    assert fake.state.counters_by_account()[("GET", "/library/metadata/{ids}", "owner")] == 2


def test_a_user_s_list_leaves_out_what_their_share_hides(fake) -> None:
    fake.state.add_item("1", "Hidden", "/tv/Hidden", labels=["adult"])
    fake.state.add_user("Kid", "kid-token", filter_television={"label!": ["adult"]})
    keys = [item.rating_key for item in fake.state.items()]

    answer = get(
        f"{fake.url}/library/metadata/{','.join(map(str, keys))}",
        headers={"X-Plex-Token": "kid-token"},
    )

    container = ElementTree.fromstring(answer.content)  # noqa: S314 - our own fake's answer
    assert [element.get("title") for element in container] == [f"Show {n}" for n in range(5)]
    by_account = fake.state.counters_by_account()
    assert sum(n for (_, _, who), n in by_account.items() if who == "owner") == 0
