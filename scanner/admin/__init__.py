"""The admin: the UI users live in. Tracking models (runs, files, events) are read-only.

One module per area; importing them registers the ModelAdmins.
"""

from __future__ import annotations

from django.contrib import admin

from scanner.admin import instances, media, media_servers, notifiers, runs, tracking

admin.site.site_header = "Taggarr"
admin.site.site_title = "Taggarr"
admin.site.index_title = "Instances, media and scans"
admin.site.site_url = None  # "/" only leads back to the admin

__all__ = ["instances", "media", "media_servers", "notifiers", "runs", "tracking"]
