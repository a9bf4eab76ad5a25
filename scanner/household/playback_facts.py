"""What a person's files hold that Jellyfin's or Emby's track choice depends on
(playback_advice.LibraryFacts), from Taggarr's own reading of their audio tracks.
Pure Python: no Django.

- A **wrong default**: the file has a track of the language the person should hear
  (their first language for a dub, the item's original language otherwise), and the
  track(s) it flags default are all of another; with *Play default audio track
  regardless of language* on, Jellyfin plays that one
  (MediaStreamSelector.GetDefaultAudioStreamIndex: the first default of the sorted
  tracks wins). The server knows no commentary, so a default commentary counts.
- A **shared code**: two programme tracks of the person's language with different
  varieties (a VFF and a VFQ): Jellyfin compares the code only and cannot tell them
  apart. Only varieties Taggarr knows count; a track whose variety is unknown is not
  "another variety".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry

from scanner.engine.languages import canonical
from scanner.engine.targets import is_regional
from scanner.engine.tracks import AudioTrack
from scanner.engine.varieties import tag_variety
from scanner.household.playback_advice import LibraryFacts, SharedCode, Want


@dataclass(frozen=True)
class FileAudio:
    """One file's audio tracks, and its item's original language (canonical; None
    when not known)."""

    tracks: tuple[AudioTrack, ...]
    original: str | None = None


def library_facts(
    files: Iterable[FileAudio], languages: tuple[str, ...], want: Want
) -> LibraryFacts:
    """The facts of ``files`` for a person with ``languages`` who wants ``want``."""
    tally = FactsTally(languages, want)
    for file in files:
        tally.add(file)
    return tally.facts()


class FactsTally:
    """The facts counted one file at a time (``add``), so that a pass that reads the
    files for something else (scanner.household.counts) counts them on the way."""

    def __init__(self, languages: tuple[str, ...], want: Want) -> None:
        self.want = want
        self.mine = canonical(languages[0]) if languages else None
        variety = tag_variety(languages[0]) if languages else None
        self.own_variety = variety if variety is not None and is_regional(variety) else None
        self.wrong = 0
        self.shared: Counter[tuple[str, tuple[str, ...]]] = Counter()

    def add(self, file: FileAudio) -> None:
        mine, own_variety = self.mine, self.own_variety
        wanted = mine if self.want == "dub" else file.original
        if wanted is not None and _wrong_default(file.tracks, wanted):
            self.wrong += 1
        if self.want == "dub" and mine is not None and own_variety is not None:
            kinds = _varieties(file.tracks, mine)
            if len(kinds) > 1 and own_variety.casefold() in {k.casefold() for k in kinds}:
                self.shared[(mine, kinds)] += 1

    def facts(self) -> LibraryFacts:
        codes = tuple(
            SharedCode(_shown_code(code), kinds, count)
            for (code, kinds), count in sorted(self.shared.items())
        )
        return LibraryFacts(wrong_default_files=self.wrong, shared_codes=codes)


def _wrong_default(tracks: tuple[AudioTrack, ...], wanted: str) -> bool:
    has_wanted = any(t.language == wanted and not t.is_commentary for t in tracks)
    defaults = [t for t in tracks if t.default]
    return has_wanted and bool(defaults) and all(t.language != wanted for t in defaults)


def _varieties(tracks: tuple[AudioTrack, ...], language: str) -> tuple[str, ...]:
    found = {
        t.variety
        for t in tracks
        if t.language == language and not t.is_commentary and t.variety is not None
    }
    return tuple(sorted(found))


def _shown_code(code: str) -> str:
    """The code as Jellyfin shows a track's language: ISO 639-2/B where it differs
    (``fre``), as ffprobe reports a Matroska track's."""
    language = pycountry.languages.get(alpha_3=code)
    bibliographic = getattr(language, "bibliographic", None) if language is not None else None
    return str(bibliographic or code)
