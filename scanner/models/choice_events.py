"""The data keys of the events that record a person's choice, and their readers:
scanner.actions writes these events, scanner.history tells them in the reader's
language. Declared here, below both, so that the history never imports the actions (an
import contract; issue 80)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.engine.targets import ORIGINAL_ONLY

# A CONFIG event's data key that says a saved key was used, and for what
# (scanner.actions.saved_keys).
SAVED_KEY_USED = "saved_key_used"

# An item's wanted languages chosen (scanner.actions.wanted_languages): the choice as
# the API gives it, None, "original" or a list of targets.
WANTED_LANGUAGES = "wanted_languages"

# A variety settled for an item's tracks of unknown variety
# (scanner.actions.settled_varieties): {"language": ..., "as": variety, NOT or ""}.
SETTLED_VARIETY = "settled_variety"


def event_wanted(data: Mapping[str, Any]) -> tuple[bool, str | list[str] | None]:
    """(whether the event data is a wanted-languages choice, the choice)."""
    if WANTED_LANGUAGES not in data:
        return False, None
    value = data[WANTED_LANGUAGES]
    if value is None or value == ORIGINAL_ONLY:
        return True, value
    if isinstance(value, list):
        return True, [str(code) for code in value]
    return False, None


def settled_fields(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(language, variety or ``NOT`` or "") of a settlement's event data; None when the
    data is not one."""
    said = data.get(SETTLED_VARIETY)
    if not isinstance(said, Mapping):
        return None
    language, value = said.get("language"), said.get("as")
    if not isinstance(language, str) or not isinstance(value, str):
        return None
    return language, value
