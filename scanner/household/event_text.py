"""The household's events as sentences in the reader's language: one run of the step that
sets each person's track in Plex, for one account (TRACKS_SET), said as the person page
says it (scanner.reports.track_run_text, the media servers' problems as the events say
them). Published as ``SENTENCES``, which the wiring registers (scanner.reports.sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.event_words import Sentences
from scanner.models import Event
from scanner.reports.event_sentences import SERVER_PROBLEMS
from scanner.reports.track_run_text import TrackRunFacts, tracks_set_text


def tracks_set(event: Event, data: Mapping[str, Any]) -> str:
    """Whose tracks were set in Plex, how many files, or why none."""
    return tracks_set_text(TrackRunFacts.from_event_data(data), SERVER_PROBLEMS)


# The kinds of event the household tells (registered by the wiring: scanner.apps).
SENTENCES: Sentences = {Event.Kind.TRACKS_SET: tracks_set}
