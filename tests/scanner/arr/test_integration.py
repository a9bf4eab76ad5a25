"""The clients against the fake Sonarr/Radarr over real HTTP."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest

from fakes.arr import FakeArr, FakeArrOptions, build_movie, build_series
from scanner.arr.clients import ArrClient
from scanner.arr.editor import plan_editor_batches
from scanner.arr.payloads import ArrItem, TagChange
from scanner.errors import ArrAuthError, ArrTransientError
from tests.scanner.arr.conftest import API_KEY

MANAGED = ("dub", "semi-dub", "wrong-dub")
USER_TAG = 4  # "anime": put there by the user, never touched


def seeded_library(count: int, rng: random.Random) -> list[dict]:
    series = []
    for series_id in range(1, count + 1):
        tags = {rng.choice([1, 2, 3])} if rng.random() < 0.6 else set()
        if rng.random() < 0.3:
            tags.add(USER_TAG)
        series.append(build_series(series_id, tags=tags))
    return series


def plan_changes(
    items: list[ArrItem], targets: dict[int, str | None], tag_ids: dict[str, int]
) -> list[TagChange]:
    """What the pipeline would do: the item ends with exactly its target managed tag."""
    managed = {tag_ids[label] for label in MANAGED}
    changes = []
    for item in items:
        if item.id not in targets:
            continue
        target = {tag_ids[targets[item.id]]} if targets[item.id] else set()
        current = item.tag_ids & managed
        changes += [TagChange(item.id, tag, "remove") for tag in sorted(current - target)]
        changes += [TagChange(item.id, tag, "add") for tag in sorted(target - current)]
    return changes


@pytest.fixture
def library_fake() -> Iterator[FakeArr]:
    rng = random.Random(20240601)  # noqa: S311 - reproducible test data
    tags = [
        {"id": 1, "label": "dub"},
        {"id": 2, "label": "semi-dub"},
        {"id": 3, "label": "wrong-dub"},
        {"id": USER_TAG, "label": "anime"},
    ]
    options = FakeArrOptions(app="sonarr", version="4.0.14.2939", api_key=API_KEY)
    with FakeArr(options, items=seeded_library(2000, rng), tags=tags) as fake:
        yield fake


@pytest.mark.parametrize("chunk_size", [1000, 100])
def test_a_2000_series_scan_costs_a_fixed_number_of_requests(
    library_fake, client_factory, chunk_size
):
    rng = random.Random(7)  # noqa: S311 - reproducible test data
    client: ArrClient = client_factory(library_fake.url)

    client.system_status()
    items = client.list_items()
    tag_ids = client.ensure_tags(MANAGED)
    # 1,500 series get a new verdict, different from the managed tag they carry.
    changed = rng.sample([item.id for item in items], 1500)
    by_id = {item.id: item for item in items}
    targets: dict[int, str | None] = {}
    for item_id in changed:
        current = next((m for m in MANAGED if tag_ids[m] in by_id[item_id].tag_ids), None)
        targets[item_id] = rng.choice([label for label in (*MANAGED, None) if label != current])
    changes = plan_changes(items, targets, tag_ids)
    known_ids = [item.id for item in items]
    batches = plan_editor_batches(changes, known_ids, chunk_size).batches
    groups = {(batch.tag_id, batch.action) for batch in batches}

    result = client.apply_tag_changes(changes, known_ids, chunk_size=chunk_size)

    counters = library_fake.state.counters()
    assert len({change.item_id for change in changes}) == 1500
    assert len(groups) == 6  # 3 tags x add/remove
    # The bound does not depend on the library size: status, list, tags, then editor calls.
    assert library_fake.state.total_requests() <= len(groups) * math.ceil(1500 / chunk_size) + 3
    assert library_fake.state.total_requests() == len(batches) + 3
    assert library_fake.state.total_requests() == client.requests_made
    assert counters[("PUT", "/api/v3/series/editor")] == len(batches)
    assert counters[("GET", "/api/v3/series")] == 1
    assert result.requests == len(batches)
    assert result.failed == {}
    assert result.succeeded == {change.item_id for change in changes}
    for obj in library_fake.state.items():
        original = by_id[obj["id"]].tag_ids
        expected = set(original) - {1, 2, 3}
        if obj["id"] in targets:
            expected |= {tag_ids[targets[obj["id"]]]} if targets[obj["id"]] else set()
        else:
            expected = set(original)
        assert set(obj["tags"]) == expected, obj["id"]
    assert library_fake.state.partial_puts() == []


def test_the_fallback_applies_every_other_item_when_one_id_fails(client_factory):
    items = [build_series(i, tags=[9] if i % 2 else []) for i in range(1, 51)]
    options = FakeArrOptions(api_key=API_KEY, fail_put_ids=frozenset({17}))
    with FakeArr(options, items=items, tags=[{"id": 1, "label": "dub"}]) as fake:
        client = client_factory(fake.url)
        listed = client.list_items()

        result = client.apply_tag_changes(
            [(item.id, 1, "add") for item in listed], [item.id for item in listed]
        )

        counters = fake.state.counters()
        stored = {obj["id"]: obj for obj in fake.state.items()}
        assert set(result.failed) == {17}
        assert "Simulated failure for id 17" in result.failed[17]
        assert result.succeeded == frozenset(range(1, 51)) - {17}
        assert counters[("PUT", "/api/v3/series/editor")] == 1  # a 500 there is not retried
        assert counters[("GET", "/api/v3/series/{id}")] == 50
        # 49 good PUTs and the failing one: the client sends each request once.
        assert counters[("PUT", "/api/v3/series/{id}")] == 49 + 1
        assert fake.state.partial_puts() == []
        for series_id, obj in stored.items():
            user_tags = [9] if series_id % 2 else []
            expected = user_tags if series_id == 17 else sorted([*user_tags, 1])
            assert sorted(obj["tags"]) == expected
            assert obj["monitored"] is True
            assert len(obj["seasons"]) == 3


def test_ensure_tags_creates_missing_labels_lowercase_and_reuses_existing_ones(client_factory):
    options = FakeArrOptions(app="radarr", version="6.0.0", api_key=API_KEY, strict_tag_labels=True)
    with FakeArr(options, tags=[{"id": 5, "label": "dub"}]) as fake:
        client = client_factory(fake.url, "radarr")

        first = client.ensure_tags(["Dub", "Semi-Dub", "WRONG-DUB"])
        requests_after_first = fake.state.total_requests()
        second = client.ensure_tags(["dub", "semi-dub", "wrong-dub"])

        assert first == second == {"dub": 5, "semi-dub": 6, "wrong-dub": 7}
        assert requests_after_first == 3  # one read, two creations
        assert fake.state.total_requests() == 4  # one read, nothing to create
        assert [tag["label"] for tag in fake.state.tags()] == ["dub", "semi-dub", "wrong-dub"]


def test_radarr_reads_and_tags_movies(client_factory):
    options = FakeArrOptions(app="radarr", version="5.2.0", api_key=API_KEY)
    movies = [build_movie(1, original_language="Japanese"), build_movie(2, has_file=False)]
    with FakeArr(options, items=movies, tags=[{"id": 1, "label": "dub"}]) as fake:
        client = client_factory(fake.url, "radarr")
        listed = client.list_items()

        result = client.apply_tag_changes([(1, 1, "add")], [m.id for m in listed])

        assert [(m.id, m.has_file, m.original_language_name) for m in listed] == [
            (1, True, "Japanese"),
            (2, False, "English"),
        ]
        assert result.succeeded == frozenset({1})
        assert fake.state.item(1)["tags"] == [1]
        assert client.get_item(2).path == "/movies/Movie 2 (2020)"


def test_sonarr_v3_items_have_no_original_language(client_factory):
    options = FakeArrOptions(version="3.0.10.1567", api_key=API_KEY)
    with FakeArr(options, items=[build_series(1, original_language="Japanese")]) as fake:
        client = client_factory(fake.url)
        assert client.system_status().has_original_language is False
        assert client.list_items()[0].original_language_name is None
        client.refresh([1])
        assert fake.state.commands()[0]["body"] == {"name": "RefreshSeries", "seriesId": 1}


def test_a_starting_server_is_told_after_one_request(client_factory):
    """The step's retry policy waits it out (tests/scanner/pipeline/test_steps.py)."""
    with FakeArr(FakeArrOptions(api_key=API_KEY, startup_503=2)) as fake:
        client = client_factory(fake.url)
        with pytest.raises(ArrTransientError, match="answered 503"):
            client.system_status()
        assert fake.state.total_requests() == 1


def test_a_slow_answer_times_out_as_transient(client_factory):
    with FakeArr(FakeArrOptions(api_key=API_KEY, latency_s=0.5)) as fake:
        client = client_factory(fake.url, read_timeout=0.05)
        with pytest.raises(ArrTransientError, match=r"got no answer within 0\.05 s"):
            client.list_items()
        assert fake.state.total_requests() == 1


@pytest.mark.parametrize("version", ["3.0.10", "4.0.14"])
def test_a_wrong_key_is_an_auth_error_on_v3_and_v4(client_factory, version):
    with FakeArr(FakeArrOptions(api_key="another-key", version=version)) as fake:
        client = client_factory(fake.url)
        with pytest.raises(ArrAuthError, match=r"rejected the API key \(401\)"):
            client.list_items()
        assert fake.state.total_requests() == 1
