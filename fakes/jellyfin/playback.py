"""``GET`` and ``POST /Items/{itemId}/PlaybackInfo`` (Jellyfin.Api/Controllers/
MediaInfoController.cs, ``GetPlaybackInfo`` and ``GetPostedPlaybackInfo``; their
``MediaInfoHelper.GetPlaybackInfo``): the item's media sources for a user, each with the
``DefaultAudioStreamIndex`` and ``DefaultSubtitleStreamIndex`` the server computes for
that user (stream_selection.py).

- The user: ``userId`` in the query (POST: else the body's ``UserId``); an API key has
  no user of its own, so without one (or with an id no user has) the sources carry no
  default indices, as ``GetStaticMediaSources`` sets them only for a user. 10.8.13's GET
  requires ``userId`` (``[FromQuery, Required]``): 400 without.
- 404 when the item is not there or the user may not see it (``GetItemById(itemId,
  user)``).
- Each source's MediaStreams as the server reads them back: ordered by Index
  (``MediaStreamRepository``: ``OrderBy(e => e.StreamIndex)``), Language as ISO 639-2/T
  from 10.11, ``SupportsExternalStream`` and ``IsTextSubtitleStream`` set.
- Not played: a ``DeviceProfile`` in the body (``SetDeviceSpecificData``, StreamBuilder's
  choices for transcoding), live streams, ``MediaSourceId`` filtering. An item with no
  media source (a series) answers ``MediaSources: []`` with ``ErrorCode``
  ``NoCompatibleStream``.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

from fakes.jellyfin.state import FakeJellyfinState
from fakes.jellyfin.stream_selection import (
    Remembered,
    Rules,
    default_indices,
    is_text_subtitle,
    rules_for,
    stored_language,
    supports_external_stream,
)


def playback_info(
    state: FakeJellyfinState, item_id: str, user_id: str | None
) -> dict[str, Any] | None:
    """The PlaybackInfoResponse; None for a 404."""
    rules = rules_for(state.release.key)
    with state.lock:
        item = state.existing(item_id)
        configuration = state.configuration_of(user_id) if user_id else None
        known_user = user_id if configuration is not None else None
        if item is None or not state.visible(item, known_user):
            return None
        sources = copy.deepcopy(item.get("MediaSources") or [])
        original = _original_language(state, item)
        remembered = Remembered(*state.remembered(known_user, item_id)) if known_user else None
    answered = []
    for source in sources:
        streams = sorted(
            (_stored(stream, rules) for stream in source.get("MediaStreams") or []),
            key=lambda stream: int(stream.get("Index") or 0),
        )
        answer = {
            "Protocol": "File", "Type": "Default", "IsRemote": False,
            "SupportsDirectPlay": True, "SupportsDirectStream": True,
            "SupportsTranscoding": True, **source, "MediaStreams": streams,
        }  # fmt: skip
        if configuration is not None and remembered is not None:
            audio, subtitle = default_indices(
                streams, configuration, rules, remembered=remembered, original_language=original
            )
            for name, value in (
                ("DefaultAudioStreamIndex", audio),
                ("DefaultSubtitleStreamIndex", subtitle),
            ):
                if value is not None:  # null members stay out of Jellyfin's JSON
                    answer[name] = value
        answered.append(answer)
    response: dict[str, Any] = {"MediaSources": answered}
    if answered:
        response["PlaySessionId"] = uuid.uuid4().hex
    else:
        response["ErrorCode"] = "NoCompatibleStream"
    return response


def _stored(stream: Mapping[str, Any], rules: Rules) -> dict[str, Any]:
    listed = dict(stream)
    if listed.get("Language") is not None:
        listed["Language"] = stored_language(str(listed["Language"]), rules)
    listed["SupportsExternalStream"] = supports_external_stream(listed)
    listed["IsTextSubtitleStream"] = is_text_subtitle(listed)
    return listed


def _original_language(state: FakeJellyfinState, item: Mapping[str, Any]) -> str | None:
    """``GetInheritedOriginalLanguage`` (12): the item's OriginalLanguage, else its
    series' (Episode.cs, Season.cs)."""
    if item.get("OriginalLanguage"):
        return str(item["OriginalLanguage"])
    series = state.existing(str(item.get("SeriesId") or ""))
    if series is not None and series.get("OriginalLanguage"):
        return str(series["OriginalLanguage"])
    return None
