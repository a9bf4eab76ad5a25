"""The tracks of a video file as values: audio and subtitles, with the rules that say
which of them count (tagging-rules.md, "Audio tracks of one file", "Subtitles").

Pure: ``probe`` (MediaInfo) builds them from files, the *arr's media info from its
lists, and the tests from tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scanner.engine.audio_codecs import FAMILIES
from scanner.engine.given_text import language_value, title_value
from scanner.engine.heard import Heard
from scanner.engine.languages import canonical
from scanner.engine.sidecars import AUDIO, Sidecar
from scanner.engine.varieties import SIDECAR, own_variety

# Tracks that are not the programme audio (tagging-rules.md, "Audio tracks of one file"):
# commentary and isolated scores, then audio description, in English and in the words
# release groups and streaming services write in other languages. The one list every
# reader of a track uses (the verdict, the tags, a person's track, the default tracks,
# the tracks a household keeps). Whole words, any case; the words of a phrase may be
# joined by spaces, dots, dashes or underscores ("Audio_Description"). A word after
# _HEAD may end a compound ("Audiokommentar", "Regiekommentar", "regisseurscommentaar",
# "тифлокомментарий"), never go on but by the endings listed ("Kommentarspur", not
# "Kommentarlos"); the short ones (AD, DVS) are read only alone.
_GAP = r"[\s._-]*"
_HEAD = r"[^\W\d_]*"  # the letters of a compound before its last word
_COMMENTARY_WORDS = (
    rf"{_HEAD}commentary", rf"{_HEAD}commentaries", r"director",  # English
    rf"isolated{_GAP}(?:music{_GAP})?score",
    # German, Scandinavian, Hungarian: Kommentare, Kommentarspur, kommentarer, kommentarspår
    rf"{_HEAD}komment[aá]r(?:e|en|er|ene|s|spur|tonspur|spor|spår)?",
    rf"{_HEAD}kommentti(?:raita)?", r"kommentit",  # Finnish
    rf"{_HEAD}commentaires?",  # French
    rf"{_HEAD}coment[aá]rios?",  # Spanish, Portuguese
    rf"{_HEAD}comment[oi]",  # Italian
    rf"{_HEAD}commentaar", r"commentaren",  # Dutch
    rf"{_HEAD}komentarz(?:e|em)?",  # Polish
    rf"{_HEAD}koment[aá][rř]e?",  # Czech, Slovak, Croatian, Serbian, Slovenian
    rf"{_HEAD}комментари(?:й|и|я|ев)",  # Russian
    rf"{_HEAD}коментар(?:і|ів|и)?",  # Ukrainian, Bulgarian  # noqa: RUF001
    rf"{_HEAD}コメンタリー", rf"{_HEAD}코멘터리",  # Japanese, Korean
)  # fmt: skip
_DESCRIPTION_WORDS = (
    rf"audio{_GAP}descriptions?", rf"audio{_GAP}described", r"descriptive",  # English
    rf"described{_GAP}video", rf"vid[ée]o{_GAP}descriptions?", r"dvs", r"ad",
    rf"audio{_GAP}deskription(?:en|sfassung)?", r"h[öo]rfilm(?:fassung)?",  # German
    rf"description{_GAP}audio",  # French (audiodescription, vidéodescription above)
    rf"audio{_GAP}descripci[óo]n",  # Spanish
    rf"audio{_GAP}descrizione",  # Italian
    rf"[áa]udio{_GAP}descri[çc][ãa]o",  # Portuguese
    rf"audio{_GAP}descriptie", rf"audio{_GAP}beschrijving",  # Dutch
    r"syntolkning", r"synstolkn?ing", r"kuvailutulkkaus",  # Swedish, Danish/Norwegian, Finnish
    rf"audio{_GAP}deskrypcja", r"audiopopis",  # Polish, Czech
    r"тифлокомментари(?:й|и|я|ев)", r"аудиодескрипци[яи]",  # Russian
    rf"аудио{_GAP}описание", r"слабовидящих",  # ("Дубляж для слабовидящих")
)  # fmt: skip
_NOT_PROGRAMME_WORDS = _COMMENTARY_WORDS + _DESCRIPTION_WORDS


def _whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])(" + "|".join(words) + r")(?![^\W_])", re.IGNORECASE)


_NOT_PROGRAMME_AUDIO = _whole_words(_NOT_PROGRAMME_WORDS)
_DESCRIPTION = _whole_words(_DESCRIPTION_WORDS)


@dataclass(frozen=True, slots=True)
class AudioTrack:
    """One audio track as the file declares it; ``language`` is canonical or None (unknown).
    An external audio file beside the video (``file``, its path from the item's folder,
    tagging-rules.md "External audio files") is one too, numbered after the file's own."""

    position: int  # 1-based, in the order MediaInfo lists the audio tracks (then the files')
    raw_language: str | None
    language: str | None
    title: str | None
    default: bool
    forced: bool
    is_commentary: bool
    heard: Heard | None = None  # what listening found (engine.heard), kept with the file
    # Its language's variety (engine.varieties: "fr-CA", "yue"), the source that said
    # so, and a source that said otherwise ("title:fr-FR"); None, None, "" when unsaid.
    variety: str | None = None
    variety_source: str | None = None
    variety_note: str = ""
    # Its codec's family (engine.audio_codecs: "eac3", "dts"), None when unknown: the
    # evidence a media server's stream is this track (household.stream_match).
    codec: str | None = None
    file: str | None = None  # an external audio file: its path from the item's folder

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "position": self.position,
            "raw_language": self.raw_language,
            "language": self.language,
            "title": self.title,
            "default": self.default,
            "forced": self.forced,
            "is_commentary": self.is_commentary,
        }
        if self.file is not None:  # only for an external file: other rows stay as they were
            data["file"] = self.file
        if self.heard is not None:  # only when listened to: other rows stay as they were
            data["heard"] = self.heard.to_dict()
        _variety_to_dict(self, data)
        if self.codec is not None:  # the same: a row read before codecs were kept
            data["codec"] = self.codec
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AudioTrack:
        return cls(
            position=int(data["position"]),
            raw_language=data["raw_language"],
            language=data["language"],
            title=data["title"],
            default=bool(data["default"]),
            forced=bool(data["forced"]),
            is_commentary=stored_is_commentary(data),
            heard=Heard.from_dict(data["heard"]) if data.get("heard") else None,
            **_variety_from_dict(data),
            codec=data["codec"] if data.get("codec") in FAMILIES else None,
            file=data["file"] if isinstance(data.get("file"), str) else None,
        )


