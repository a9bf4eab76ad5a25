"""An audio track's codec, by family: what MediaInfo and the *arr say of a track, in one
vocabulary that a media server's stream is compared with (issue 70: the codec is
evidence that Taggarr's track is the server's stream).

A family, not a codec: the *arr and the media servers name a codec and its extensions
apart ("EAC3 Atmos", "DTS-HD MA", Plex's ``dca`` with a ``profile``), MediaInfo keeps
the extension in another field. Two tracks of one family may still differ; two of
different families are never the same track. A name this module does not know is no
family (None): it confirms nothing and contradicts nothing.

- MediaInfo's ``Format`` of an audio stream (MediaInfoLib, ``File_*.cpp``: ``AAC``,
  ``AC-3``, ``E-AC-3``, ``DTS``, ``MLP FBA`` for Dolby TrueHD, older builds ``TrueHD``,
  ``FLAC``, ``Opus``, ``Vorbis``, ``MPEG Audio`` for MP1/MP2/MP3, ``PCM``). Older builds
  append the extension ("E-AC-3 JOC", "DTS XLL"); a stream read two ways says both,
  joined by " / " ("MLP FBA / AC-3"): the first is the stream's.
- Sonarr's and Radarr's ``mediaInfo.audioCodec``, one value per file, made by
  ``MediaInfoFormatter.FormatAudioCodec`` (``src/NzbDrone.Core/MediaFiles/MediaInfo/
  MediaInfoFormatter.cs``): ``AC3``, ``EAC3``, ``EAC3 Atmos``, ``TrueHD``, ``TrueHD
  Atmos``, ``DTS``, ``DTS-ES``, ``DTS-HD HRA``, ``DTS-HD MA``, ``DTS-X``, ``AAC``,
  ``HE-AAC``, ``FLAC``, ``Opus``, ``Vorbis``, ``MP3``, ``MP2``, ``PCM``, ``WMA``; an
  unknown format is passed on as MediaInfo's own ``Format``, read here too.
"""

from __future__ import annotations

__all__ = ["FAMILIES", "arr_codec", "mediainfo_codec"]

# The families, by the short names media servers use (Plex, ffmpeg), DTS as "dts".
FAMILIES = frozenset(
    {"aac", "ac3", "eac3", "dts", "truehd", "flac", "opus", "vorbis", "mpeg", "pcm", "wma"}
)

# MediaInfo's Format (its first words, case aside) -> the family.
_MEDIAINFO: tuple[tuple[str, str], ...] = (
    ("e-ac-3", "eac3"),
    ("ac-3", "ac3"),
    ("mlp fba", "truehd"),
    ("truehd", "truehd"),
    ("dts", "dts"),
    ("aac", "aac"),
    ("flac", "flac"),
    ("opus", "opus"),
    ("vorbis", "vorbis"),
    ("mpeg audio", "mpeg"),
    ("pcm", "pcm"),
    ("wma", "wma"),
)
# The *arr's audioCodec (case aside) -> the family.
_ARR: dict[str, str] = {
    "ac3": "ac3",
    "eac3": "eac3",
    "eac3 atmos": "eac3",
    "truehd": "truehd",
    "truehd atmos": "truehd",
    "dts": "dts",
    "dts-es": "dts",
    "dts-hd hra": "dts",
    "dts-hd ma": "dts",
    "dts-x": "dts",
    "aac": "aac",
    "he-aac": "aac",
    "flac": "flac",
    "opus": "opus",
    "vorbis": "vorbis",
    "mp3": "mpeg",
    "mp2": "mpeg",
    "pcm": "pcm",
    "wma": "wma",
}
_LONGEST = 40  # no codec's name is longer: a longer value is no codec


def mediainfo_codec(format_: str | None) -> str | None:
    """The family of MediaInfo's ``Format`` of an audio stream; None when unknown."""
    name = _name(format_)
    for prefix, family in _MEDIAINFO:
        if name == prefix or name.startswith(prefix + " "):
            return family
    return None


def arr_codec(audio_codec: str | None) -> str | None:
    """The family of the *arr's ``mediaInfo.audioCodec``; None when unknown."""
    name = _name(audio_codec)
    return _ARR.get(name) or mediainfo_codec(name)


def _name(value: str | None) -> str:
    if not isinstance(value, str) or len(value) > _LONGEST:
        return ""
    return " ".join(value.split(" / ", 1)[0].split()).casefold()
