"""Bulk tag changes: planning (pure) and applying with `responses`."""

from __future__ import annotations

import json

import pytest
import requests
import responses

from scanner.arr.editor import EditorBatch, plan_editor_batches
from scanner.arr.payloads import TagChange
from scanner.errors import ArrAuthError
from tests.scanner.arr.conftest import RADARR_URL, SONARR_URL

EDITOR_URL = f"{SONARR_URL}/api/v3/series/editor"
DUB, SEMI, WRONG = 1, 2, 3


def editor_bodies() -> list[dict]:
    return [
        json.loads(call.request.body)
        for call in responses.calls
        if call.request.url.endswith("/editor")
    ]


def test_plan_groups_by_tag_and_action_with_removals_first():
    changes = [(5, DUB, "add"), (3, SEMI, "remove"), (4, DUB, "add"), (3, DUB, "add")]

    plan = plan_editor_batches(changes, known_ids=range(1, 10))

    assert plan.batches == (
        EditorBatch(SEMI, "remove", (3,)),
        EditorBatch(DUB, "add", (3, 4, 5)),
    )
    assert plan.rejected == {}


def test_plan_deduplicates_ids():
    changes = [TagChange(2, DUB, "add"), TagChange(2, DUB, "add"), (2, DUB, "add")]

    plan = plan_editor_batches(changes, known_ids=[2])

    assert plan.batches == (EditorBatch(DUB, "add", (2,)),)


def test_plan_drops_ids_unknown_to_the_library():
    plan = plan_editor_batches([(1, DUB, "add"), (99, DUB, "add")], known_ids=[1, 2])

    assert plan.batches == (EditorBatch(DUB, "add", (1,)),)
    assert set(plan.rejected) == {99}
    assert "not in the library list" in plan.rejected[99]


def test_plan_rejects_adding_and_removing_the_same_tag_of_one_item():
    plan = plan_editor_batches([(1, DUB, "add"), (1, DUB, "remove"), (2, DUB, "add")], [1, 2])

    assert plan.batches == (EditorBatch(DUB, "add", (2,)),)
    assert plan.rejected == {1: "asked to both add and remove tag 1"}


@pytest.mark.parametrize(
    ("count", "chunk_size", "sizes"),
    [(0, 3, []), (3, 3, [3]), (7, 3, [3, 3, 1]), (2500, 1000, [1000, 1000, 500])],
)
def test_plan_chunks_each_group(count, chunk_size, sizes):
    plan = plan_editor_batches([(i, DUB, "add") for i in range(count)], range(count), chunk_size)

    assert [len(batch.item_ids) for batch in plan.batches] == sizes
    sent = [i for batch in plan.batches for i in batch.item_ids]
    assert sent == list(range(count))


def test_plan_refuses_bad_input():
    with pytest.raises(ValueError, match="chunk_size"):
        plan_editor_batches([], [], chunk_size=0)
    with pytest.raises(ValueError, match="'add' or 'remove'"):
        plan_editor_batches([(1, DUB, "replace")], [1])


@responses.activate
def test_apply_sends_one_editor_request_per_group_and_chunk(client_factory):
    responses.put(EDITOR_URL, status=202, json=[])
    changes = [(i, DUB, "add") for i in range(1, 6)]
    changes += [(2, WRONG, "remove"), (2, DUB, "add"), (99, DUB, "add"), (98, WRONG, "remove")]

    result = client_factory().apply_tag_changes(changes, known_ids=range(1, 6), chunk_size=2)

    assert editor_bodies() == [
        {"seriesIds": [2], "tags": [WRONG], "applyTags": "remove"},
        {"seriesIds": [1, 2], "tags": [DUB], "applyTags": "add"},
        {"seriesIds": [3, 4], "tags": [DUB], "applyTags": "add"},
        {"seriesIds": [5], "tags": [DUB], "applyTags": "add"},
    ]
    assert result.succeeded == frozenset({1, 2, 3, 4, 5})
    assert set(result.failed) == {98, 99}  # unknown to the library: never sent
    assert result.requests == 4


@responses.activate
def test_apply_on_radarr_uses_the_movie_editor(client_factory):
    responses.put(f"{RADARR_URL}/api/v3/movie/editor", status=202, json=[])

    client_factory(RADARR_URL, "radarr").apply_tag_changes([(8, SEMI, "add")], known_ids=[8])

    assert editor_bodies() == [{"movieIds": [8], "tags": [SEMI], "applyTags": "add"}]


