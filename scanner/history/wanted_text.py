"""The event of a person's choice of an item's wanted languages (scanner.actions.
wanted_languages writes it; its data: scanner.models.choice_events), as a sentence in the
reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from scanner.language_names import language_list
from scanner.models import Event
from scanner.models.choice_events import event_wanted


def wanted_text(event: Event, data: Mapping[str, Any], by: str) -> str | None:
    """``Akira: wanted languages set by alice: German and French``; None when the event
    is not such a choice. ``by``: " by alice ..." or ""."""
    found, value = event_wanted(data)
    if not found:
        return None
    values = {
        "title": event.media.title if event.media is not None else gettext("an item"),
        "by": by,
    }
    if value is None:
        return gettext("%(title)s: wanted languages set to the instance's%(by)s") % values
    if isinstance(value, list):
        values["languages"] = language_list(value) or "-"
        # The list after a colon: no language's name needs an article or a case from the
        # sentence ("langues voulues fixées par alice : allemand et français").
        text = ngettext(
            "%(title)s: wanted language set%(by)s: %(languages)s",
            "%(title)s: wanted languages set%(by)s: %(languages)s",
            len({str(code) for code in value}),
        )
        return text % values
    return gettext("%(title)s: wanted languages set to original only%(by)s") % values
