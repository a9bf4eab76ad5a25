"""Subtitle files beside a video (how Bazarr and most downloaders store subtitles), as
docs/tagging-rules.md ("Sidecar subtitle files") defines them.

A sidecar belongs to a video when it lies in the video's folder, in a ``Subs`` or
``Subtitles`` folder beside it, or in ``Subs/<video name>/``; in the first two its name
is the video's name without its extension, a dot, then parts, then a subtitle
extension (``Show.S01E01.en.forced.srt``). The parts carry the language (a 2- or
3-letter code, an English name, or BCP-47 such as ``pt-BR``) and flags: ``forced`` or
``foreign`` (a part-subtitle: it does not count), ``hi``, ``sdh`` or ``cc`` (hearing
impaired: a full subtitle), ``default``. ``hi`` right after a language part is the
flag; alone it is Hindi, unless the instance says its files have no Hindi
(``lone_hi_as_flag``): Bazarr in its single-language mode names a hearing-impaired
subtitle ``Video.hi.srt``, with no language. Inside ``Subs/<video name>/`` (the layout
of some release groups: ``2_English.srt``) the name need not repeat the video's, and
``_`` separates parts too. A ``.sub`` and its ``.idx`` are one subtitle.

External audio files (docs/tagging-rules.md, "External audio files": a dub kept beside
the video, ``Film (2020).fr-CA.mka``) are sidecars too, of ``kind`` AUDIO: only in the
video's own folder (as Jellyfin's MediaInfoResolver.GetExternalFiles and Kodi's
CUtil::ScanForExternalAudio find them), named as a subtitle is, with an audio extension
(AUDIO_EXTENSIONS); the parts that are neither language nor flag are their title
(Jellyfin's ExternalPathParser: ``Film.en.Commentary.ac3`` is a commentary). Pure: the
caller lists the folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from scanner.engine.languages import canonical
from scanner.engine.varieties import tag_variety

SUBTITLE_EXTENSIONS = frozenset({".srt", ".ass", ".ssa", ".vtt", ".sub", ".idx", ".sup", ".smi"})
# The audio files a player plays beside a video that a dub ships as (the rules say why
# each): what both Jellyfin (NamingOptions.AudioFileExtensions) and Kodi (its music
# extensions, AdvancedSettings) read, and E-AC-3, which Jellyfin reads.
AUDIO_EXTENSIONS = frozenset(
    {
        ".mka", ".ac3", ".eac3", ".ec3", ".dts", ".dtshd", ".aac", ".m4a", ".flac", ".mp3",
        ".mp2", ".opus", ".ogg", ".oga", ".wav",
    }
)  # fmt: skip
# The kinds of sidecar file.
SUBTITLE = "subtitle"
AUDIO = "audio"
# Folders beside a video that hold its subtitles, in any case.
SUBTITLE_FOLDERS = frozenset({"subs", "subtitles"})

_FORCED = frozenset({"forced", "foreign"})
_HEARING_IMPAIRED = frozenset({"sdh", "cc", "hi"})
_DEFAULT = frozenset({"default"})
# A part that is only digits (a track number, "2" of "2_English") names nothing.
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Sidecar:
    """One subtitle (or audio: ``kind``) file of a video; ``language`` is canonical, or
    None (it does not count). ``name`` is its path from the video's folder
    (``Subs/x.en.srt``)."""

    name: str
    language: str | None
    forced: bool
    hearing_impaired: bool
    default: bool
    lone_hi: bool = False  # its language is Hindi only from a ``hi`` part standing alone
    variety: str | None = None  # its language part's variety (``pt-BR``: engine.varieties)
    kind: str = SUBTITLE  # or AUDIO: an external audio file
    title: str | None = None  # an audio file's other parts (``Commentary``), else None

    @property
    def full(self) -> bool:
        """A full subtitle in its language: counts for ``sub-L`` (the rules)."""
        return self.language is not None and not self.forced


def parse_parts(parts: Iterable[str]) -> tuple[str | None, bool, bool, bool, bool]:
    """(language, forced, hearing impaired, default, lone hi) of a sidecar's name parts;
    lone hi: the language is Hindi from a ``hi`` that follows no language part."""
    language: str | None = None
    forced = hearing_impaired = default = lone_hi = False
    previous_was_language = False
    for part in parts:
        word = part.strip().casefold()
        if word == "hi" and previous_was_language:
            hearing_impaired, previous_was_language = True, False
            continue
        if word == "hi" and language is None:
            lone_hi = True
        if word in _FORCED:
            forced = True
        elif word in _HEARING_IMPAIRED - {"hi"}:
            hearing_impaired = True
        elif word in _DEFAULT:
            default = True
        elif word and not _NUMBER.fullmatch(word):
            code = canonical(word)
            if code is not None and language is None:
                language = code
                previous_was_language = True
                continue
        previous_was_language = False
    return language, forced, hearing_impaired, default, lone_hi


def sidecars_of(
    video_name: str,
    beside: Iterable[str],
    subtitle_folders: Mapping[str, Iterable[str]] = {},
) -> list[Sidecar]:
    """The sidecars of the video named ``video_name`` (with its extension), from the names
    in its folder (``beside``) and in the subtitle folders beside it (folder path from
    the video's folder, such as ``Subs`` or ``Subs/<video name>``, to the names in it)."""
    stem = PurePosixPath(video_name).stem
    found: dict[str, Sidecar] = {}
    for folder, names in [("", beside), *subtitle_folders.items()]:
        own_folder = PurePosixPath(folder).name.casefold() == stem.casefold()
        for name in names:
            sidecar = _sidecar(stem, folder, name, own_folder=own_folder)
            if sidecar is not None and sidecar.kind == AUDIO:
                found.setdefault(sidecar.name, sidecar)  # every audio file is one track
            elif sidecar is not None:
                # .sub and .idx of one subtitle: one entry (the first name kept).
                found.setdefault(str(PurePosixPath(sidecar.name).with_suffix("")), sidecar)
    return sorted(found.values(), key=lambda sidecar: sidecar.name)


def _sidecar(stem: str, folder: str, name: str, *, own_folder: bool) -> Sidecar | None:
    path = PurePosixPath(name)
    suffix = path.suffix.casefold()
    # An audio file counts in the video's own folder only (the players look nowhere else).
    audio = suffix in AUDIO_EXTENSIONS and not folder
    if suffix not in SUBTITLE_EXTENSIONS and not audio:
        return None
    base = name[: -len(path.suffix)]
    # Names are compared without case: a share from Windows or a Mac may not keep it.
    named = base.casefold() == stem.casefold() or base.casefold().startswith(f"{stem.casefold()}.")
    rest = base[len(stem) + 1 :] if named else base
    if own_folder:
        parts = re.split(r"[._]", rest)
    elif named:
        parts = rest.split(".") if rest else []
    else:
        return None
    language, forced, hearing_impaired, default, lone_hi = parse_parts(parts)
    relative = str(PurePosixPath(folder) / name) if folder else name
    variety = _variety(parts, language)
    if audio:
        title = _title(parts) if named else None
        return Sidecar(relative, language, forced, False, default, lone_hi, variety, AUDIO, title)
    return Sidecar(relative, language, forced, hearing_impaired, default, lone_hi, variety)


def _title(parts: Iterable[str]) -> str | None:
    """An audio file's parts that are neither its language nor a flag nor a number, as
    Jellyfin's ExternalPathParser keeps them for the stream's title (``Commentary``)."""
    words: list[str] = []
    language_seen = False
    for part in parts:
        word = part.strip()
        folded = word.casefold()
        if not word or _NUMBER.fullmatch(word) or folded in _FORCED | _HEARING_IMPAIRED | _DEFAULT:
            continue
        if not language_seen and canonical(word) is not None:
            language_seen = True
            continue
        words.append(word)
    return " ".join(words) or None


def _variety(parts: Iterable[str], language: str | None) -> str | None:
    """The variety of the part that gave the language (``pt-BR``, ``zh-Hant``), if any."""
    if language is None:
        return None
    for part in parts:
        word = part.strip()
        if word and canonical(word) == language:
            return tag_variety(word)
    return None


def lone_hi_as_flag(sidecars: tuple[Sidecar, ...]) -> tuple[Sidecar, ...]:
    """The sidecars read for an instance whose files have no Hindi: a ``hi`` standing
    alone is the hearing-impaired flag of a subtitle whose language its name does not
    say (``Video.hi.srt`` from Bazarr's single-language mode): it does not count."""
    return tuple(
        replace(sidecar, language=None, hearing_impaired=True, variety=None)
        if sidecar.lone_hi
        else sidecar
        for sidecar in sidecars
    )


def is_audio_name(name: str) -> bool:
    """Whether a sidecar's name is an external audio file's (its extension)."""
    return PurePosixPath(name).suffix.casefold() in AUDIO_EXTENSIONS


def is_subtitle_folder(name: str) -> bool:
    return name.casefold() in SUBTITLE_FOLDERS
