"""The Emby client: Jellyfin's item API for reading (jellyfin.py), Emby's own for tags.

Emby is closed source; what follows is *inferred* from its published SDK and clients
(docs/media-servers.md, "Emby"): an item's tags are in ``TagItems``
(``[{"Name", "Id"}]``; ``Tags`` is null on 4.9), and ``POST /Items/{Id}/Tags/Add`` and
``POST /Items/{Id}/Tags/Delete`` (Emby's TagService, body
``{"Tags": [{"Name": ..., "Id": ...}]}``) change them, so the item is never posted
back whole. The token goes in ``X-Emby-Token`` (jellyfin_http.py). Its users and their
playback settings are Jellyfin's (jellyfin_users.py), listed as accounts of kind "emby".
"""

from __future__ import annotations

from scanner.media_servers.clients.base import MediaServerError, ServerItem
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.clients.jellyfin_items import LIST_FIELDS

__all__ = ["EmbyClient"]


class EmbyClient(JellyfinClient):
    """One connection to an Emby server. Not for concurrent use."""

    product = "Emby Server"
    list_fields = f"{LIST_FIELDS},TagItems"
    account_kind = "emby"

    def set_original_language(
        self, item: ServerItem, language: str, *, ours: str | None = None
    ) -> bool:
        """Emby's published API has no original language to set (jellyfin_original.py)."""
        raise MediaServerError(f"{self.config.name}: Emby's API takes no original language")

    def set_tags(self, item: ServerItem, add: set[str], remove: set[str]) -> bool:
        """Add and remove only these tags (compared ignoring case), reading the item's
        tags first; false when it had them already (nothing sent)."""
        row = self.read_item(item, "Tags,TagItems")
        named = [{"Name": tag} for tag in self.listed(item, row.get("Tags"), "Tags")]
        current = self.listed(item, row.get("TagItems"), "TagItems") or named
        have = {
            str(tag.get("Name") or "").casefold(): tag for tag in current if isinstance(tag, dict)
        }
        added = {tag.casefold() for tag in add}
        to_add = sorted(tag for tag in add if tag.casefold() not in have)
        gone = {tag.casefold() for tag in remove} - added
        to_remove = [tag for name, tag in sorted(have.items()) if name in gone]
        if to_add:
            self.post(item, f"/Items/{item.id}/Tags/Add", {"Tags": [{"Name": t} for t in to_add]})
        if to_remove:
            self.post(item, f"/Items/{item.id}/Tags/Delete", {"Tags": to_remove})
        return bool(to_add or to_remove)

    def _legacy_auth(self) -> bool | None:
        return None  # Jellyfin's setting
