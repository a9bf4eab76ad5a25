"""The look an item's badges are drawn in: its instance's corner and size options."""

from __future__ import annotations

from scanner.badges.draw import Style, style_of
from scanner.models import Media

__all__ = ["style"]


def style(media: Media) -> Style:
    """The look the item's instance asks for (its corner and size options)."""
    return style_of(media.instance.badges_corner, media.instance.badges_size)
