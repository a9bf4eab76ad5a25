"""How an item's badges look and what they say beyond its dubs: its instance's options
(the corner, size and look; the original's and the subtitles' badges on request)."""

from __future__ import annotations

from scanner.badges.draw import Style, style_of
from scanner.badges.says import Badge, item_badges
from scanner.models import Media

__all__ = ["badges", "style"]


def style(media: Media) -> Style:
    """The look the item's instance asks for (its corner, size and look options)."""
    instance = media.instance
    return style_of(instance.badges_corner, instance.badges_size, instance.badges_look)


def badges(media: Media) -> tuple[Badge, ...]:
    """What the item's own poster says: its dubs, and the original's and the subtitles'
    badges when its instance asks for them."""
    instance = media.instance
    return item_badges(
        media.language_verdicts,
        media.verdict_reasons,
        media.subtitle_verdicts,
        original=media.effective_original,
        with_original=instance.badges_original,
        with_subtitles=instance.badges_subtitles,
    )
