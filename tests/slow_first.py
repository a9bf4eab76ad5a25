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
call and teardown, kept in pytest's cache by the controlling process); a test not run
before counts as slow when it is marked ``worker`` or ``browser``. The order is the same
on every xdist worker (each sorts the same collection with the same cache, which is
written only when the session ends), as xdist requires.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "taggarr/durations"
# What a test never timed counts as (seconds): a marked one is slow, the rest instant.
MARKED_GUESS = 15.0
SLOW_MARKERS = ("worker", "browser")
# Shorter than this is instant: the fast tests keep their order (pytest-django's, the
# database tests before the transactional ones; a module's tests together, so its
# module-scoped fixtures are made once).
SLOW_SECONDS = 1.0


def _seconds(item: pytest.Item, known: dict[str, float]) -> float:
    if item.nodeid in known:
        seconds = known[item.nodeid]
    else:
        marked = any(item.get_closest_marker(m) for m in SLOW_MARKERS)
        seconds = MARKED_GUESS if marked else 0.0
    return seconds if seconds >= SLOW_SECONDS else 0.0


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def sort_slowest_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``items`` reordered in place: the modules by their slowest test, the longest
    first, and within a module its tests by their time; ties keep their order (a stable
    sort), so the fast tests stay as collected."""
    cache = config.cache
    known: dict[str, float] = cache.get(CACHE_KEY, {}) if cache is not None else {}
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
        self.durations[report.nodeid] += report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = session.config.cache
        if cache is None or not self.durations:
            return
        known: dict[str, float] = cache.get(CACHE_KEY, {})
        known.update({nodeid: round(seconds, 2) for nodeid, seconds in self.durations.items()})
        cache.set(CACHE_KEY, known)


def register(config: pytest.Config) -> None:
    """The recorder, in the process that sees every report: not in an xdist worker."""
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(DurationRecorder(), "taggarr-durations")
