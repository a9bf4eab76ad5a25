"""An item's quality profile written, undone, failed, changed by hand or given back to
its wish, kept in the history (Event.Kind.PROFILE). The data holds figures, names the
*arr gave and codes only (scanner.models.event_data); the pages make the sentence when
they show it (scanner.wish_profiles.event_text), the English ``message`` is the
log's and the command line's."""

from __future__ import annotations

from typing import Any

from scanner.models import Event, Media, ProfileChange
from scanner.models import event_data as codes


def _profile(profile_id: int | None, name: str) -> str:
    """English, for the log: ``"VFQ" (7)``."""
    if profile_id is None:
        return "unknown"
    return f'"{name}" ({profile_id})' if name else f"#{profile_id}"


def record(change: ProfileChange, what: str, *, by: str = "", via: str = "") -> Event:
    """The event of one change (``what``: written, undone, failed)."""
    data: dict[str, Any] = {
        "what": what,
        "change": change.pk,
        "title": change.title,
        "wish": change.wish,
        "reason": change.reason,
        "before": change.profile_before,
        "before_name": change.profile_before_name,
        "after": change.profile_after,
        "after_name": change.profile_after_name,
    }
    if change.asked_by:
        data["asked_by"] = change.asked_by
    if what == codes.PROFILE_FAILED:
        data["refusal"] = change.refusal
        data["detail"] = {
            key: value
            for key, value in change.detail.items()
            if key in ("messages", "error", "found")
        }
    if change.search_sent:
        data["search_sent"] = True
    if by:
        data["user"] = by
    if via:
        data["via"] = via
    return Event.objects.create(
        instance_id=change.instance_id,
        media_id=change.media_id,
        run_id=change.run_id,
        kind=Event.Kind.PROFILE,
        message=_message(change, what),
        data=data,
    )


def record_hand(
    media: Media, what: str, profile_id: int | None = None, *, by: str = "", via: str = ""
) -> Event:
    """The item's profile was changed in the *arr after Taggarr set it (PROFILE_HAND, to
    ``profile_id``), or a person gave the item back to its wish (PROFILE_RELEASED)."""
    data: dict[str, Any] = {"what": what, "title": media.title}
    if profile_id is not None:
        data["profile"] = profile_id
    if by:
        data["user"] = by
    if via:
        data["via"] = via
    if what == codes.PROFILE_HAND:
        message = (
            f"{media.title}: its quality profile was changed in the *arr "
            f"({_profile(profile_id, '')}): left alone until released"
        )
    else:
        message = f"{media.title}: its quality profile follows its wish again"
    return Event.objects.create(
        instance_id=media.instance_id,
        media_id=media.pk,
        kind=Event.Kind.PROFILE,
        message=message,
        data=data,
    )


def _message(change: ProfileChange, what: str) -> str:
    before = _profile(change.profile_before, change.profile_before_name)
    after = _profile(change.profile_after, change.profile_after_name)
    if what == codes.PROFILE_FAILED:
        return f"{change.title}: quality profile {after} not set ({change.refusal})"
    if what == codes.PROFILE_UNDONE:
        return f"{change.title}: quality profile change undone ({before} again)"
    return f"{change.title}: quality profile set to {after} (was {before}) for {change.wish}"
