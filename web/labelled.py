"""A label and its value, or two parts side by side, joined by the catalog's words (issue
84): a template or a page's code that glued them with ": " or ", " broke French
typography (a no-break space before the colon: "Échec\u00a0: …") and every language's
own order. Each join is one message whose separator the translator writes."""

from __future__ import annotations

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext


def label_value(label: object, value: object) -> str:
    """ "Failed: connection refused", "Échec\u00a0: connection refused"."""
    return pgettext("a label and its value", "%(name)s: %(value)s") % {
        "name": label,
        "value": value,
    }


def side_by_side(first: object, second: object) -> str:
    """Two parts of one line, "3 scanned, 2 unchanged"."""
    return pgettext("two counts side by side", "%(first)s, %(second)s") % {
        "first": first,
        "second": second,
    }


def label_value_html(label: object, value: object) -> SafeString:
    """:func:`label_value` for a page: the label and the value escaped unless safe
    already (a badge), the catalog's words escaped."""
    words = conditional_escape(pgettext("a label and its value", "%(name)s: %(value)s"))
    shape = words.replace("{", "{{").replace("}", "}}")
    return format_html(
        shape.replace("%(name)s", "{name}").replace("%(value)s", "{value}"),
        name=label,
        value=value,
    )
