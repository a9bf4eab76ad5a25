"""``{% media_artwork media "poster" as art %}``: the address and size of an item's
stored poster or fanart (web.artwork), or None for the placeholder. A list annotates
``poster_digest`` (web.admin.media_grid) and costs no query per item."""

from __future__ import annotations

from typing import Any

from django import template

from scanner.arr.covers import COVER_HEIGHTS
from scanner.models import Artwork, Media
from web.artwork import artwork_url

register = template.Library()

# The box each kind is shown in (its thumbnail is scaled into it: scanner.artwork).
SHOWN: dict[str, tuple[int, int]] = {"poster": (167, 250), "fanart": (640, 360)}
_MISSING = object()


@register.simple_tag
def media_artwork(media: Media, kind: str) -> dict[str, Any] | None:
    if kind not in COVER_HEIGHTS or media is None:
        return None
    digest = getattr(media, f"{kind}_digest", _MISSING)
    if digest is _MISSING:
        found = Artwork.objects.filter(media=media, kind=kind).values_list("digest", flat=True)
        digest = next(iter(found), None)
    if not digest:
        return None
    width, height = SHOWN[kind]
    return {"url": artwork_url(media.pk, kind, str(digest)), "width": width, "height": height}
