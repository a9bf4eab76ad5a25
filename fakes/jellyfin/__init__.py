"""A fake Jellyfin (and Emby) over real HTTP, for development, the tests and the
benchmark.

Plays the release ``version`` names (releases.py: Jellyfin 10.8.13, 10.10.7, 10.11.11,
12.0.0 (the default) and Emby 4.9.0.22), each as its sources show it
(docs/media-servers.md): the update contract, a 500 for a body carrying Trickplay (10.11+),
a series' tags copied to its seasons and episodes (10.9+), the administrator's folder
limits on the user routes, the token headers each release reads, ``/emby`` URLs
(not on 12), Emby's TagItems with ``/Tags/Add`` and ``/Tags/Delete``, and users with
parental tag limits (``state.add_user``: AllowedTags from 10.9, BlockedTags), whose
listings read the tags each release reads (parental.py), and their playback settings
(``add_user(..., playback={...})``: UserConfiguration's members, users.py), and the
audio and subtitle stream each release starts for a user (``POST
/Items/{itemId}/PlaybackInfo``: stream_selection.py, playback.py; an item's streams from
``state.set_streams``, a track a user picked from ``state.remember_tracks``), and an
item's images (``/Items/{itemId}/Images/{imageType}``: posted base64-encoded by an
administrator, read by anyone, their tags in the item's ImageTags; ``state.set_image``,
``state.image``, ``state.image_writes``, a user's token from ``state.user_token``:
images.py). routes.py lists its routes.

In process::

    with FakeJellyfin(token="...", version="10.11.11", items=[...]) as fake:
        ...  # fake.url, fake.state.items(), fake.state.counters(), fake.state.saves()

As a process: ``python -m fakes.jellyfin --help``.
"""

from __future__ import annotations

from fakes.jellyfin.releases import DEFAULT_VERSION, RELEASES
from fakes.jellyfin.samples import (
    DEFAULT_LIBRARIES,
    build_library,
    build_movie,
    build_seasons,
    build_series,
)
from fakes.jellyfin.server import FakeJellyfin
from fakes.jellyfin.state import FakeJellyfinState

__all__ = [
    "DEFAULT_LIBRARIES",
    "DEFAULT_VERSION",
    "RELEASES",
    "FakeJellyfin",
    "FakeJellyfinState",
    "build_library",
    "build_movie",
    "build_seasons",
    "build_series",
]
