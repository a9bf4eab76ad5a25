"""The quality profiles in the one review of every act's changes (scanner.changes.review):
an item's change said as its page says it (the *arr's profiles by their names before and
after, the names Taggarr knows now filled in: profile_names.fill_names; its state, its
refusal's sentence: scanner.wish_profiles.refusals)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from scanner.changes.lines import Review, ReviewLine, Shift
from scanner.models import ProfileChange
from scanner.wish_profiles import refusals
from scanner.wish_profiles.profile_names import fill_names
from scanner.wish_profiles.words import profile_label

State = ProfileChange.State


def label() -> str:
    """The act's name as its page is titled."""
    return gettext("Quality profiles")


def why(change: ProfileChange) -> str:
    """Why the change was refused or failed, else why it was made (its reason, and who
    asked in Seerr), as its page and the Changes page say it."""
    if change.refusal:
        return capfirst(refusals.refusal_text(change.refusal, change.detail or {}))
    if change.reason == ProfileChange.Reason.SEERR and change.asked_by:
        return gettext("Asked in Seerr: %(asker)s.") % {"asker": change.asked_by}
    return capfirst(str(change.get_reason_display()))


def line(change: ProfileChange) -> ReviewLine:
    return ReviewLine.of(
        change,
        act="wish_profiles",
        act_label=label(),
        title=change.media.title if change.media is not None else change.title,
        subject="",
        shifts=(
            Shift(
                "profile",
                gettext("quality profile"),
                profile_label(change.profile_before, change.profile_before_name),
                profile_label(change.profile_after, change.profile_after_name),
            ),
        ),
        refusal_text=refusals.refusal_text,
        why=why(change),
        undoable=change.state == State.WRITTEN,
    )


def lines(changes: Sequence[ProfileChange]) -> list[ReviewLine]:
    """The rows said, each profile planned without a name by the name known now (read
    once per instance: fill_names)."""
    fill_names(changes)
    return [line(change) for change in changes]


def planned(count: int) -> str:
    """What applying ``count`` planned rows does (the guided setup's last step)."""
    return ngettext(
        "%(count)d item gets the quality profile that grabs its dub.",
        "%(count)d items get the quality profile that grabs their dub.",
        count,
    ) % {"count": count}


REVIEW = Review(label=label, lines=lines, planned=planned)
