"""Each act's row on the Changes page (web.admin.changes) as its own page shows it. The
words are the review line's, made once in the act's folder (its review.py: the row's
"why" is the one its own page says); what is here is only their markup, the state's
badge and the before → after, with its own page's helpers. Keyed by the act's name
(scanner.changes' Act.name): an act without an entry is shown from its line alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from scanner.changes.review import Entry, ReviewLine
from web.admin import default_tracks, wish_words


@dataclass(frozen=True)
class Cells:
    """A row's words as its act's page says them: the state's badge, what it moves from
    and to (each with its name: "Audio", "Subtitles", "quality profile"), and why."""

    state: SafeString
    shifts: list[tuple[str, SafeString | str]]
    why: str


def _default_tracks(change: Any, line: ReviewLine) -> Cells:
    """Its file's default audio and subtitle track (none while its header was never
    read), named as the line names them ("Audio", "Subtitles": the page's columns)."""
    said = (default_tracks.audio_change(change), default_tracks.subtitle_change(change))
    return Cells(
        state=default_tracks.state_word(change),
        shifts=[(shift.label, html) for shift, html in zip(line.shifts, said, strict=False)],
        why=line.why,
    )


def _wish_profiles(change: Any, line: ReviewLine) -> Cells:
    """The *arr's profiles by their names (the line's rows were named: fill_names)."""
    return Cells(
        state=wish_words.state_word(change),
        shifts=[(shift.label, wish_words.profile_change(change)) for shift in line.shifts],
        why=line.why,
    )


CELLS: dict[str, Callable[[Any, ReviewLine], Cells]] = {
    "default_tracks": _default_tracks,
    "wish_profiles": _wish_profiles,
}


def from_line(line: ReviewLine) -> Cells:
    """An act the page has no helpers for: its review line's own words."""
    return Cells(
        state=format_html('<span class="taggarr-status">{}</span>', line.state_label),
        shifts=[
            (shift.label, default_tracks.before_after(shift.before, shift.after))
            for shift in line.shifts
        ],
        why=line.why or line.refusal_text,
    )


def cells(entries: Sequence[Entry]) -> list[Cells]:
    """Each entry's cells, in order."""
    found = []
    for entry in entries:
        own = CELLS.get(entry.act.name)
        found.append(own(entry.row, entry.line) if own is not None else from_line(entry.line))
    return found
