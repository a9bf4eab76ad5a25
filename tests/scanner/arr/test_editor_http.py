"""The bulk editor at scale, against the fake over real HTTP: refused items, slow
answers, and answers that never come."""

from __future__ import annotations

from fakes.arr import FakeArr, FakeArrOptions, build_series
from tests.scanner.arr.conftest import API_KEY

DUB = 1
EDITOR = ("PUT", "/api/v3/series/editor")


def library(count: int) -> list[dict]:
    return [build_series(i) for i in range(1, count + 1)]


def test_items_the_editor_refuses_are_found_and_the_rest_is_tagged(client_factory):
    options = FakeArrOptions(api_key=API_KEY, invalid_ids=frozenset({17, 260}))
    with FakeArr(options, items=library(300), tags=[{"id": DUB, "label": "dub"}]) as fake:
        client = client_factory(fake.url)
        ids = [item.id for item in client.list_items()]

        result = client.apply_tag_changes([(i, DUB, "add") for i in ids], ids, chunk_size=250)

        assert set(result.failed) == {17, 260}
        assert "answered 400: QualityProfileId: Quality Profile does not exist" in result.failed[17]
        assert result.succeeded == frozenset(ids) - {17, 260}
        tagged = {obj["id"] for obj in fake.state.items() if obj["tags"] == [DUB]}
        assert tagged == set(ids) - {17, 260}
        # Two chunks (250 + 50), each split at most 8 times with at most 2 requests a split.
        assert fake.state.counters()[EDITOR] <= 2 + 2 * 16
        assert fake.state.counters().get(("PUT", "/api/v3/series/{id}"), 0) == 0


def test_an_unanswered_chunk_is_unconfirmed_the_others_are_sent_and_a_reread_sees_it(
    client_factory,
):
    # The real editor saves, then recomputes statistics until long after the timeout.
    options = FakeArrOptions(api_key=API_KEY, stall_editor_ids=frozenset({2}))
    with FakeArr(options, items=library(6), tags=[{"id": DUB, "label": "dub"}]) as fake:
        client = client_factory(fake.url, editor_read_timeout=0.5)

        result = client.apply_tag_changes(
            [(i, DUB, "add") for i in range(1, 7)], range(1, 7), chunk_size=3
        )

        unconfirmed = "unconfirmed: timed out; the next scan checks it again"
        assert result.failed == {1: unconfirmed, 2: unconfirmed, 3: unconfirmed}
        assert result.succeeded == frozenset({4, 5, 6})
        assert fake.state.counters()[EDITOR] == 2  # the stalled one was not resent
        # What the next scan reads: the stalled chunk did take effect.
        assert all(item.tag_ids == {DUB} for item in client.list_items())


def test_editor_requests_outwait_the_read_timeout_of_other_requests(client_factory):
    # 250 edits at 2 ms each answer after 0.5 s, beyond the 0.2 s read timeout.
    options = FakeArrOptions(api_key=API_KEY, per_edit_latency_s=0.002)
    with FakeArr(options, items=library(250), tags=[{"id": DUB, "label": "dub"}]) as fake:
        client = client_factory(fake.url, read_timeout=0.2)
        ids = list(range(1, 251))

        result = client.apply_tag_changes([(i, DUB, "add") for i in ids], ids)

        assert result.failed == {}
        assert result.succeeded == frozenset(ids)
        assert fake.state.counters()[EDITOR] == 1
