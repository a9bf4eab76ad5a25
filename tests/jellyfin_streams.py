"""A real file's streams as Jellyfin's probe stores them, for the fake Jellyfin
(fakes/jellyfin: ``state.set_streams``), and the audio stream Jellyfin starts for it.

Jellyfin reads a file with ffprobe (``MediaBrowser.MediaEncoding/Probing/
ProbeResultNormalizer.cs``, ``GetMediaStream``): ``Index`` is ffprobe's stream index,
``Language`` the stream's ``language`` tag as it is (``fre``; none when ffmpeg gives
none, as for Matroska's ``und``), ``Title`` its ``title`` tag (``cc`` dropped:
``NormalizeStreamTitle``), ``IsDefault``/``IsForced``/``IsHearingImpaired`` its
``disposition`` (``default``, ``forced``, ``hearing_impaired``; ``IsOriginal`` from
``original`` in 12), a subtitle's ``Codec`` normalised (``NormalizeSubtitleCodec``:
``hdmv_pgs_subtitle`` -> ``PGSSUB``).

Read here with ``ffmpeg -i`` of the imageio-ffmpeg binary (tests/media.py makes files
with it), not pymediainfo: ``ffmpeg -i`` prints what the same libavformat demuxer ffprobe
runs gives, its language tag (a Matroska track without ``Language`` reads ``eng``, the
element's default, as in Jellyfin), its dispositions (a track whose FlagDefault element is
absent is default, RFC 9559's default 1) and its title; MediaInfo is another parser, with
other names for languages (``fr``) and its own reading of absent flags. The stream lines
and their ``title`` are read from ffmpeg's own dump (``av_dump_format``), a stable format.

External files (``MediaBrowser.Providers/MediaInfo/MediaInfoResolver.cs``,
``GetExternalStreamsAsync``): Index after the video's streams, ``IsExternal``, the
language from the name only when the stream has none (``MergeMetadata``), and a one-stream
file's ``IsDefault`` from the name's ``.default`` flag (10.11+) or that or the file's own
flag (10.10).
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import requests

from fakes.jellyfin import FakeJellyfin, build_movie
from fakes.jellyfin.stream_selection import name_language, rules_for

DEFAULT_VERSION = "10.11.11"
# The Jellyfin releases the fake plays (fakes/jellyfin/releases.py), Emby left out.
JELLYFIN_VERSIONS = ("10.8.13", "10.10.7", "10.11.11", "12.0.0")
_STREAM = re.compile(
    r"^\s*Stream #\d+:(?P<index>\d+)(?:\[0x[0-9a-f]+\])?(?:\((?P<language>[^)]+)\))?"
    r"(?:\[[^\]]*\])?: (?P<kind>Video|Audio|Subtitle|Attachment|Data): (?P<codec>[\w-]+)"
    r"(?P<rest>.*)$"
)
_DISPOSITIONS = re.compile(r"\((default|forced|original|hearing impaired|comment|dub)\)")
_METADATA = re.compile(r"^\s+(?P<key>\w+)\s*: (?P<value>.*)$")
_SUBTITLE_CODECS = {
    "dvb_subtitle": "DVBSUB",
    "dvb_teletext": "DVBTXT",
    "dvd_subtitle": "DVDSUB",
    "hdmv_pgs_subtitle": "PGSSUB",
}


def _ffmpeg_dump(path: Path) -> str:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    # ffmpeg exits 1 ("At least one output file must be specified") after the dump.
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if "Stream #" not in done.stderr:
        raise ValueError(f"ffmpeg read no stream in {path}: {done.stderr.strip()[-300:]}")
    return done.stderr


def probe_streams(path: str | Path, *, version: str = DEFAULT_VERSION) -> list[dict[str, Any]]:
    """The file's MediaStreams as Jellyfin ``version`` (a fake release key) stores them:
    Index, Type, Codec, Language, Title, IsDefault, IsForced, IsHearingImpaired,
    IsExternal (False), and IsOriginal on 12."""
    streams: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    in_metadata = False
    for line in _ffmpeg_dump(Path(path)).splitlines():
        found = _STREAM.match(line)
        if found is not None:
            kind = found["kind"]
            if kind not in ("Video", "Audio", "Subtitle"):
                current = None
                continue
            flags = set(_DISPOSITIONS.findall(found["rest"]))
            codec = found["codec"]
            if kind == "Subtitle":
                codec = _SUBTITLE_CODECS.get(codec, codec)
            language = found["language"]
            current = {
                "Index": int(found["index"]),
                "Type": kind,
                "Codec": codec,
                "Language": language,
                "Title": None,
                "IsDefault": "default" in flags,
                "IsForced": "forced" in flags,
                "IsHearingImpaired": "hearing impaired" in flags,
                "IsExternal": False,
            }
            if version.startswith("12."):
                current["IsOriginal"] = "original" in flags
            streams.append(current)
            in_metadata = False
            continue
        if current is None:
            continue
        if line.strip() == "Metadata:":
            in_metadata = True
            continue
        meta = _METADATA.match(line) if in_metadata else None
        if meta is not None and meta["key"] == "title":
            title = meta["value"].strip()
            current["Title"] = None if title.casefold() == "cc" else title
    return streams


def external_streams(
    path: str | Path, video: str | Path, start_index: int, *, version: str = DEFAULT_VERSION
) -> list[dict[str, Any]]:
    """An external audio (or subtitle) file's streams as Jellyfin ``version`` adds them
    to ``video``'s, from ``start_index`` on (after the video's own). Its name's parts
    after the video's name, from the last (``Emby.Naming/ExternalFiles/
    ExternalPathParser.cs``, ``ParseFile``: ``.`` separates them): ``default`` ->
    IsDefault, ``forced``/``foreign`` -> IsForced, the first culture found -> the
    language (stream_selection.name_language: ``fr-CA`` is ``fr-ca`` from 10.11, ``frc``
    before), the rest the title. The stream's own language tag, if any, wins over the
    name's, and so does its title (``MediaInfoResolver.MergeMetadata``); a one-stream
    file's IsDefault is the name's flag alone from 10.11, the name's or the file's own
    before (``GetExternalStreamsAsync``)."""
    rules = rules_for(version)
    external, stem = Path(path), Path(video).stem
    extra = external.name[len(stem) :] if external.name.startswith(stem) else ""
    parts = [part for part in extra.rsplit(".", 1)[0].split(".") if part]
    default = forced = False
    language: str | None = None
    title: list[str] = []
    for part in reversed(parts):
        if "default" in part.lower():
            default = True
        elif "forced" in part.lower() or "foreign" in part.lower():
            forced = True
        elif language is None and (found := name_language(part, rules)) is not None:
            language = found
        else:
            title.insert(0, part)
    streams = [s for s in probe_streams(external, version=version) if s["Type"] != "Video"]
    for offset, stream in enumerate(streams):
        stream["Index"] = start_index + offset
        stream["IsExternal"] = True
        if len(streams) == 1:
            own = stream["IsDefault"] and not rules.external_default_by_name
            stream["IsDefault"] = default or own
            stream["IsForced"] = forced or stream["IsForced"]
        stream["Language"] = stream["Language"] or language
        stream["Title"] = stream["Title"] or (".".join(title) or None)
    return streams


def jellyfin_default_audio(
    path: str | Path,
    *,
    languages: Sequence[str] = ("fre",),
    play_default: bool = True,
    version: str = DEFAULT_VERSION,
    subtitle_mode: str = "Default",
    external: Sequence[str | Path] = (),
) -> int:
    """The 1-based position, among the file's audio streams, of the one Jellyfin
    ``version`` starts (``DefaultAudioStreamIndex``) for a user whose *Preferred audio
    language* is ``languages[0]`` (Jellyfin stores one; empty: any language) and *Play
    default audio track* is ``play_default``: asked of the fake Jellyfin over HTTP
    (``POST /Items/{itemId}/PlaybackInfo``), the file's streams read as its probe would.
    ``external``: audio files beside it (``Film.fr-CA.mka``), whose streams come after the
    file's own, in that order (their positions follow the file's audio streams).
    LookupError when no audio stream starts."""
    if len(languages) > 1:
        raise ValueError("Jellyfin keeps one preferred audio language per user")
    streams = probe_streams(path, version=version)
    for extra in external:
        streams += external_streams(extra, path, len(streams), version=version)
    token = uuid.uuid4().hex
    movie = build_movie("f00d", "The file", str(path))
    with FakeJellyfin(token=token, version=version, items=[movie]) as fake:
        fake.state.set_streams("f00d", streams)
        user = fake.state.add_user(
            "viewer",
            playback={
                "AudioLanguagePreference": languages[0] if languages else None,
                "PlayDefaultAudioTrack": play_default,
                "SubtitleMode": subtitle_mode,
            },
        )
        answer = requests.post(
            f"{fake.url}/Items/f00d/PlaybackInfo",
            params={"userId": user},
            json={},
            headers={"Authorization": f'MediaBrowser Client="tests", Token="{token}"'},
            timeout=10,
        )
    answer.raise_for_status()
    chosen = answer.json()["MediaSources"][0].get("DefaultAudioStreamIndex")
    audio = [stream["Index"] for stream in streams if stream["Type"] == "Audio"]
    if chosen is None or chosen not in audio:
        raise LookupError(f"Jellyfin starts no audio stream of {path}")
    return audio.index(chosen) + 1
