"""The quality profiles' changes as the pages show them (issue 82): a change's state, its
profile before and after (by the names the *arr gave them when planned), why it was
made and why it was refused, in the reader's language. Shared by the changes' list
(web.admin.wish_profiles), the mapping page (web.admin.wish_mapping) and the item's page
(web.admin.wish_item)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.models import ProfileChange
from scanner.wish_profiles import refusals
from scanner.wish_profiles import review as profile_review
from scanner.wish_profiles.words import profile_label, wish_label

State = ProfileChange.State
STATE_CLASSES = {
    State.PLANNED: "taggarr-busy",
    State.REFUSED: "taggarr-warn",
    State.WRITTEN: "taggarr-ok",
    State.FAILED: "taggarr-bad",
    State.UNDONE: "taggarr-quiet",
    State.STALE: "taggarr-quiet",
}
# The rows each action takes: planned ones are applied, written ones undone.
APPLICABLE = (State.PLANNED,)
UNDOABLE = (State.WRITTEN,)


def profile_change(change: ProfileChange) -> SafeString:
    """``HD-1080p → VFQ-1080p``; an arrow read as a word by a screen reader; a profile
    planned without its name by the name Taggarr knows now (profile_names.fill_names,
    called on the rows shown)."""
    before = profile_label(change.profile_before, change.profile_before_name)
    after = profile_label(change.profile_after, change.profile_after_name)
    return format_html(
        '{} <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> '
        "<strong>{}</strong>",
        before,
        gettext("becomes"),
        after,
    )


def state_word(change: ProfileChange) -> SafeString:
    known = change.state in State.values
    return format_html(
        '<span class="taggarr-status {}">{}</span>',
        STATE_CLASSES.get(State(change.state), "") if known else "",
        change.get_state_display(),
    )


# Each refusal as the filter names it (short); the codes are scanner.wish_profiles.refusals'.
REFUSAL_NAMES = {
    refusals.CHANGED: _("changed since planned"),
    refusals.GONE: _("item gone from the *arr"),
    refusals.ARR_REFUSED: _("refused by the *arr"),
    refusals.ARR_UNANSWERED: _("*arr not answering"),
    refusals.NOT_KEPT: _("not kept by the *arr"),
    refusals.NO_EARLIER: _("earlier profile unknown"),
    refusals.BUSY: _("item busy"),
    refusals.NO_ARR: _("*arr not reachable"),
}


def refusal_name(code: str) -> str:
    """A refusal as the filter names it (short); one of a later release by its sentence."""
    found = REFUSAL_NAMES.get(code)
    return str(found) if found is not None else refusals.refusal_text(code)


@dataclass(frozen=True)
class Row:
    """One change as the confirmation page and the item's page list it."""

    change: ProfileChange
    wish: str
    state: SafeString
    profile: SafeString
    why: str

    @classmethod
    def of(cls, change: ProfileChange) -> Row:
        return cls(
            change=change,
            wish=wish_label(change.wish),
            state=state_word(change),
            profile=profile_change(change),
            why=profile_review.why(change),
        )
