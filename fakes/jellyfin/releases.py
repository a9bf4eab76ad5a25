"""The releases the fake plays, selected by ``--version``: Jellyfin 10.8, 10.10, 10.11
and 12.0, and Emby 4.9 (whose item API Jellyfin forked from).

Each is written from that release's sources (jellyfin/jellyfin at its tag; Emby is
closed source: its entry is *inferred* from Emby's published SDK and clients), as
docs/media-servers.md lists them ("Releases the fake plays"):

- ``update_item``: what ``POST /Items/{itemId}`` does (updates.py);
- ``legacy_auth``: whether ``X-Emby-Token``, ``X-MediaBrowser-Token``, ``api_key``,
  ``X-Emby-Authorization`` and the ``Emby`` scheme are taken: always before 10.11,
  then the ``EnableLegacyAuthorization`` setting, on by default in 10.11 and off in 12
  (Jellyfin.Server.Implementations/Security/AuthorizationContext.cs);
- ``has_legacy_switch``: whether that setting exists (``GET /System/Configuration``);
- ``emby_prefix``: whether ``/emby`` and ``/mediabrowser`` before a route are removed
  (LegacyEmbyRouteRewriteMiddleware, gone in 12);
- ``item_by_query_user``: ``GET /Items/{itemId}?userId=`` (UserLibraryController,
  from 10.9; without a userId an API key gets 400);
- ``emby_tags``: Emby's tags: ``TagItems`` in the item, ``Tags`` null,
  ``POST /Items/{Id}/Tags/Add`` and ``/Tags/Delete``.

10.9 is not listed: its UpdateItem, auth and routes are 10.10's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypedDict

from fakes.jellyfin import updates

Item = dict[str, Any]
UpdateItem = Callable[[Item, Mapping[str, Any], list[Item], list[Item]], None]
JELLYFIN = "Jellyfin Server"
EMBY = "Emby Server"


@dataclass(frozen=True)
class JellyfinRelease:
    key: str  # what --version takes
    product: str
    version: str  # as GET /System/Info reports it
    update_item: UpdateItem
    legacy_auth: bool  # its default, where there is a switch
    has_legacy_switch: bool = False
    emby_prefix: bool = True
    item_by_query_user: bool = True
    emby_tags: bool = False

    @property
    def is_emby(self) -> bool:
        return self.product == EMBY


_PLAYED = (
    JellyfinRelease("10.8.13", JELLYFIN, "10.8.13", updates.update_10_8, True),
    JellyfinRelease("10.10.7", JELLYFIN, "10.10.7", updates.update_10_10, True),
    JellyfinRelease("10.11.11", JELLYFIN, "10.11.11", updates.update_10_11, True),
    JellyfinRelease("12.0.0", JELLYFIN, "12.0.0", updates.update_12_0, False),
    JellyfinRelease("emby-4.9.0.22", EMBY, "4.9.0.22", updates.update_emby, True),
)


class _Differences(TypedDict, total=False):
    """A release's switches that differ from JellyfinRelease's defaults."""

    has_legacy_switch: bool
    emby_prefix: bool
    item_by_query_user: bool
    emby_tags: bool


_DIFFERENCES: dict[str, _Differences] = {
    "10.8.13": {"item_by_query_user": False},
    "10.11.11": {"has_legacy_switch": True},
    "12.0.0": {"has_legacy_switch": True, "emby_prefix": False},
    "emby-4.9.0.22": {"item_by_query_user": False, "emby_tags": True},
}
RELEASES: dict[str, JellyfinRelease] = {
    played.key: replace(played, **_DIFFERENCES.get(played.key, {})) for played in _PLAYED
}
DEFAULT_VERSION = "12.0.0"


def release(key: str) -> JellyfinRelease:
    """The release ``key`` names; ValueError for one the fake does not play."""
    try:
        return RELEASES[key]
    except KeyError:
        played = ", ".join(RELEASES)
        raise ValueError(
            f"the fake Jellyfin plays {played}, not {key!r} (its update rules differ)"
        ) from None
