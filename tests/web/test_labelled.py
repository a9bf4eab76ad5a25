"""A label and its value joined by the catalog's words (web/labelled.py, issue 84): French
puts a no-break space before the colon, every value is escaped unless safe already."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import format_html

from web.labelled import label_value, label_value_html, side_by_side


def test_french_joins_a_label_with_a_no_break_space_before_the_colon() -> None:
    assert label_value("Failed", "HTTP 500") == "Failed: HTTP 500"
    with translation.override("fr"):
        assert label_value("Échec", "HTTP 500") == "Échec\u00a0: HTTP 500"
        assert side_by_side("3 analysés", "2 inchangés") == "3 analysés, 2 inchangés"


def test_the_pages_pair_escapes_the_data_and_keeps_a_badge() -> None:
    badge = format_html('<span class="tag-badge">{}</span>', "dub")
    with translation.override("fr"):
        shown = label_value_html("<b>Dark</b>", badge)
    assert shown == '&lt;b&gt;Dark&lt;/b&gt;\u00a0: <span class="tag-badge">dub</span>'