def is_commentary_title(title: str | None) -> bool:
    """Whether a track title says the track is not the programme audio: commentary, an
    isolated score or audio description (``AudioTrack.is_commentary``)."""
    return bool(title and _NOT_PROGRAMME_AUDIO.search(unicodedata.normalize("NFC", title)))


def is_description_title(title: str | None) -> bool:
    """Whether a track title says the track is audio description (for blind and
    partially sighted people): of the tracks ``is_commentary_title`` finds, these."""
    return bool(title and _DESCRIPTION.search(unicodedata.normalize("NFC", title)))


def stored_is_commentary(data: Mapping[str, Any]) -> bool:
    """A stored track's flag, or today's reading of its stored title: a track stored
    before a word was added to the list is read by today's list without reading the file
    again (the verdict's RULES_VERSION decides its item again)."""
    return bool(data.get("is_commentary")) or is_commentary_title(data.get("title"))


def make_track(
    position: int,
    raw_language: str | None,
    title: str | None,
    *,
    default: bool = False,
    forced: bool = False,
    codec: str | None = None,
) -> AudioTrack:
    """Build a track the way ``probe`` does: canonical language, commentary from the
    title, the variety from its language tag and title (each as ``given_text`` reads it);
    ``codec``: its family (engine.audio_codecs), when known."""
    raw_language, title = language_value(raw_language), title_value(title)
    language = canonical(raw_language)
    variety, source, note = own_variety(raw_language, language, title)
    return AudioTrack(
        position=position,
        raw_language=raw_language,
        language=language,
        title=title,
        default=default,
        forced=forced,
        is_commentary=is_commentary_title(title),
        variety=variety,
        variety_source=source,
        variety_note=note,
        codec=codec,
    )


# Subtitle tracks that are not a full subtitle: forced-only parts (foreign dialogue),
# signs and songs. Whole words, any case, with the usual translations.
_PARTIAL_SUBTITLE = re.compile(
    r"(?<![^\W_])(forced|signs|songs|s&s|erzwungen|forc[ée]s?|forzad[oa]s?|forzati|"
    r"geforceerd|tvungen|wymuszone)(?![^\W_])",
    re.IGNORECASE,
)


def is_partial_subtitle_title(title: str | None) -> bool:
    return bool(title and _PARTIAL_SUBTITLE.search(title))


@dataclass(frozen=True, slots=True)
class SubtitleTrack:
    """One subtitle: a track of the file, or a sidecar file beside it (``file``, its path
    from the item's folder). ``full`` is false for forced-only and signs/songs ones."""

    position: int  # 1-based, among the subtitle tracks (0 for a sidecar)
    raw_language: str | None
    language: str | None
    title: str | None
    forced: bool
    format: str | None  # "UTF-8" (SRT), "ASS", "PGS", "Timed Text" ... (a sidecar: "srt")
    full: bool
    file: str | None = None
    heard: Heard | None = None  # a sidecar without a language: read from its text
    variety: str | None = None  # as AudioTrack's
    variety_source: str | None = None
    variety_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "position": self.position,
            "raw_language": self.raw_language,
            "language": self.language,
            "title": self.title,
            "forced": self.forced,
            "format": self.format,
            "full": self.full,
        }
        if self.file is not None:
            data["file"] = self.file
        if self.heard is not None:
            data["heard"] = self.heard.to_dict()
        _variety_to_dict(self, data)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubtitleTrack:
        return cls(
            position=int(data["position"]),
            raw_language=data["raw_language"],
            language=data["language"],
            title=data["title"],
            forced=bool(data["forced"]),
            format=data.get("format"),
            full=bool(data["full"]),
            file=data.get("file"),
            heard=Heard.from_dict(data["heard"]) if data.get("heard") else None,
            **_variety_from_dict(data),
        )


