"""Why an item's quality profile was not written or not undone, as codes
(ProfileChange.refusal) and the sentences the pages show for them, in the reader's
language (issue 82: "the *arr's errors named")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.language_names import spoken_list

CHANGED = "changed"  # the item's profile in the *arr is no longer the one planned from
GONE = "gone"  # the *arr has no such item any more (404)
ARR_REFUSED = "arr-refused"  # the *arr answered 4xx (detail "messages": its own words)
ARR_UNANSWERED = "arr-unanswered"  # no answer, or 5xx, after the retries (detail "error")
NOT_KEPT = "not-kept"  # the *arr answered, but read back the item has another profile
NO_EARLIER = "no-earlier"  # undo: the profile before is not known
BUSY = "busy"  # undo: another task plans or writes the item now
NO_ARR = "no-arr"  # the instance cannot be reached (its settings: detail "error")

# Refused, and planned again by the next run (the *arr may answer then).
PLANNED_AGAIN = frozenset({ARR_UNANSWERED, NO_ARR, BUSY})

REFUSALS: dict[str, Any] = {
    CHANGED: _(
        "the item's quality profile in the *arr changed since it was planned: nothing was written"
    ),
    GONE: _("the *arr no longer has this item"),
    ARR_REFUSED: _("the *arr refused the change: %(messages)s"),
    ARR_UNANSWERED: _(
        "the *arr did not answer, even after retries: nothing is lost, it is planned again "
        "at the next scan"
    ),
    NOT_KEPT: _("the *arr answered, but the item still has another quality profile"),
    NO_EARLIER: _("the quality profile it had before is not known"),
    BUSY: _("another task is changing this item's quality profile: try again in a moment"),
    NO_ARR: _("the *arr could not be asked: %(error)s"),
}


def refusal_text(code: str, detail: Mapping[str, Any] | None = None) -> str:
    """The sentence for a refusal ``code`` with its ``detail`` (ProfileChange.detail)."""
    detail = detail if isinstance(detail, Mapping) else {}
    text = REFUSALS.get(code)
    if text is None:
        return gettext("not changed (%(code)s)") % {"code": code}
    messages = detail.get("messages")
    said = (
        [str(m) for m in messages if isinstance(m, str)][:5]
        if isinstance(messages, Sequence) and not isinstance(messages, str)
        else []
    )
    values = {
        "messages": spoken_list(said) if said else str(detail.get("error") or "?"),
        "error": str(detail.get("error") or "?"),
    }
    return str(text) % values if "%(" in str(text) else str(text)
