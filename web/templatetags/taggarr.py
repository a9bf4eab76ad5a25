"""The admin's template filters (``{% load taggarr %}``), also used by its Python code.

Tags as coloured badges: ``<span class="tag-badge tag-dub">dub</span>``. This is the one
place that turns a tag into HTML; the colours are in taggarr/admin.css. The class comes
from a fixed table, never from the value, and the value is escaped.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from scanner.engine.verdict import Tag

register = template.Library()

BADGE_CLASSES = {
    Tag.DUB.value: "tag-dub",
    Tag.SEMI_DUB.value: "tag-semi-dub",
    Tag.WRONG_DUB.value: "tag-wrong-dub",
    Tag.NONE.value: "tag-none",
}
OTHER_CLASS = "tag-other"


@register.filter
def tag_badge(tag: str | None) -> SafeString:
    """``{{ media.applied_tag|tag_badge }}``: a tag as a badge; an empty tag is "none"."""
    shown = tag or Tag.NONE.value
    return format_html(
        '<span class="tag-badge {}">{}</span>', BADGE_CLASSES.get(shown, OTHER_CLASS), shown
    )
