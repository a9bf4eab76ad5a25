"""The look an item's badges are drawn in: its instance's corner and size options."""

from __future__ import annotations

from scanner.badges.draw import Style, style_of
from scanner.models import Media

__all__ = ["style"]


def style(media: Media) -> Style:
    """The look the item's instance asks for (its corner, size and look options)."""
    instance = media.instance
    return style_of(instance.badges_corner, instance.badges_size, instance.badges_look)
