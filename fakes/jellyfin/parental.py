"""A user's parental tag limits: which items a user with ``AllowedTags`` (*Allow items
with tags*, from 10.9) or ``BlockedTags`` (*Block items with tags*) sees in a listing,
release by release, read from jellyfin/jellyfin at each tag:

- the policy: ``MediaBrowser.Model/Users/UserPolicy.cs``; ``AllowedTags`` is new in
  10.9.0 (10.8.13 has ``BlockedTags`` only). ``InternalItemsQuery.SetUser`` turns them
  into ``IncludeInheritedTags`` and ``ExcludeInheritedTags``, which the database query
  applies to every item a user lists (``GET /Items?userId=``, a series' episodes);
- 10.8.13 and 10.10.7 (``Emby.Server.Implementations/Data/SqliteItemRepository.cs``,
  ``GetWhereClauses``): the item's **own** tags (``ItemValues where ItemId=Guid``).
  One exception for the allowed tags: a query of episodes alone (``IncludeItemTypes``
  exactly ``Episode``: Next Up, Latest) also takes the tags of the item's
  ``ParentId``, its season. A series' episodes (``Series.GetEpisodes``) are asked with
  ``Episode`` and ``Season``: each episode, and its season, by its own tags. So from
  10.9 a series' tag reaches its episodes only because ``POST /Items/{seriesId}``
  copies it onto the seasons and episodes there are then (updates.py); an episode
  added later has none and is hidden;
- 10.11.11 (``Jellyfin.Server.Implementations/Item/BaseItemRepository.cs``,
  ``TranslateQuery``): the item's own tags **or its series'** (``SeriesId``), for the
  allowed and the blocked tags;
- 12.0 (``BaseItemRepository.TranslateQuery.cs`` and ``.QueryBuilding.cs``,
  ``ApplyAccessFiltering``): own, the series', **every ancestor's** (``Parents``) and
  the library's (``TopParentId``; the fake's libraries carry no tags).

Tags compare by their clean value (``GetCleanValue``: diacritics removed, lower case).
Emby is closed source: what its policy does with tags is not played (``add_user``
refuses tag limits on it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Mapping
from typing import Any

Item = Mapping[str, Any]
Lookup = Callable[[str], Item | None]

OWN, OWN_OR_SERIES, INHERITED = "own", "own-or-series", "inherited"
# release key -> (how tags are inherited, whether AllowedTags exists)
RULES: dict[str, tuple[str, bool]] = {
    "10.8.13": (OWN, False),
    "10.10.7": (OWN, True),
    "10.11.11": (OWN_OR_SERIES, True),
    "12.0.0": (INHERITED, True),
}


def clean(tag: str) -> str:
    """Jellyfin's ``GetCleanValue``: without diacritics, in lower case."""
    decomposed = unicodedata.normalize("NFKD", tag)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def check_policy(release_key: str, allowed: Collection[str], blocked: Collection[str]) -> None:
    """ValueError for limits the release has not got (or that the fake does not play)."""
    rule = RULES.get(release_key)
    if rule is None and (allowed or blocked):
        raise ValueError(f"{release_key}: tag limits are not played (closed source)")
    if rule is not None and allowed and not rule[1]:
        raise ValueError(f"{release_key} has no AllowedTags (new in 10.9)")


def _tags(item: Item | None) -> set[str]:
    return {clean(tag) for tag in (item or {}).get("Tags") or [] if tag.strip()}


def _counted_tags(release_key: str, item: Item, lookup: Lookup, episodes_only: bool) -> set[str]:
    """The tags the release's query looks at for ``item``."""
    rule = RULES[release_key][0]
    tags = _tags(item)
    if rule == OWN:
        if episodes_only:  # the allowed tags' one exception (the caller uses it so)
            tags |= _tags(lookup(str(item.get("ParentId") or "")))
        return tags
    if item.get("SeriesId"):
        tags |= _tags(lookup(str(item["SeriesId"])))
    if rule == INHERITED:
        parent, seen = lookup(str(item.get("ParentId") or "")), 0
        while parent is not None and seen < 10:
            tags |= _tags(parent)
            parent, seen = lookup(str(parent.get("ParentId") or "")), seen + 1
    return tags


def sees(
    release_key: str,
    policy: Mapping[str, Any],
    item: Item,
    lookup: Lookup,
    types: Collection[str] = (),
) -> bool:
    """Whether a user of ``policy`` gets ``item`` in a listing of ``types`` (lower-case
    ``IncludeItemTypes``; empty: every type)."""
    allowed = {clean(tag) for tag in policy.get("AllowedTags") or [] if tag.strip()}
    blocked = {clean(tag) for tag in policy.get("BlockedTags") or [] if tag.strip()}
    if release_key not in RULES or not (allowed or blocked):
        return True
    if blocked & _counted_tags(release_key, item, lookup, episodes_only=False):
        return False
    episodes_only = set(types) == {"episode"}
    return not allowed or bool(allowed & _counted_tags(release_key, item, lookup, episodes_only))
