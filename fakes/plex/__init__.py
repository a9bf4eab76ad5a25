"""A fake Plex Media Server that answers what python-plexapi asks for Taggarr's Plex
client (server identity, library sections, paged listings with guids and labels,
item metadata, label edits, refresh), for tests. Standard library only.

::

    with FakePlex(token="secret") as fake:
        fake.state.add_section("1", "TV Shows", "show", ["/tv"])
        fake.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"], labels=["dub"])
        ...  # fake.url, fake.state.counters(), fake.state.labels(key)
"""

from __future__ import annotations

from fakes.plex.server import FakePlex
from fakes.plex.state import (
    FakePlexState,
    Override,
    PlexEdit,
    PlexItem,
    PlexSection,
)

__all__ = ["FakePlex", "FakePlexState", "Override", "PlexEdit", "PlexItem", "PlexSection"]
