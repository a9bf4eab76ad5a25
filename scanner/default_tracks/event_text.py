"""A DEFAULT_TRACK event (a file's default flags written, undone, or failed:
scanner.default_tracks) as one sentence in the reader's language, made when shown from
the event's codes and figures (scanner.models.event_data); the refusal's words are the
feature's own (scanner.default_tracks.refusals). Published as ``SENTENCES``, which the
wiring registers (scanner.reports.sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from scanner.default_tracks.refusals import VERIFY, VERIFY_NOT_UNDONE, refusal_text
from scanner.event_words import Sentences, by_text
from scanner.language_names import inner_name
from scanner.models import Event
from scanner.models import event_data as codes


def track_words(position: Any, language: Any) -> str:
    """``track 3 (French (Canada))``, or ``no track`` when none was flagged."""
    if not isinstance(position, int) or isinstance(position, bool):
        return gettext("no track")
    if isinstance(language, str) and language:
        return gettext("track %(number)d (%(language)s)") % {
            "number": position,
            "language": inner_name(language),  # in brackets: no brackets of its own
        }
    return gettext("track %(number)d") % {"number": position}


def default_track_text(event: Event, data: Mapping[str, Any], by: str = "") -> str:
    """The event's sentence; ``by``: who, as the events' sentences say it (`` by alice
    from the command line``)."""
    what = data.get("what")
    values = {
        "file": str(data.get("file") or "?"),
        "before": track_words(data.get("audio_before"), data.get("audio_before_language")),
        "after": track_words(data.get("audio_after"), data.get("audio_after_language")),
        "by": by,
    }
    if what == codes.DEFAULT_TRACK_WRITTEN:
        text = gettext("%(file)s: the default audio track is now %(after)s, was %(before)s%(by)s")
    elif what == codes.DEFAULT_TRACK_UNDONE:
        text = gettext(
            "%(file)s: the default track change was undone: %(before)s is the default again%(by)s"
        )
    else:
        code = str(data.get("refusal") or VERIFY)
        detail = {"verify": data.get("verify", "?"), "not_undone": data.get("not_undone", "?")}
        why = refusal_text(code, detail)
        if code == VERIFY_NOT_UNDONE:
            text = gettext("%(file)s: the default track change failed and was not undone: %(why)s")
            return text % {"file": values["file"], "why": why}
        return gettext("%(file)s: the default track was not set: %(why)s") % {
            "file": values["file"],
            "why": why,
        }
    return text % values


def default_track_sentence(event: Event, data: Mapping[str, Any]) -> str:
    """A file's default track written, undone or failed, and who asked."""
    return default_track_text(event, data, by_text(data))


# The kinds of event the default tracks tell (registered by the wiring: scanner.apps).
SENTENCES: Sentences = {Event.Kind.DEFAULT_TRACK: default_track_sentence}
