"""Which of a Jellyfin or Emby user's own playback settings give a person the right
track (issue 70 item 3), as typed advice: codes and values, no sentence
(playback_sentences.py words them). Pure Python: no Django, no request.

Taggarr does not change these settings: they are the person's, set in the server's
own client. What the server does with them, read from jellyfin/jellyfin
(``Emby.Server.Implementations/Library/MediaSourceManager.cs``,
``SetDefaultAudioStreamIndex`` and ``SetDefaultSubtitleStreamIndex``;
``.../Library/MediaStreamSelector.cs``), the same at v10.11.11 and v12.0-rc5 unless said:

- an audio track the person picked on an item before wins when *Set audio track based
  on previous item* (RememberAudioSelections) is on;
- otherwise the audio tracks are sorted by *Preferred audio language*
  (``NormalizeLanguage``: the culture's three-letter codes, ``fra`` and ``fre``), and
  with *Play default audio track regardless of language* (PlayDefaultAudioTrack) on,
  the first track flagged default wins **whatever its language**; off, the first of
  the preferred language. A track is matched by its **language code only**: two
  French tracks (VFF and VFQ, both ``fre``) cannot be told apart;
- a culture of Jellyfin's list with a region ("French (Canada)", stored ``frc``;
  "Portuguese (Brazil)" ``pob``, "Portuguese (Portugal)" ``pop``:
  ``Localization/iso6392.txt``) normalises to its region name (``fr-ca``), which no
  track carries: that preference never matches;
- Jellyfin 12 adds "Original language" (``OriginalLanguage``) to the choices: the
  item's original language (set by Taggarr where the API takes it,
  clients/jellyfin_original.py), else a track flagged original; Jellyfin 10.x and
  Emby have no such choice;
- subtitles: *Preferred subtitle language* and *Subtitle mode*; "Smart" shows them
  when the audio is not in that language, "Always" whenever there are some.

Emby keeps the same members (dev.emby.media, ``UserConfiguration``); its selector is
closed source, and what is said here of Jellyfin's is assumed of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from scanner.engine.languages import canonical
from scanner.engine.targets import is_regional
from scanner.engine.varieties import tag_variety
from scanner.media_servers.clients.jellyfin_users import ORIGINAL_LANGUAGE, UserPlayback

Want = Literal["dub", "original-subtitled", "original"]
WANTS: tuple[Want, ...] = ("dub", "original-subtitled", "original")
Param = str | int

# Jellyfin's cultures with a region, as *Preferred audio language* stores them, and the
# variety each names (Emby.Server.Implementations/Localization/iso6392.txt).
REGIONAL_VALUES = {"frc": "fr-CA", "pob": "pt-BR", "pop": "pt-PT"}
SUBTITLE_MODES_THAT_SHOW = ("Smart", "Always")


class AdviceCode(StrEnum):
    """Every piece of advice (playback_sentences.py has a sentence for each)."""

    AUDIO_LANGUAGE = "audio_language"  # set Preferred audio language: language
    AUDIO_REGIONAL = "audio_regional"  # the same, the current choice has a region: current
    AUDIO_ORIGINAL = "audio_original"  # set it to "Original language" (Jellyfin 12)
    NO_ORIGINAL_CHOICE = "no_original_choice"  # the server has no such choice
    DEFAULT_TRACK_OFF = "default_track_off"  # files flag another track default: count
    DEFAULT_TRACK_ON = "default_track_on"  # no original choice: the default is the way
    SUBTITLE_LANGUAGE = "subtitle_language"  # set Preferred subtitle language: language
    SUBTITLE_MODE = "subtitle_mode"  # set Subtitle mode to Smart
    CANNOT_TELL_VARIETY = "cannot_tell_variety"  # two varieties share a code: variety, code, count
    ALREADY_RIGHT = "already_right"  # nothing to change


# What each piece is: a setting to change, a limit of the server, or nothing to do.
AdviceKind = Literal["change", "limit", "right"]
KINDS: dict[AdviceCode, AdviceKind] = {
    AdviceCode.NO_ORIGINAL_CHOICE: "limit",
    AdviceCode.CANNOT_TELL_VARIETY: "limit",
    AdviceCode.ALREADY_RIGHT: "right",
}


@dataclass(frozen=True)
class Advice:
    code: AdviceCode
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def kind(self) -> AdviceKind:
        return KINDS.get(self.code, "change")


@dataclass(frozen=True)
class SharedCode:
    """Files of the library where two audio tracks carry the same language code with
    different varieties (a VFF and a VFQ, both ``fre``), from Taggarr's tracks."""

    code: str  # as the tracks carry it: "fre"
    varieties: tuple[str, ...]  # ("fr-FR", "fr-CA")
    files: int


