"""A fake Jellyfin over real HTTP, for development, the tests and the benchmark.

Plays Jellyfin 12.0 (``version="12.0.0"``, the default and, for now, the only
release it accepts: releases.py lists the releases whose update rules it applies),
as media-servers.md describes it; state.py lists its routes. Emby is played only as
far as it shares Jellyfin's API: the same routes, optionally under ``/emby``, and the
``X-Emby-Token`` header; not Emby's own tag API (``TagItems``, ``/Tags/Add``).

In process::

    with FakeJellyfin(token="...", libraries=[...], items=[...]) as fake:
        ...  # fake.url, fake.state.items(), fake.state.counters()

As a process: ``python -m fakes.jellyfin --help``.
"""

from __future__ import annotations

from fakes.jellyfin.releases import DEFAULT_VERSION, RELEASES
from fakes.jellyfin.samples import DEFAULT_LIBRARIES, build_movie, build_series
from fakes.jellyfin.server import FakeJellyfin
from fakes.jellyfin.state import FakeJellyfinState

__all__ = [
    "DEFAULT_LIBRARIES",
    "DEFAULT_VERSION",
    "RELEASES",
    "FakeJellyfin",
    "FakeJellyfinState",
    "build_movie",
    "build_series",
]
