"""The admin: the UI users live in. Tracking models (runs, files, events) are read-only.

One module per area; importing them registers the ModelAdmins.
"""

from __future__ import annotations

from web.admin import (
    artwork,
    badges,
    default_tracks,
    feeds,
    household,
    instances,
    media,
    media_servers,
    notifiers,
    permissions,
    runs,
    searches,
    seerr,
    tracking,
    wish_profiles,
)

# The site itself (titles, the home's grouping) is web.admin_site.TaggarrAdminSite.

__all__ = [
    "artwork", "badges", "default_tracks", "feeds", "household", "instances", "media",
    "media_servers", "notifiers", "permissions", "runs", "searches", "seerr", "tracking",
    "wish_profiles",
]  # fmt: skip
