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

Parts and their streams, with the audio and subtitle stream each account selected:
``fake.state.streams`` (streams.py). plex.tv for the admin's token (the account's
users and their tokens): ``FakePlexTv(fake.state)`` on its own URL (plex_tv.py).
Posters (posters.py): ``fake.state.add_poster(key, data)``, ``fake.state.poster(key)``,
``fake.state.posters(key)``, ``fake.state.poster_uploads()``; the items' ``thumb``, the
list, upload, selection, lock and delete routes python-plexapi's ``PosterMixin`` uses.

As a process: ``python -m fakes.plex --help``.
"""

from __future__ import annotations

from fakes.plex.agents import agent_guid
from fakes.plex.plex_tv import FakePlexTv, PlexTvState, PlexTvUser
from fakes.plex.posters import FakePoster, PosterUpload
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
from fakes.plex.streams import AUDIO, SUBTITLE, VIDEO, FakePart, FakeStream, PartWrite

__all__ = [
    "AUDIO",
    "PLEX_RELEASES",
    "PLEX_VERSION",
    "SUBTITLE",
    "VIDEO",
    "FakePart",
    "FakePlex",
    "FakePlexState",
    "FakePlexTv",
    "FakePoster",
    "FakeStream",
    "Override",
    "PartWrite",
    "PlexEdit",
    "PlexEpisode",
    "PlexItem",
    "PlexSection",
    "PlexTvState",
    "PlexTvUser",
    "PlexUser",
    "PosterUpload",
    "agent_guid",
]