def make_subtitle(
    position: int,
    raw_language: str | None,
    title: str | None = None,
    *,
    forced: bool = False,
    format: str | None = None,
) -> SubtitleTrack:
    """Build a subtitle track the way ``probe`` does."""
    raw_language, title = language_value(raw_language), title_value(title)
    language = canonical(raw_language)
    variety, source, note = own_variety(raw_language, language, title)
    return SubtitleTrack(
        position=position,
        raw_language=raw_language,
        language=language,
        title=title,
        forced=forced,
        format=format,
        full=not forced and not is_partial_subtitle_title(title),
        variety=variety,
        variety_source=source,
        variety_note=note,
    )


def sidecar_subtitle(sidecar: Sidecar) -> SubtitleTrack:
    """A sidecar file as a subtitle of its video (tagging-rules.md: they count alike)."""
    return SubtitleTrack(
        position=0,
        raw_language=sidecar.language,
        language=sidecar.language,
        title=None,
        forced=sidecar.forced,
        format=sidecar.name.rsplit(".", 1)[-1].lower(),
        full=sidecar.full,
        file=sidecar.name,
        variety=sidecar.variety,
        variety_source=SIDECAR if sidecar.variety else None,
    )


# An external audio file's extension -> its codec's family (engine.audio_codecs); a
# container (.mka, .m4a, .ogg) says nothing of its codec by its name alone.
_EXTENSION_CODECS = {
    "ac3": "ac3", "eac3": "eac3", "ec3": "eac3", "dts": "dts", "dtshd": "dts",
    "aac": "aac", "flac": "flac", "mp3": "mpeg", "mp2": "mpeg", "opus": "opus",
    "wav": "pcm",
}  # fmt: skip


def audio_sidecar(sidecar: Sidecar, position: int) -> AudioTrack:
    """An external audio file as an audio track of its video (tagging-rules.md, "External
    audio files"), numbered ``position`` (after the video's own tracks)."""
    return AudioTrack(
        position=position,
        raw_language=sidecar.language,
        language=sidecar.language,
        title=sidecar.title,
        default=sidecar.default,
        forced=sidecar.forced,
        is_commentary=is_commentary_title(sidecar.title),
        variety=sidecar.variety,
        variety_source=SIDECAR if sidecar.variety else None,
        codec=_EXTENSION_CODECS.get(sidecar.name.rsplit(".", 1)[-1].lower()),
        file=sidecar.name,
    )


def _variety_to_dict(track: AudioTrack | SubtitleTrack, data: dict[str, Any]) -> None:
    """The variety's keys, only when said: every other row stays as it was."""
    if track.variety is not None:
        data["variety"] = track.variety
        data["variety_source"] = track.variety_source
    if track.variety_note:
        data["variety_note"] = track.variety_note


def _variety_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """A stored track's variety; none in a row stored before varieties were read."""
    return {
        "variety": data.get("variety") or None,
        "variety_source": data.get("variety_source") or None,
        "variety_note": data.get("variety_note") or "",
    }


@dataclass(frozen=True, slots=True)
class FileTracks:
    """What one read of a file gives: its audio and its subtitle tracks (and, once the
    walk found them, the sidecar files beside it: subtitles, and audio files after the
    file's own audio tracks)."""

    audio: tuple[AudioTrack, ...]
    subtitles: tuple[SubtitleTrack, ...] = ()

    def with_sidecars(self, sidecars: tuple[Sidecar, ...]) -> FileTracks:
        """Its own tracks and these sidecars: the walk's, never the ones stored before
        (a sidecar added or removed since shows here). An audio file is numbered after
        the file's own audio tracks, in the order of the names."""
        embedded = tuple(track for track in self.subtitles if track.file is None)
        own = tuple(track for track in self.audio if track.file is None)
        after = max((track.position for track in own), default=0)
        audio_files = [sidecar for sidecar in sidecars if sidecar.kind == AUDIO]
        external = tuple(
            audio_sidecar(sidecar, after + index) for index, sidecar in enumerate(audio_files, 1)
        )
        subtitles = tuple(sidecar_subtitle(s) for s in sidecars if s.kind != AUDIO)
        return FileTracks(own + external, embedded + subtitles)
