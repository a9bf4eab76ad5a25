"""A fake Plex Media Server that answers what python-plexapi asks for Taggarr's Plex
client (server identity, library sections, paged listings with guids and labels,
item metadata, label edits, refresh) and what a managed user with label restrictions
lists (sharing.py), for development, the tests and the benchmark.
Standard library only.

It plays one release, Plex Media Server 1.41.3.9314 (``PLEX_VERSION``, the one choice
of ``--version``), as python-plexapi 4.18 talks to it: Plex is closed source, so what
it answers is written from what plexapi sends and reads, and docs/media-servers.md. Its
sections use the new agents (``Guid`` elements) or a legacy one: TheTVDB, TheMovieDB,
IMDb, HAMA, XBMCnfo (one agent guid per item; agents.py).

In process::

    with FakePlex(token="secret") as fake:
        fake.state.add_section("1", "TV Shows", "show", ["/tv"])
        fake.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"], labels=["dub"])
        ...  # fake.url, fake.state.counters(), fake.state.labels(key)

As a process: ``python -m fakes.plex --help``.
"""

from __future__ import annotations

from fakes.plex.agents import agent_guid
from fakes.plex.server import FakePlex
from fakes.plex.sharing import PlexUser
from fakes.plex.state import (
    PLEX_RELEASES,
    PLEX_VERSION,
    FakePlexState,
    Override,
    PlexEdit,
    PlexEpisode,
    PlexItem,
    PlexSection,
)

__all__ = [
    "PLEX_RELEASES",
    "PLEX_VERSION",
    "FakePlex",
    "FakePlexState",
    "Override",
    "PlexEdit",
    "PlexEpisode",
    "PlexItem",
    "PlexSection",
    "PlexUser",
    "agent_guid",
]
