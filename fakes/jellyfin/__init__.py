"""A fake Jellyfin over real HTTP, for tests and a local demo. Standard library only.

Written from Jellyfin's controllers (see ``state.py``); Emby's routes are the same,
optionally under ``/emby``::

    with FakeJellyfin(token="...", libraries=[...], items=[...]) as fake:
        ...  # fake.url, fake.state.items(), fake.state.counters()
"""

from __future__ import annotations

from fakes.jellyfin.server import FakeJellyfin
from fakes.jellyfin.state import FakeJellyfinState, build_movie, build_series

__all__ = ["FakeJellyfin", "FakeJellyfinState", "build_movie", "build_series"]
