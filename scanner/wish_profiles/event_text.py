"""A PROFILE event (an item's quality profile written, undone, not written, changed by
hand in the *arr, or given back to its wish; the mapping saved: scanner.wish_profiles)
as one sentence in the reader's language, made when shown from the event's codes and the
profiles' names as the *arr gave them (scanner.models.event_data); the refusal's words
and the saved mapping's (each wish with its profiles) are the feature's own
(scanner.wish_profiles.refusals, scanner.wish_profiles.words.mapping_text). Published as
``SENTENCES``, which the wiring registers (scanner.reports.sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from scanner.event_words import Sentences, by_text
from scanner.models import Event, ProfileChange
from scanner.models import event_data as codes
from scanner.wish_profiles.refusals import ARR_UNANSWERED, refusal_text

Reason = ProfileChange.Reason


def profile_text(profile_id: Any, name: Any) -> str:
    """A quality profile as the *arr named it (``VFQ``), or by its id when no name is
    known (``profile 7``)."""
    if isinstance(name, str) and name:
        return name
    if isinstance(profile_id, int) and not isinstance(profile_id, bool):
        return gettext("profile %(id)d") % {"id": profile_id}
    return gettext("an unknown profile")


def profile_change_text(event: Event, data: Mapping[str, Any], by: str = "") -> str:
    """The event's sentence; ``by``: who, as the events' sentences say it (`` by alice
    from the command line``)."""
    what = data.get("what")
    values = {
        "title": str(data.get("title") or "?"),
        "before": profile_text(data.get("before"), data.get("before_name")),
        "after": profile_text(data.get("after"), data.get("after_name")),
        "asked_by": str(data.get("asked_by") or "?"),
        "by": by,
    }
    if what == codes.PROFILE_MAPPING:
        # Loaded when a mapping is told, not at every process's start (the wiring loads this
        # module at app ready): the mapping's words import the guard's judge, its sample
        # releases and the *arr client.
        from scanner.wish_profiles.words import mapping_text

        return mapping_text(event, data, by)
    if what == codes.PROFILE_HAND:
        return (
            gettext(
                "%(title)s: its quality profile was changed in the *arr: Taggarr leaves it alone "
                "until someone lets it follow its wish again"
            )
            % values
        )
    if what == codes.PROFILE_RELEASED:
        return gettext("%(title)s: its quality profile follows its wish again%(by)s") % values
    if what == codes.PROFILE_UNDONE:
        return (
            gettext(
                "%(title)s: the quality profile change was undone: it has %(before)s again%(by)s"
            )
            % values
        )
    if what == codes.PROFILE_WRITTEN:
        if data.get("reason") == Reason.ARRIVED:
            text = gettext(
                "%(title)s: its dub arrived, so it has its earlier quality profile "
                "%(after)s again%(by)s"
            )
        elif data.get("reason") == Reason.SEERR and data.get("asked_by"):
            text = gettext(
                "%(title)s: its quality profile is now %(after)s, was %(before)s, as "
                "%(asked_by)s asked"
            )
        else:
            text = gettext("%(title)s: its quality profile is now %(after)s, was %(before)s%(by)s")
        return text % values
    detail = data.get("detail")
    why = refusal_text(
        str(data.get("refusal") or ARR_UNANSWERED), detail if isinstance(detail, Mapping) else {}
    )
    return gettext("%(title)s: the quality profile %(after)s was not set: %(why)s") % {
        **values,
        "why": why,
    }


def profile_change_sentence(event: Event, data: Mapping[str, Any]) -> str:
    """An item's quality profile written, undone, failed, changed by hand or given back
    to its wish, and who asked."""
    return profile_change_text(event, data, by_text(data))


# The kinds of event the quality profiles tell (registered by the wiring: scanner.apps).
SENTENCES: Sentences = {Event.Kind.PROFILE: profile_change_sentence}