@dataclass(frozen=True)
class LibraryFacts:
    """What the person's items hold that the server's choice depends on."""

    # Files whose audio track flagged default is not the one this person should hear.
    wrong_default_files: int = 0
    shared_codes: tuple[SharedCode, ...] = ()


def advise(
    languages: tuple[str, ...],
    want: Want,
    playback: UserPlayback,
    library: LibraryFacts,
    *,
    original_choice: bool,
) -> tuple[Advice, ...]:
    """The advice for one person on one account: ``languages`` theirs in order
    (``("fr-CA", "fr")``), ``want`` what they want of this kind of item, ``playback``
    their account's settings, ``original_choice`` whether the server offers "Original
    language" (Jellyfin 12+). The changes first, then the limits; ALREADY_RIGHT alone
    when nothing is to change. Nothing for a person without a language."""
    if not languages or canonical(languages[0]) is None:
        return ()
    first = languages[0]
    code = str(canonical(first))
    found: list[Advice] = []
    if want == "dub":
        found += _audio_language(playback.audio_language, code)
        if playback.play_default_audio and library.wrong_default_files:
            found.append(_default_off(library))
        found += _cannot_tell(first, code, library)
    else:
        found += _original(playback, library, original_choice)
    if want == "original-subtitled":
        if not _matches(playback.subtitle_language, code):
            found.append(Advice(AdviceCode.SUBTITLE_LANGUAGE, {"language": code}))
        if playback.subtitle_mode not in SUBTITLE_MODES_THAT_SHOW:
            found.append(Advice(AdviceCode.SUBTITLE_MODE))
    changes = [advice for advice in found if advice.kind == "change"]
    limits = [advice for advice in found if advice.kind == "limit"]
    return (*changes, *limits) if changes else (Advice(AdviceCode.ALREADY_RIGHT), *limits)


def _audio_language(current: str | None, code: str) -> list[Advice]:
    if _matches(current, code):
        return []
    value = (current or "").strip()
    if value and _regional(value):
        current_name = REGIONAL_VALUES.get(value.casefold(), value)
        return [Advice(AdviceCode.AUDIO_REGIONAL, {"language": code, "current": current_name})]
    return [Advice(AdviceCode.AUDIO_LANGUAGE, {"language": code})]


def _original(playback: UserPlayback, library: LibraryFacts, choice: bool) -> list[Advice]:
    if not choice:
        found = [Advice(AdviceCode.NO_ORIGINAL_CHOICE)]
        if not playback.play_default_audio:
            found.append(Advice(AdviceCode.DEFAULT_TRACK_ON))
        return found
    found = []
    if (playback.audio_language or "").casefold() != ORIGINAL_LANGUAGE.casefold():
        found.append(Advice(AdviceCode.AUDIO_ORIGINAL))
    if playback.play_default_audio and library.wrong_default_files:
        found.append(_default_off(library))
    return found


def _default_off(library: LibraryFacts) -> Advice:
    return Advice(AdviceCode.DEFAULT_TRACK_OFF, {"count": library.wrong_default_files})


def _cannot_tell(first: str, code: str, library: LibraryFacts) -> list[Advice]:
    """Where the person's own variety shares its code with another in some files."""
    variety = tag_variety(first)
    if variety is None or not is_regional(variety):
        return []
    mine = variety.casefold()
    matching = [
        shared
        for shared in library.shared_codes
        if canonical(shared.code) == code
        and mine in (kinds := {v.casefold() for v in shared.varieties})
        and len(kinds) > 1
        and shared.files > 0
    ]
    if not matching:
        return []
    files, shown = sum(shared.files for shared in matching), matching[0].code
    params: dict[str, Param] = {"variety": variety, "code": shown, "count": files}
    return [Advice(AdviceCode.CANNOT_TELL_VARIETY, params)]


def _regional(value: str) -> bool:
    return value.casefold() in REGIONAL_VALUES or "-" in value


def _matches(value: str | None, code: str) -> bool:
    """Whether a stored preference selects tracks of ``code`` as Jellyfin normalises it
    (a culture's code, two-letter code or English name; not one with a region)."""
    if not value or not value.strip() or _regional(value.strip()):
        return False
    return canonical(value.strip()) == code
