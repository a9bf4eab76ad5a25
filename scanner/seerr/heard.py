"""Where an item stands for the one language a Seerr user asks for (their person's first):
in which files it is heard, or why not — only another variety of it (the France dub for a
Quebec parent), a track of its language whose variety no source names, or none of it.
A series has it when every episode file has it; in some only, it is partial. Read from
the stored files' audio voices (engine.targets' rules). No Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from scanner.engine.language_value import parse, parse_all
from scanner.engine.targets import meets, variety_unknown

PRESENT: Final = "present"
PARTIAL: Final = "partial"  # a series: in some of its files only
UNKNOWN: Final = "unknown"  # its language is there, its variety unnamed
OTHER: Final = "other"  # only another variety of its language
ABSENT: Final = "absent"
NO_FILES: Final = "no_files"  # nothing imported yet


@dataclass(frozen=True)
class Standing:
    state: str
    files: tuple[str, ...] = ()  # PRESENT, PARTIAL: the files that hold it
    total: int = 0  # PARTIAL: the files counted
    varieties: tuple[str, ...] = ()  # OTHER: the varieties found ("fr-FR")


def standing(
    target: str, files: Sequence[tuple[str, frozenset[str]]], *, every_file: bool = False
) -> Standing:
    """``files``: each file's path and audio voices (variety when known, else language).
    ``every_file``: a series, whose every episode file must have it (a movie's one file
    of several is enough: another edition)."""
    if not files:
        return Standing(NO_FILES)
    holding = tuple(path for path, voices in files if meets(target, voices))
    if holding and every_file and len(holding) < len(files):
        return Standing(PARTIAL, files=holding, total=len(files))
    if holding:
        return Standing(PRESENT, files=holding)
    if any(variety_unknown(target, voices) for _, voices in files):
        return Standing(UNKNOWN)
    wanted = parse(target)
    if wanted is None:
        return Standing(ABSENT)
    voices = [voice for _, heard in files for voice in parse_all(heard)]
    others = sorted(
        {
            voice.code
            for voice in voices
            if voice.settled_language == wanted.settled_language and not voice.other
        }
    )
    return Standing(OTHER, varieties=tuple(others)) if others else Standing(ABSENT)
