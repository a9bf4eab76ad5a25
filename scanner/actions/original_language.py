"""A person's word on an item's original language (the admin and the API call this).

The *arr may report English for an original it does not know; the scan offers the
language every file starts with (``Media.original_suggestion``), and a person
confirms it here, or sets any other. The override is kept across scans, and the
verdict is decided again at once from the stored tracks, without probing; the
admin and the API then write it at once (scanner.actions.write_now).
"""

from __future__ import annotations

from scanner.engine.languages import language_name
from scanner.models import Event, Media
from scanner.models.choices import Via
from scanner.pipeline.scanning.decide import redecide


def set_original_override(media: Media, code: str, *, user: str, via: Via) -> Media:
    """``code`` is canonical (validated by the caller); "" clears the override."""
    if code == media.original_override:
        return media
    media.original_override = code
    media.save(update_fields=["original_override", "updated_at"])
    redecide(media)
    what = f"set to {language_name(code)} ({code})" if code else "reset to the *arr's"
    Event.objects.create(
        instance=media.instance,
        media=media,
        kind=Event.Kind.CONFIG,
        message=f"{media.title}: original language {what} by {user} ({via})",
        data={"original_override": code, "user": user, "via": via},
    )
    return media
