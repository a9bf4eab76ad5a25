"""Bulk tag changes: planning (pure) and applying with `responses`."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from scanner.arr.editor import EditorBatch, plan_editor_batches
from scanner.arr.payloads import TagChange
from scanner.errors import ArrAuthError, ArrTransientError, ArrUnconfirmedError
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


def test_plan_chunks_500_ids_by_default():
    plan = plan_editor_batches([(i, DUB, "add") for i in range(1100)], range(1100))

    assert [len(batch.item_ids) for batch in plan.batches] == [500, 500, 100]


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


def refusing(*bad_ids: int, status: int = 202):
    """A callback for the editor URL: 400 with a validation array when the request
    names one of ``bad_ids`` (as the real editor validates each item), else ``status``."""

    def answer(request):
        ids = json.loads(request.body)["seriesIds"]
        if set(ids) & set(bad_ids):
            failure = {"propertyName": "QualityProfileId", "errorMessage": "does not exist"}
            return 400, {}, json.dumps([failure])
        return status, {}, json.dumps([])

    return answer


@responses.activate
def test_a_refused_chunk_is_split_until_the_refused_item_stands_alone(client_factory):
    responses.add_callback(responses.PUT, EDITOR_URL, callback=refusing(6))

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in range(1, 9)], known_ids=range(1, 9)
    )

    assert [body["seriesIds"] for body in editor_bodies()] == [
        [1, 2, 3, 4, 5, 6, 7, 8],  # refused: 6 fails validation
        [1, 2, 3, 4],  # held, so the refusal is in [5, 6, 7, 8]: split it unsent
        [5, 6],  # refused
        [5],  # held, so 6 is the refused item: not sent alone
        [7, 8],  # held
    ]
    assert result.succeeded == frozenset({1, 2, 3, 4, 5, 7, 8})
    assert set(result.failed) == {6}
    assert "answered 400: QualityProfileId: does not exist" in result.failed[6]
    assert result.requests == 5


@responses.activate
def test_every_refused_item_is_found_and_the_next_chunk_still_runs(client_factory):
    responses.add_callback(responses.PUT, EDITOR_URL, callback=refusing(1, 2, 7))

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in range(1, 10)], known_ids=range(1, 10), chunk_size=4
    )

    assert result.succeeded == frozenset({3, 4, 5, 6, 8, 9})
    assert set(result.failed) == {1, 2, 7}
    assert all("QualityProfileId: does not exist" in why for why in result.failed.values())
    # The last chunk, [9], went out and held.
    assert editor_bodies()[-1]["seriesIds"] == [9]


@responses.activate
def test_a_400_about_the_request_itself_fails_the_chunk_without_splitting(client_factory):
    # ASP.NET's ProblemDetails (an object) is about the body, not one item in it.
    problem = {"title": "One or more validation errors occurred.", "status": 400}
    responses.put(EDITOR_URL, status=400, json=problem)

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3]
    )

    assert len(responses.calls) == 1
    assert set(result.failed) == {1, 2, 3}
    assert "answered 400: One or more validation errors occurred." in result.failed[1]


@responses.activate
def test_the_default_chunk_is_500_ids(client_factory):
    responses.put(EDITOR_URL, status=202, json=[])

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in range(1, 1201)], known_ids=range(1, 1201)
    )

    assert [len(body["seriesIds"]) for body in editor_bodies()] == [500, 500, 200]
    assert len(result.succeeded) == 1200


@responses.activate
def test_editor_requests_wait_longer_than_other_requests(client_factory):
    responses.put(EDITOR_URL, status=500, json={"message": "boom"})
    responses.get(f"{SONARR_URL}/api/v3/series/1", json=full_series(1, []))
    responses.put(f"{SONARR_URL}/api/v3/series/1", status=202, json={})

    client_factory(read_timeout=30.0).apply_tag_changes([(1, DUB, "add")], known_ids=[1])

    timeouts = [call.request.req_kwargs["timeout"] for call in responses.calls]
    # The editor (120 s) and the per-item fallback, GET and PUT (the read timeout).
    assert timeouts == [(5.0, 120.0), (5.0, 30.0), (5.0, 30.0)]


@pytest.mark.parametrize(
    "failure",
    [
        requests.ReadTimeout("read timed out"),
        # The connection dropped after the request went out.
        requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104))),
    ],
)
@responses.activate
def test_an_unanswered_chunk_is_unconfirmed_and_the_other_chunks_still_run(client_factory, failure):
    responses.put(EDITOR_URL, body=failure)
    responses.put(EDITOR_URL, status=202, json=[])

    result = client_factory().apply_tag_changes(
        [(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3], chunk_size=2
    )

    # Neither resent (the server may still be saving it) nor redone item by item.
    assert [body["seriesIds"] for body in editor_bodies()] == [[1, 2], [3]]
    assert result.succeeded == frozenset({3})
    assert set(result.failed) == {1, 2}
    assert result.failed[1].startswith("unconfirmed: ")
    assert result.failed[1].endswith("; the next scan checks it again")


@responses.activate
def test_a_timed_out_chunk_says_so(client_factory):
    responses.put(EDITOR_URL, body=requests.ReadTimeout("read timed out"))

    result = client_factory().apply_tag_changes([(1, DUB, "add")], known_ids=[1])

    assert result.failed == {1: "unconfirmed: timed out; the next scan checks it again"}


@responses.activate
def test_a_proxy_timeout_is_unconfirmed_too(client_factory):
    responses.put(EDITOR_URL, status=504, body="Gateway Time-out")

    result = client_factory().apply_tag_changes([(1, DUB, "add")], known_ids=[1])

    assert len(responses.calls) == 1
    assert result.failed == {1: "unconfirmed: a proxy timed out; the next scan checks it again"}


@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectionError("[Errno 111] Connection refused"),
        requests.ConnectTimeout("connect timed out"),
        {"status": 503, "json": {"errorMessage": "Sonarr is starting up, please try again later"}},
        {"status": 502, "body": "Bad Gateway"},
    ],
    ids=["refused", "connect-timeout", "503", "502"],
)
@responses.activate
def test_an_unavailable_server_raises_for_the_step_to_retry(client_factory, failure):
    """Not one item's failure: the apply step retries as a whole (steps.retry_policy)."""
    for _ in range(3):
        if isinstance(failure, dict):
            responses.put(EDITOR_URL, **failure)
        else:
            responses.put(EDITOR_URL, body=failure)

    with pytest.raises(ArrTransientError) as caught:
        client_factory().apply_tag_changes(
            [(i, DUB, "add") for i in (1, 2, 3)], known_ids=[1, 2, 3], chunk_size=1
        )

    assert not isinstance(caught.value, ArrUnconfirmedError)
    # The first chunk (and the client's own retries of it), nothing item by item or after.
    assert {tuple(body["seriesIds"]) for body in editor_bodies()} == {(1,)}
    assert all(call.request.method == "PUT" for call in responses.calls)


@responses.activate
def test_an_unavailable_server_met_item_by_item_raises_too(client_factory):
    """The editor's 500 (a bad id) sends the chunk item by item; a 503 there is the
    server's, not the item's."""
    responses.put(EDITOR_URL, status=500, json={"message": "boom"})
    responses.get(f"{SONARR_URL}/api/v3/series/1", status=503, json={"errorMessage": "starting"})

    with pytest.raises(ArrTransientError):
        client_factory().apply_tag_changes([(1, DUB, "add")], known_ids=[1])


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
