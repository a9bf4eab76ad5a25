"""The suite's slowest tests run first, so that xdist's workers end together.

Most of the suite's time is a hundred tests that wait (a real Celery worker, headless
Chromium, a command in a subprocess) for ten to forty seconds each; the four thousand
others take milliseconds. In collection order those slow tests come in runs of a
directory (tests/browser, tests/scanner/...), and xdist's load scheduler hands each
worker a block of a quarter of its share at the start: one worker got all the browser
tests while the others ran out of work. Sorted longest first (the longest-processing-
time rule) and handed out two at a time (``--maxschedchunk 2`` in the Makefile), every
worker takes the next slow test when it is free and the fast ones fill the end.

How long a test takes is what it took in the last run that ran it (each test's setup,
call and teardown, kept in pytest's cache by the controlling process). A run with an
empty cache (a fresh clone, CI) reads the committed times of the suite's slowest tests
instead (tests/slow_tests.json: every test of a measured run that took a second or
more; ``python -m tests.slow_first`` writes it again from the cache); a test in neither
counts as slow when it is marked ``worker`` or ``browser``. The order is the same on
every xdist worker (each sorts the same collection with the same cache and file; the
cache is written only when the session ends), as xdist requires.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

CACHE_KEY = "taggarr/durations"
# The slowest tests' times in a measured run, for a run whose cache does not know them.
COMMITTED = Path(__file__).with_name("slow_tests.json")
# What a test never timed counts as (seconds): a marked one is slow, the rest instant.
MARKED_GUESS = 15.0
SLOW_MARKERS = ("worker", "browser")
# Shorter than this is instant: the fast tests keep their order (pytest-django's, the
# database tests before the transactional ones; a module's tests together, so its
# module-scoped fixtures are made once).
SLOW_SECONDS = 1.0
# A test's name in the times, in its reports when it is not its node id.
KEY_PROPERTY = "taggarr/test"


def test_key(item: pytest.Item) -> str:
    """The test's name in the times: its node id, but where items share one (each of
    schemathesis's, one per API operation, carries its function's) the item's own name
    in its place, so that each is timed alone."""
    if item.nodeid.endswith(f"::{item.name}"):
        return item.nodeid
    return f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}"


def _seconds(item: pytest.Item, known: dict[str, float]) -> float:
    key = test_key(item)
    if key in known:
        seconds = known[key]
    else:
        marked = any(item.get_closest_marker(m) for m in SLOW_MARKERS)
        seconds = MARKED_GUESS if marked else 0.0
    return seconds if seconds >= SLOW_SECONDS else 0.0


def _committed() -> dict[str, float]:
    try:
        times = json.loads(COMMITTED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(nodeid): float(seconds) for nodeid, seconds in times.items()}


def known_times(config: pytest.Config) -> dict[str, float]:
    """Each test's time: the last run's (pytest's cache) over the committed file's; the
    committed file's alone under ``-p no:cacheprovider``."""
    cache = getattr(config, "cache", None)
    last: dict[str, float] = cache.get(CACHE_KEY, {}) if cache is not None else {}
    return {**_committed(), **last}


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def sort_slowest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``items`` reordered in place: the modules by their slowest test, the longest
    first, and within a module its tests by their time; ties keep their order (a stable
    sort), so the fast tests stay as collected."""
    known = known_times(config)
    for item in items:
        if (key := test_key(item)) != item.nodeid:
            item.user_properties.append((KEY_PROPERTY, key))
    seconds = {id(item): _seconds(item, known) for item in items}
    slowest: dict[str, float] = {}
    for item in items:
        module = _module(item)
        slowest[module] = max(slowest.get(module, 0.0), seconds[id(item)])
    items.sort(key=lambda item: (-slowest[_module(item)], -seconds[id(item)]))


class DurationRecorder:
    """Registered in the controlling process only (or a run without xdist): the time of
    each test's phases, added up, saved over the cache's at the session's end."""

    def __init__(self) -> None:
        self.durations: defaultdict[str, float] = defaultdict(float)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        key = dict(report.user_properties).get(KEY_PROPERTY, report.nodeid)
        self.durations[str(key)] += report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None or not self.durations:
            return
        known: dict[str, float] = cache.get(CACHE_KEY, {})
        known.update({nodeid: round(seconds, 2) for nodeid, seconds in self.durations.items()})
        cache.set(CACHE_KEY, known)


def register(config: pytest.Config) -> None:
    """The recorder, in the process that sees every report: not in an xdist worker."""
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(DurationRecorder(), "taggarr-durations")


def write_committed(cache_dir: Path) -> int:
    """tests/slow_tests.json from a run's cache (``cache_dir``: pytest's, .pytest_cache by
    default): every test that took ``SLOW_SECONDS`` or more, slowest first. The number
    of tests written."""
    path = cache_dir / "v" / CACHE_KEY
    times: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
    slow = sorted(
        ((nodeid, seconds) for nodeid, seconds in times.items() if seconds >= SLOW_SECONDS),
        key=lambda pair: (-pair[1], pair[0]),
    )
    text = json.dumps(dict(slow), indent=1, ensure_ascii=False)
    COMMITTED.write_text(text + "\n", encoding="utf-8")
    return len(slow)


if __name__ == "__main__":
    # python -m tests.slow_first [CACHE_DIR]: after a whole `make test` that passed.
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".pytest_cache")
    print(f"{COMMITTED}: {write_committed(folder)} tests of a second or more")
