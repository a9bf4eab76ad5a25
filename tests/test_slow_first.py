"""The order of a run (tests/slow_first.py): the slowest tests first also when the cache
is empty, from the committed times; items that share a node id timed each on its own."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests import slow_first


@dataclass
class _Item:
    nodeid: str
    name: str
    marked: bool = False
    user_properties: list[tuple[str, object]] = field(default_factory=list)

    def get_closest_marker(self, name: str) -> object | None:
        return object() if self.marked and name == "worker" else None


class _Cache:
    def __init__(self, times: dict[str, float] | None = None) -> None:
        self.values: dict[str, Any] = {} if times is None else {slow_first.CACHE_KEY: times}

    def get(self, key: str, default: Any) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value


@dataclass
class _Config:
    cache: _Cache


def _ordered(items: list[_Item], cache: _Cache) -> list[str]:
    slow_first.sort_slowest_first(_Config(cache), items)  # type: ignore[arg-type]
    return [item.name for item in items]


def test_the_committed_file_holds_times_of_a_second_or_more_slowest_first() -> None:
    times = json.loads(slow_first.COMMITTED.read_text(encoding="utf-8"))
    assert len(times) > 50
    assert all(seconds >= slow_first.SLOW_SECONDS for seconds in times.values())
    assert list(times.values()) == sorted(times.values(), reverse=True)
    assert all("::" in nodeid and nodeid.startswith("tests/") for nodeid in times)


def test_an_empty_cache_orders_by_the_committed_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = tmp_path / "slow_tests.json"
    committed.write_text(json.dumps({"tests/test_b.py::test_slow": 40.0}))
    monkeypatch.setattr(slow_first, "COMMITTED", committed)
    items = [
        _Item("tests/test_a.py::test_fast", "test_fast"),
        _Item("tests/test_a.py::test_marked", "test_marked", marked=True),
        _Item("tests/test_b.py::test_slow", "test_slow"),
    ]
    # Unknown to the cache: the committed time (40 s) before the marker's guess (15 s).
    assert _ordered(items, _Cache()) == ["test_slow", "test_marked", "test_fast"]
    # The last run's time wins over the committed one.
    items.sort(key=lambda item: item.name)
    known = {"tests/test_b.py::test_slow": 0.1, "tests/test_a.py::test_fast": 30.0}
    assert _ordered(items, _Cache(known)) == ["test_fast", "test_marked", "test_slow"]


def test_items_that_share_a_node_id_are_timed_each_by_its_name() -> None:
    """As schemathesis's are: one per API operation, all with their function's node id."""
    shared = "tests/api/test_schema.py::test_fuzz"
    items = [_Item(shared, "test_fuzz[GET /api/a/]"), _Item(shared, "test_fuzz[POST /api/b/]")]
    known = {"tests/api/test_schema.py::test_fuzz[POST /api/b/]": 20.0}
    assert _ordered(items, _Cache(known)) == ["test_fuzz[POST /api/b/]", "test_fuzz[GET /api/a/]"]
    recorder = slow_first.DurationRecorder()
    for item, seconds in zip(items, (3.0, 5.0), strict=True):
        report = pytest.TestReport(
            item.nodeid, ("x", 0, item.name), {}, "passed", None, "call",
            user_properties=item.user_properties, duration=seconds,
        )  # fmt: skip
        recorder.pytest_runtest_logreport(report)
    assert dict(recorder.durations) == {
        "tests/api/test_schema.py::test_fuzz[POST /api/b/]": 3.0,
        "tests/api/test_schema.py::test_fuzz[GET /api/a/]": 5.0,
    }