def full_series(series_id: int, tags: list[int]) -> dict:
    return {
        "id": series_id,
        "title": f"Show {series_id}",
        "path": f"/tv/Show {series_id}",
        "monitored": True,
        "seasons": [{"seasonNumber": 1, "monitored": True}],
        "qualityProfileId": 4,
        "tags": tags,
    }


@responses.activate
def test_a_500_chunk_falls_back_to_full_object_puts_and_one_bad_id_does_not_block_the_rest(
    client_factory,
):
    responses.put(EDITOR_URL, status=500, json={"message": "boom", "description": "trace"})
    responses.get(f"{SONARR_URL}/api/v3/series/1", json=full_series(1, [7]))
    responses.get(f"{SONARR_URL}/api/v3/series/2", json=full_series(2, [DUB]))  # already tagged
    responses.get(f"{SONARR_URL}/api/v3/series/3", json=full_series(3, []))
    responses.put(f"{SONARR_URL}/api/v3/series/1", status=202, json=full_series(1, [7, DUB]))
    responses.put(f"{SONARR_URL}/api/v3/series/3", status=400, json=[{"errorMessage": "bad"}])
    client = client_factory()

    result = client.apply_tag_changes([(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3])

    methods = [(c.request.method, c.request.url.removeprefix(SONARR_URL)) for c in responses.calls]
    assert methods == [
        ("PUT", "/api/v3/series/editor"),  # a 500 from the editor is not retried
        ("GET", "/api/v3/series/1"),
        ("PUT", "/api/v3/series/1"),
        ("GET", "/api/v3/series/2"),  # nothing to change: no PUT
        ("GET", "/api/v3/series/3"),
        ("PUT", "/api/v3/series/3"),
    ]
    # The full object goes back, with only the tags changed.
    assert json.loads(responses.calls[2].request.body) == full_series(1, [7, DUB])
    assert result.succeeded == frozenset({1, 2})
    assert set(result.failed) == {3}
    assert "PUT /api/v3/series/3 answered 400" in result.failed[3]
    assert result.requests == 6


@responses.activate
def test_a_removal_in_the_fallback_keeps_the_other_tags(client_factory):
    responses.put(EDITOR_URL, status=500, json={"message": "boom"})
    responses.get(f"{SONARR_URL}/api/v3/series/1", json=full_series(1, [7, SEMI, 9]))
    responses.put(f"{SONARR_URL}/api/v3/series/1", status=202, json={})

    result = client_factory().apply_tag_changes([(1, SEMI, "remove")], known_ids=[1])

    assert json.loads(responses.calls[2].request.body)["tags"] == [7, 9]
    assert result.succeeded == frozenset({1})


@responses.activate
def test_a_4xx_chunk_marks_its_ids_failed_and_the_next_chunk_still_runs(client_factory):
    responses.put(EDITOR_URL, status=400, json=[{"propertyName": "Tags", "errorMessage": "bad"}])
    responses.put(EDITOR_URL, status=202, json=[])

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3], chunk_size=2
    )

    assert len(responses.calls) == 2
    assert result.succeeded == frozenset({3})
    assert set(result.failed) == {1, 2}
    assert "answered 400: Tags: bad" in result.failed[1]


@responses.activate
def test_an_unreachable_instance_stops_the_remaining_chunks(client_factory):
    for _ in range(3):
        responses.put(EDITOR_URL, body=requests.ConnectionError("[Errno 111] Connection refused"))

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3], chunk_size=1
    )

    assert len(responses.calls) == 3  # the retries of the first chunk, nothing after
    assert result.succeeded == frozenset()
    assert set(result.failed) == {1, 2, 3}
    assert result.failed[3].startswith("not sent: ")


@responses.activate
def test_a_rejected_key_raises_instead_of_failing_every_item(client_factory):
    responses.put(EDITOR_URL, status=401)

    with pytest.raises(ArrAuthError):
        client_factory().apply_tag_changes([(1, DUB, "add")], known_ids=[1])


@responses.activate
def test_unknown_ids_are_reported_failed_without_a_request(client_factory):
    result = client_factory().apply_tag_changes([(42, DUB, "add")], known_ids=[1])

    assert len(responses.calls) == 0
    assert set(result.failed) == {42}
    assert result.succeeded == frozenset()
