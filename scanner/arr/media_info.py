"""The per-file media info Sonarr and Radarr serve (docs/arr-api.md, "Per-file audio
languages without the files"), as values: what ffprobe found when the *arr imported the
file.

- Sonarr ``GET /api/v3/episodefile?seriesId=N``, Radarr ``movie.movieFile`` (embedded
  in the movie list) and ``GET /api/v3/moviefile``: ``mediaInfo.audioLanguages`` is one
  string joined by ``/``, ``""`` when no stream is tagged. From v4 it holds ffprobe's
  tags of the streams, not de-duplicated, untagged streams left out (``"eng/jpn"``);
  Sonarr v3 sends MediaInfo's names joined by `` / `` (``"English / Japanese"``).
  ``audioStreamCount`` counts every audio stream; ``subtitles`` is the same as
  ``audioLanguages`` for subtitle streams.
- Webhooks send the languages as a de-duplicated JSON list (``["eng", "jpn"]``).

Raw values only: the engine canonicalises them (scanner.engine.arr_tracks).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from scanner import outside_text
from scanner.http.json_kind import json_kind

logger = logging.getLogger(__name__)


def parse_audio_languages(value: Any) -> list[str]:
    """The raw values of a ``mediaInfo.audioLanguages``, in stream order, in any of
    the three forms this module's docstring lists (v4's, Sonarr v3's, a webhook's)."""
    if isinstance(value, str):
        parts = value.split("/")
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = value
    else:
        raise ValueError(
            "audioLanguages must be a string such as 'eng/jpn' or a list of strings, "
            f"not {json_kind(value)}"
        )
    # Empty parts carry no language: "" is a file with no tagged stream.
    cleaned = (outside_text.line(part).strip() for part in parts)
    return [part for part in cleaned if part]


@dataclass(frozen=True, slots=True)
class ArrFile:
    """One video file as the *arr knows it."""

    relative_path: str  # to the series or movie folder
    size: int | None
    date_added: datetime | None
    season: int | None  # Sonarr's seasonNumber
    has_media_info: bool  # false: "Analyse video files" is off, or ffprobe failed
    audio: tuple[str, ...]  # raw audio languages, in stream order (untagged left out)
    audio_streams: int | None  # every audio stream, tagged or not
    subtitles: tuple[str, ...]
    problem: str = ""  # a malformed value: this file's problem, not the run's
    # The file's languages by the *arr's names, from its release name ("Portuguese
    # (Brazil)"): the only place the *arr says a variety (engine.file_varieties).
    languages: tuple[str, ...] = ()
    # ``mediaInfo.audioCodec``: one value for the whole file ("EAC3 Atmos"), Sonarr's and
    # Radarr's MediaInfoFormatter.FormatAudioCodec; a track's only when it is the one.
    audio_codec: str = ""

    def __reduce__(self) -> tuple[type[ArrFile], tuple[Any, ...]]:
        """Pickled as its fields in order (a spooled listing:
        scanner.pipeline.scanning.spool), a third faster than the dataclass's own way."""
        return (ArrFile, _arr_file_fields(self))

    def to_dict(self) -> dict[str, Any]:
        """JSON for a scan item (the plan fetches, the item step uses)."""
        return {
            "relative_path": self.relative_path,
            "size": self.size,
            "date_added": self.date_added.isoformat() if self.date_added else None,
            "season": self.season,
            "has_media_info": self.has_media_info,
            "audio": list(self.audio),
            "audio_streams": self.audio_streams,
            "subtitles": list(self.subtitles),
            "problem": self.problem,
            **({"languages": list(self.languages)} if self.languages else {}),
            **({"audio_codec": self.audio_codec} if self.audio_codec else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArrFile:
        added = data.get("date_added")
        return cls(
            relative_path=data["relative_path"],
            size=data.get("size"),
            date_added=datetime.fromisoformat(added) if added else None,
            season=data.get("season"),
            has_media_info=bool(data.get("has_media_info")),
            audio=tuple(data.get("audio") or ()),
            audio_streams=data.get("audio_streams"),
            subtitles=tuple(data.get("subtitles") or ()),
            problem=data.get("problem") or "",
            languages=tuple(data.get("languages") or ()),
            audio_codec=data.get("audio_codec") or "",
        )


_arr_file_fields = attrgetter(*(field.name for field in fields(ArrFile)))


def parse_file(obj: Any) -> ArrFile | None:
    """An episode file or movie file object; None when it has no relative path, or one
    that leaves the item's folder (``../other.mkv``: outside_text.relative_path), which
    is then no file of the item's (a line in the log says so)."""
    if not isinstance(obj, Mapping):
        return None
    given = obj.get("relativePath")
    if not isinstance(given, str) or not given.strip():
        return None
    relative = outside_text.relative_path(given)
    if relative is None:
        logger.warning(
            "the *arr listed a file outside its item's folder (%r): left out", given[:300]
        )
        return None
    size = obj.get("size")
    season = obj.get("seasonNumber")
    info = obj.get("mediaInfo")
    base: dict[str, Any] = {
        "relative_path": relative,
        "size": size if isinstance(size, int) and not isinstance(size, bool) else None,
        "date_added": _datetime(obj.get("dateAdded")),
        "season": season if isinstance(season, int) and not isinstance(season, bool) else None,
        "languages": _language_names(obj.get("languages")),
    }
    if not isinstance(info, Mapping):
        return ArrFile(**base, has_media_info=False, audio=(), audio_streams=None, subtitles=())
    count = info.get("audioStreamCount")
    try:
        audio = tuple(_languages(info.get("audioLanguages")))
        subtitles = tuple(_languages(info.get("subtitles")))
    except ValueError as exc:
        return ArrFile(
            **base, has_media_info=False, audio=(), audio_streams=None, subtitles=(),
            problem=str(exc),
        )  # fmt: skip
    return ArrFile(
        **base,
        has_media_info=True,
        audio=audio,
        audio_streams=count if isinstance(count, int) and not isinstance(count, bool) else None,
        subtitles=subtitles,
        audio_codec=_codec(info.get("audioCodec")),
    )


_MAX_CODEC = 40  # "TrueHD Atmos": a longer value is no codec's name


def _codec(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return outside_text.line(value)[:_MAX_CODEC].strip()


# More languages than any file has: a longer list is read this far.
_MAX_FILE_LANGUAGES = 20


def _language_names(value: Any) -> tuple[str, ...]:
    """The names of a file's ``languages`` (``[{"id": 33, "name": "Portuguese (Brazil)"}]``,
    Sonarr's and Radarr's EpisodeFileResource/MovieFileResource); anything else: none."""
    if not isinstance(value, list):
        return ()
    names = (
        outside_text.line(entry["name"])[:100].strip()
        for entry in value[:_MAX_FILE_LANGUAGES]
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str)
    )
    return tuple(name for name in names if name)


def _languages(value: Any) -> list[str]:
    return [] if value is None else parse_audio_languages(value)


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
