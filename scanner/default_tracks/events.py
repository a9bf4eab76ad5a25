"""A file's default flags written, undone, or failed, kept in the history (Event.Kind
.DEFAULT_TRACK). The data holds figures and codes only (scanner.models.event_data); the
pages make the sentence when they show it (scanner.default_tracks.event_text), the
English ``message`` is the log's."""

from __future__ import annotations

import os
from typing import Any

from scanner.default_tracks.refusals import REFUSALS, VERIFY_NOT_UNDONE
from scanner.models import DefaultTrackChange, Event
from scanner.models import event_data as codes
from scanner.names import display


def record(change: DefaultTrackChange, what: str, *, by: str = "", via: str = "") -> Event:
    """The event of one file's change (``what``: written, undone, failed)."""
    name = display(os.path.basename(change.path))
    data: dict[str, Any] = {
        "what": what,
        "change": change.pk,
        "file": name,
        "audio_before": change.audio_before,
        "audio_before_language": change.audio_before_language,
        "audio_after": change.audio_after,
        "audio_after_language": change.audio_after_language,
        "subtitle_before": change.subtitle_before,
        "subtitle_after": change.subtitle_after,
    }
    if change.media is not None:
        data["title"] = change.media.title
    if what == codes.DEFAULT_TRACK_FAILED:
        data["refusal"] = change.refusal
        if change.detail.get("verify"):
            data["verify"] = change.detail["verify"]
        if change.detail.get("not_undone"):
            data["not_undone"] = change.detail["not_undone"]
    if by:
        data["user"] = by
    if via:
        data["via"] = via
    message = _message(name, what, change)
    return Event.objects.create(
        instance_id=change.instance_id,
        media_id=change.media_id,
        run_id=change.run_id,
        kind=Event.Kind.DEFAULT_TRACK,
        message=message,
        data=data,
    )


def _message(name: str, what: str, change: DefaultTrackChange) -> str:
    """English, for the log and the command line."""
    if what == codes.DEFAULT_TRACK_FAILED and change.refusal == VERIFY_NOT_UNDONE:
        why = change.detail.get("not_undone", "?")
        return f"{name}: default track change read otherwise and not undone ({why}): undo it"
    if what == codes.DEFAULT_TRACK_FAILED:
        reason = change.refusal if change.refusal in REFUSALS else "failed"
        return f"{name}: default track not set ({reason}): undone"
    audio = f"audio {change.audio_before} -> {change.audio_after}"
    if what == codes.DEFAULT_TRACK_UNDONE:
        return f"{name}: default track change undone ({audio} put back)"
    return f"{name}: default track set ({audio})"
