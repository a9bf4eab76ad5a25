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
from scanner.models.choices import ScanStatus

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


# A run's status as a coloured word (the colours are AA text colours, admin.css).
STATUS_CLASSES = {
    "succeeded": "taggarr-ok",
    "partial": "taggarr-warn",
    "failed": "taggarr-bad",
    "interrupted": "taggarr-warn",
    "cancelled": "taggarr-quiet",
    "queued": "taggarr-busy",
    "running": "taggarr-busy",
    "applying": "taggarr-busy",
}


@register.filter
def status_word(status: str | None) -> SafeString | str:
    """``{{ run.status|status_word }}``: "failed" in red, "succeeded" in green."""
    if not status:
        return "-"
    label = dict(ScanStatus.choices).get(status, status)
    return format_html(
        '<span class="taggarr-status {}">{}</span>', STATUS_CLASSES.get(status, ""), label
    )
