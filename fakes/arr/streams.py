"""Sonarr v5's per-stream media info, and the v3 form it still serves beside it.

Read in Sonarr/Sonarr v5-develop (49df353):

- v5 keeps a file's streams (``src/NzbDrone.Core/MediaFiles/MediaInfo/MediaInfoModel.cs``:
  ``AudioStreams``, ``SubtitleStreams``). ``VideoFileInfoReader`` stores every audio
  stream in stream order, an untagged one as ``"und"``, with its ``title`` when the
  file has one; subtitle streams only when tagged, with ``forced`` and
  ``hearingImpaired`` from their dispositions.
- ``/api/v5/episodefile`` serves them as ``mediaInfo.audioStreams [{language, codec,
  codecId, profile, bitrate, channels, channelPositions, title}]`` and
  ``mediaInfo.subtitleStreams [{language, format, title, forced, hearingImpaired}]``
  (``src/Sonarr.Api.V5/EpisodeFiles/MediaInfoResource.cs``, ``MediaInfoStreamResource.cs``);
  no ``audioLanguages``, ``audioStreamCount``, ``audioCodec`` or ``subtitles``.
- ``/api/v3/episodefile`` on v5 joins the streams' languages with ``/``
  (``src/Sonarr.Api.V3/EpisodeFiles/MediaInfoResource.cs``): ``und`` stands where v4
  left an untagged stream out, and ``audioStreamCount`` is the number of streams.
- A file read by v4 is converted once by migration 225
  (``src/NzbDrone.Core/Datastore/Migration/225_mediainfo_multiple_streams.cs``): one
  stream per language v4 kept (one ``und`` stream when it kept none), the first
  with the file's codec, no titles; it is read again at the next rescan.

A stored file may hold v5's ``audioStreams`` (a file v5 read itself); one in the v4
form is served as migration 225 left it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_V4_ONLY = ("audioLanguages", "audioStreamCount", "audioCodec", "subtitles")


def _parts(joined: Any) -> list[str]:
    if isinstance(joined, list):
        return [str(part) for part in joined]
    if not isinstance(joined, str):
        return []
    return [part.strip() for part in joined.split("/") if part.strip()]


def audio_streams(info: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The file's audio streams as v5 keeps them."""
    if isinstance(info.get("audioStreams"), list):
        return [dict(stream) for stream in info["audioStreams"]]
    streams: list[dict[str, Any]] = [
        {"language": language} for language in _parts(info.get("audioLanguages"))
    ] or [{"language": "und"}]
    if info.get("audioCodec"):
        streams[0]["codec"] = info["audioCodec"]
    return streams


def subtitle_streams(info: Mapping[str, Any]) -> list[dict[str, Any]]:
    if isinstance(info.get("subtitleStreams"), list):
        return [dict(stream) for stream in info["subtitleStreams"]]
    return [{"language": language} for language in _parts(info.get("subtitles"))]


def v5_media_info(info: Mapping[str, Any]) -> dict[str, Any]:
    """``mediaInfo`` as ``/api/v5`` serves it."""
    rest = {key: value for key, value in info.items() if key not in _V4_ONLY}
    return {**rest, "audioStreams": audio_streams(info), "subtitleStreams": subtitle_streams(info)}


def v3_media_info_on_v5(info: Mapping[str, Any]) -> dict[str, Any]:
    """``mediaInfo`` as ``/api/v3`` serves it on a v5 server."""
    audio, subtitles = audio_streams(info), subtitle_streams(info)
    rest = {
        key: value
        for key, value in info.items()
        if key not in ("audioStreams", "subtitleStreams", *_V4_ONLY)
    }
    served: dict[str, Any] = {
        **rest,
        "audioLanguages": "/".join(str(s.get("language") or "") for s in audio),
        "audioStreamCount": len(audio),
        "subtitles": "/".join(str(s.get("language") or "") for s in subtitles),
    }
    if audio and audio[0].get("codec"):
        served["audioCodec"] = audio[0]["codec"]
    return served


def episode_file(entry: Mapping[str, Any], *, api: int) -> dict[str, Any]:
    """A stored episode file as a v5 server serves it on ``/api/v{api}``."""
    info = entry.get("mediaInfo")
    if not isinstance(info, Mapping):
        return dict(entry)
    served = v5_media_info(info) if api >= 5 else v3_media_info_on_v5(info)
    return {**entry, "mediaInfo": served}
