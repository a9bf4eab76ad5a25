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
from scanner.models import Media
from scanner.models.choices import ScanStatus
from scanner.reports.tag_change_text import tag_word
from web.labelled import label_value_html
from web.language_chips import render as language_chips_html

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
    """``{{ media.applied_tag|tag_badge }}``: a tag as a badge; no tag (``none``, or
    never written) is "no tag" in the reader's language, never the word ``none``."""
    state = tag or Tag.NONE.value
    return format_html(
        '<span class="tag-badge {}">{}</span>', BADGE_CLASSES.get(state, OTHER_CLASS), tag_word(tag)
    )


@register.simple_tag
def labelled(label: object, value: object, css: str = "") -> SafeString:
    """``{% labelled label value "taggarr-bad" %}``: a label and its value joined by the
    catalog's words (web.labelled), the label in a span of ``css`` when given."""
    shown = format_html('<span class="{}">{}</span>', css, label) if css else label
    return label_value_html(shown, value)


@register.filter
def language_chips(media: Media) -> SafeString:
    """``{{ media|language_chips }}``: each target language's state of the item as a
    chip (web.language_chips)."""
    return language_chips_html(media)


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
